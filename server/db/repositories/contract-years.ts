/** Contract years and the rules versioned by them: domain shares, indicators, QOF aliases, contract values. */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { CatalogueIndicator, DomainCode } from '../../domain/catalogue';
import type { ReferenceContractYear } from '../../domain/submission';

export interface ContractYearView {
  code: string;
  firstPeriod: string;
  lastPeriod: string;
  retrospectiveShareBp: number;
  domainRule: 'all-indicators' | 'per-indicator';
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  domains: { code: string; name: string; shareBp: number }[];
}

/** An indicator as a contract year configures it: the catalogue's fields, with any domain code. */
export type IndicatorView = Omit<CatalogueIndicator, 'domain'> & { domain: string };

export async function listContractYears(db: Db): Promise<ContractYearView[]> {
  const years = await db.selectFrom('contract_years').selectAll().orderBy('code').execute();
  const shares = await db
    .selectFrom('contract_year_domains as s')
    .innerJoin('domains as d', 'd.code', 's.domain_code')
    .select(['s.contract_year_id', 'd.code', 'd.name', 's.share_bp'])
    .orderBy('d.sort_order')
    .execute();
  return years.map((y) => ({
    code: y.code,
    firstPeriod: y.first_period,
    lastPeriod: y.last_period,
    retrospectiveShareBp: y.retrospective_share_bp,
    domainRule: y.domain_rule,
    locked: y.locked_at !== null,
    lockedAt: y.locked_at,
    lockedBy: y.locked_by,
    domains: shares.filter((s) => s.contract_year_id === y.id).map((s) => ({ code: s.code, name: s.name, shareBp: s.share_bp })),
  }));
}

export async function listIndicators(db: Db, yearCode: string): Promise<IndicatorView[] | null> {
  const year = await db.selectFrom('contract_years').select('id').where('code', '=', yearCode).executeTakeFirst();
  if (!year) return null;
  const rows = await db.selectFrom('indicators').selectAll().where('contract_year_id', '=', year.id).orderBy('sort_order').execute();
  return rows.map((r) => ({
    code: r.code,
    domain: r.domain_code,
    title: r.title,
    numeratorLabel: r.numerator_label,
    denominatorLabel: r.denominator_label,
    targetBp: r.target_bp,
    lowerBp: r.lower_bp,
    mode: r.mode,
    weight: r.weight,
  }));
}

/** Contract years as upload validation needs them: periods, lock, indicator codes, QOF aliases. */
export async function listReferenceContractYears(db: Db): Promise<ReferenceContractYear[]> {
  const years = await db.selectFrom('contract_years').selectAll().orderBy('code').execute();
  const indicators = await db.selectFrom('indicators').select(['contract_year_id', 'code']).orderBy('sort_order').execute();
  const aliases = await db.selectFrom('indicator_aliases').selectAll().execute();
  return years.map((y) => ({
    code: y.code,
    firstPeriod: y.first_period,
    lastPeriod: y.last_period,
    lockedAt: y.locked_at,
    lockedBy: y.locked_by,
    indicatorCodes: indicators.filter((i) => i.contract_year_id === y.id).map((i) => i.code),
    aliases: Object.fromEntries(aliases.filter((a) => a.contract_year_id === y.id).map((a) => [a.alias, a.indicator_code])),
  }));
}

export interface NewContractYear {
  code: string;
  firstPeriod: string;
  lastPeriod: string;
  retrospectiveShareBp: number;
  domainRule: 'all-indicators' | 'per-indicator';
  domainShares: Record<DomainCode, number>;
  indicators: readonly CatalogueIndicator[];
  aliases: Readonly<Record<string, string>>;
  /** Network code → contract value in pence. */
  contractValues: Readonly<Record<string, number>>;
}

