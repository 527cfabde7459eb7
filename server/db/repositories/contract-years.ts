/** Contract years and the rules versioned by them: domain shares, indicators, QOF aliases, contract values. */
import { isPostgres, type Db } from '../database';
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
    domains: shares
      .filter((s) => s.contract_year_id === y.id)
      .map((s) => ({ code: s.code, name: s.name, shareBp: s.share_bp })),
  }));
}

export async function listIndicators(db: Db, yearCode: string): Promise<IndicatorView[] | null> {
  const year = await db.selectFrom('contract_years').select('id').where('code', '=', yearCode).executeTakeFirst();
  if (!year) return null;
  const rows = await db
    .selectFrom('indicators')
    .selectAll()
    .where('contract_year_id', '=', year.id)
    .orderBy('sort_order')
    .execute();
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
  const indicators = await db
    .selectFrom('indicators')
    .select(['contract_year_id', 'code'])
    .orderBy('sort_order')
    .execute();
  const aliases = await db.selectFrom('indicator_aliases').selectAll().execute();
  return years.map((y) => ({
    code: y.code,
    firstPeriod: y.first_period,
    lastPeriod: y.last_period,
    lockedAt: y.locked_at,
    lockedBy: y.locked_by,
    indicatorCodes: indicators.filter((i) => i.contract_year_id === y.id).map((i) => i.code),
    aliases: Object.fromEntries(
      aliases.filter((a) => a.contract_year_id === y.id).map((a) => [a.alias, a.indicator_code]),
    ),
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

export async function insertContractYear(db: Db, year: NewContractYear, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('contract_years')
      .values({
        code: year.code,
        first_period: year.firstPeriod,
        last_period: year.lastPeriod,
        retrospective_share_bp: year.retrospectiveShareBp,
        domain_rule: year.domainRule,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = inserted.id;
    const shares = Object.entries(year.domainShares).map(([domain, bp]) => ({
      contract_year_id: id,
      domain_code: domain,
      share_bp: bp,
    }));
    if (shares.length) await trx.insertInto('contract_year_domains').values(shares).execute();
    const indicators = year.indicators.map((i, n) => ({
      contract_year_id: id,
      code: i.code,
      domain_code: i.domain,
      title: i.title,
      numerator_label: i.numeratorLabel,
      denominator_label: i.denominatorLabel,
      target_bp: i.targetBp,
      lower_bp: i.lowerBp,
      mode: i.mode,
      weight: i.weight,
      sort_order: n + 1,
    }));
    if (indicators.length) await trx.insertInto('indicators').values(indicators).execute();
    const aliases = Object.entries(year.aliases).map(([alias, code]) => ({
      contract_year_id: id,
      alias,
      indicator_code: code,
    }));
    if (aliases.length) await trx.insertInto('indicator_aliases').values(aliases).execute();
    for (const [network, pence] of Object.entries(year.contractValues)) {
      await trx
        .insertInto('contract_values')
        .columns(['contract_year_id', 'network_id', 'value_pence'])
        .expression((eb) =>
          eb
            .selectFrom('networks')
            .select([eb.val(id).as('y'), 'id', eb.val(pence).as('v')])
            .where('code', '=', network),
        )
        .execute();
    }
  });
}

export interface RulesUpdate {
  retrospectiveShareBp: number;
  domainRule: 'all-indicators' | 'per-indicator';
  domains: { code: string; shareBp: number }[];
  indicators: {
    code: string;
    targetBp: number;
    lowerBp: number | null;
    mode: 'threshold' | 'sliding';
    weight: number;
  }[];
  contractValues: { network: string; valuePence: number }[];
}

/** Replaces a year's editable rules in one transaction. The caller has checked them and that the year is open. */
export async function updateContractYearRules(db: Db, yearId: number, u: RulesUpdate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contract_years')
      .set({ retrospective_share_bp: u.retrospectiveShareBp, domain_rule: u.domainRule })
      .where('id', '=', yearId)
      .execute();
    for (const d of u.domains) {
      await trx
        .insertInto('contract_year_domains')
        .values({ contract_year_id: yearId, domain_code: d.code, share_bp: d.shareBp })
        .onConflict((oc) =>
          oc
            .columns(['contract_year_id', 'domain_code'])
            .doUpdateSet((eb) => ({ share_bp: eb.ref('excluded.share_bp') })),
        )
        .execute();
    }
    for (const i of u.indicators) {
      await trx
        .updateTable('indicators')
        .set({ target_bp: i.targetBp, lower_bp: i.lowerBp, mode: i.mode, weight: i.weight })
        .where('contract_year_id', '=', yearId)
        .where('code', '=', i.code)
        .execute();
    }
    for (const v of u.contractValues) {
      await trx
        .insertInto('contract_values')
        .columns(['contract_year_id', 'network_id', 'value_pence'])
        .expression((eb) =>
          eb
            .selectFrom('networks')
            .select([eb.val(yearId).as('y'), 'id', eb.val(v.valuePence).as('v')])
            .where('code', '=', v.network),
        )
        .onConflict((oc) =>
          oc
            .columns(['contract_year_id', 'network_id'])
            .doUpdateSet((eb) => ({ value_pence: eb.ref('excluded.value_pence') })),
        )
        .execute();
    }
  });
}

/** Creates a contract year by copying another year's rules, indicators, aliases and contract values. */
export async function copyContractYear(
  db: Db,
  fromId: number,
  code: string,
  firstPeriod: string,
  lastPeriod: string,
  now: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const from = await trx
      .selectFrom('contract_years')
      .select(['retrospective_share_bp', 'domain_rule'])
      .where('id', '=', fromId)
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('contract_years')
      .values({
        code,
        first_period: firstPeriod,
        last_period: lastPeriod,
        retrospective_share_bp: from.retrospective_share_bp,
        domain_rule: from.domain_rule,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = inserted.id;
    await trx
      .insertInto('contract_year_domains')
      .columns(['contract_year_id', 'domain_code', 'share_bp'])
      .expression((eb) =>
        eb
          .selectFrom('contract_year_domains')
          .select([eb.val(id).as('y'), 'domain_code', 'share_bp'])
          .where('contract_year_id', '=', fromId),
      )
      .execute();
    await trx
      .insertInto('indicators')
      .columns([
        'contract_year_id',
        'code',
        'domain_code',
        'title',
        'numerator_label',
        'denominator_label',
        'target_bp',
        'lower_bp',
        'mode',
        'weight',
        'sort_order',
      ])
      .expression((eb) =>
        eb
          .selectFrom('indicators')
          .select([
            eb.val(id).as('y'),
            'code',
            'domain_code',
            'title',
            'numerator_label',
            'denominator_label',
            'target_bp',
            'lower_bp',
            'mode',
            'weight',
            'sort_order',
          ])
          .where('contract_year_id', '=', fromId),
      )
      .execute();
    await trx
      .insertInto('indicator_aliases')
      .columns(['contract_year_id', 'alias', 'indicator_code'])
      .expression((eb) =>
        eb
          .selectFrom('indicator_aliases')
          .select([eb.val(id).as('y'), 'alias', 'indicator_code'])
          .where('contract_year_id', '=', fromId),
      )
      .execute();
    await trx
      .insertInto('contract_values')
      .columns(['contract_year_id', 'network_id', 'value_pence'])
      .expression((eb) =>
        eb
          .selectFrom('contract_values')
          .select([eb.val(id).as('y'), 'network_id', 'value_pence'])
          .where('contract_year_id', '=', fromId),
      )
      .execute();
  });
}

/** Who locked a contract year and when, or null when it is open (or does not exist). */
/**
 * The sign-off lock of a contract year, if it is locked. `forUpdate` (an upload's write, in its transaction):
 * on PostgreSQL the year's row stays locked until the transaction ends, so a sign-off through another
 * instance waits for the upload, or the upload waits for the sign-off and then sees it. On SQLite the write
 * transaction already excludes every other writer.
 */
export async function findYearLock(
  db: Db,
  code: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ lockedBy: string | null; lockedAt: string } | null> {
  let q = db.selectFrom('contract_years').select(['locked_by', 'locked_at']).where('code', '=', code);
  if (options.forUpdate && isPostgres(db)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row?.locked_at ? { lockedBy: row.locked_by, lockedAt: row.locked_at } : null;
}