export function insertContractYear(sqlite: SQLite.Database, year: NewContractYear, now: string): void {
  sqlite.transaction(() => {
    const id = Number(
      sqlite
        .prepare('INSERT INTO contract_years (code, first_period, last_period, retrospective_share_bp, domain_rule, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(year.code, year.firstPeriod, year.lastPeriod, year.retrospectiveShareBp, year.domainRule, now).lastInsertRowid,
    );
    const share = sqlite.prepare('INSERT INTO contract_year_domains (contract_year_id, domain_code, share_bp) VALUES (?, ?, ?)');
    for (const [domain, bp] of Object.entries(year.domainShares)) share.run(id, domain, bp);
    const indicator = sqlite.prepare(
      `INSERT INTO indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, lower_bp, mode, weight, sort_order)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    year.indicators.forEach((i, n) =>
      indicator.run(id, i.code, i.domain, i.title, i.numeratorLabel, i.denominatorLabel, i.targetBp, i.lowerBp, i.mode, i.weight, n + 1),
    );
    const alias = sqlite.prepare('INSERT INTO indicator_aliases (contract_year_id, alias, indicator_code) VALUES (?, ?, ?)');
    for (const [code, target] of Object.entries(year.aliases)) alias.run(id, code, target);
    const value = sqlite.prepare('INSERT INTO contract_values (contract_year_id, network_id, value_pence) SELECT ?, id, ? FROM networks WHERE code = ?');
    for (const [network, pence] of Object.entries(year.contractValues)) value.run(id, pence, network);
  })();
}

export interface RulesUpdate {
  retrospectiveShareBp: number;
  domainRule: 'all-indicators' | 'per-indicator';
  domains: { code: string; shareBp: number }[];
  indicators: { code: string; targetBp: number; lowerBp: number | null; mode: 'threshold' | 'sliding'; weight: number }[];
  contractValues: { network: string; valuePence: number }[];
}

/** Replaces a year's editable rules in one transaction. The caller has checked them and that the year is open. */
export function updateContractYearRules(sqlite: SQLite.Database, yearId: number, u: RulesUpdate): void {
  sqlite.transaction(() => {
    sqlite.prepare('UPDATE contract_years SET retrospective_share_bp = ?, domain_rule = ? WHERE id = ?').run(u.retrospectiveShareBp, u.domainRule, yearId);
    const share = sqlite.prepare('INSERT INTO contract_year_domains (contract_year_id, domain_code, share_bp) VALUES (?, ?, ?) ON CONFLICT (contract_year_id, domain_code) DO UPDATE SET share_bp = excluded.share_bp');
    for (const d of u.domains) share.run(yearId, d.code, d.shareBp);
    const indicator = sqlite.prepare('UPDATE indicators SET target_bp = ?, lower_bp = ?, mode = ?, weight = ? WHERE contract_year_id = ? AND code = ?');
    for (const i of u.indicators) indicator.run(i.targetBp, i.lowerBp, i.mode, i.weight, yearId, i.code);
    const value = sqlite.prepare(
      `INSERT INTO contract_values (contract_year_id, network_id, value_pence) SELECT ?, id, ? FROM networks WHERE code = ?
       ON CONFLICT (contract_year_id, network_id) DO UPDATE SET value_pence = excluded.value_pence`,
    );
    for (const v of u.contractValues) value.run(yearId, v.valuePence, v.network);
  })();
}

/** Creates a contract year by copying another year's rules, indicators, aliases and contract values. */
export function copyContractYear(sqlite: SQLite.Database, fromId: number, code: string, firstPeriod: string, lastPeriod: string, now: string): void {
  sqlite.transaction(() => {
    const id = Number(
      sqlite
        .prepare(`INSERT INTO contract_years (code, first_period, last_period, retrospective_share_bp, domain_rule, created_at)
                  SELECT ?, ?, ?, retrospective_share_bp, domain_rule, ? FROM contract_years WHERE id = ?`)
        .run(code, firstPeriod, lastPeriod, now, fromId).lastInsertRowid,
    );
    sqlite.prepare('INSERT INTO contract_year_domains (contract_year_id, domain_code, share_bp) SELECT ?, domain_code, share_bp FROM contract_year_domains WHERE contract_year_id = ?').run(id, fromId);
    sqlite.prepare(`INSERT INTO indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, lower_bp, mode, weight, sort_order)
                    SELECT ?, code, domain_code, title, numerator_label, denominator_label, target_bp, lower_bp, mode, weight, sort_order FROM indicators WHERE contract_year_id = ?`).run(id, fromId);
    sqlite.prepare('INSERT INTO indicator_aliases (contract_year_id, alias, indicator_code) SELECT ?, alias, indicator_code FROM indicator_aliases WHERE contract_year_id = ?').run(id, fromId);
    sqlite.prepare('INSERT INTO contract_values (contract_year_id, network_id, value_pence) SELECT ?, network_id, value_pence FROM contract_values WHERE contract_year_id = ?').run(id, fromId);
  })();
}
