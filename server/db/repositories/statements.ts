/** What attainment and payment statements are computed from: a year's rules, members and observations. */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { ObservationValue, PeriodObservations } from '../../domain/attainment';
import type { ContractYearRules } from '../../domain/payment';

export interface YearRules extends ContractYearRules {
  id: number;
  lockedAt: string | null;
  lockedBy: string | null;
  /** Network code → contract value in pence. */
  contractValues: Map<string, number>;
  titles: Map<string, string>;
}

export async function loadYearRules(db: Db, code: string): Promise<YearRules | null> {
  const year = await db.selectFrom('contract_years').selectAll().where('code', '=', code).executeTakeFirst();
  if (!year) return null;
  const [domains, indicators, values] = await Promise.all([
    db.selectFrom('contract_year_domains as s').innerJoin('domains as d', 'd.code', 's.domain_code').select(['d.code', 'd.name', 's.share_bp']).where('s.contract_year_id', '=', year.id).orderBy('d.sort_order').execute(),
    db.selectFrom('indicators').selectAll().where('contract_year_id', '=', year.id).orderBy('sort_order').execute(),
    db.selectFrom('contract_values as v').innerJoin('networks as n', 'n.id', 'v.network_id').select(['n.code', 'v.value_pence']).where('v.contract_year_id', '=', year.id).execute(),
  ]);
  return {
    id: year.id,
    code: year.code,
    firstPeriod: year.first_period,
    lastPeriod: year.last_period,
    retrospectiveShareBp: year.retrospective_share_bp,
    domainRule: year.domain_rule,
    lockedAt: year.locked_at,
    lockedBy: year.locked_by,
    domains: domains.map((d) => ({ code: d.code, name: d.name, shareBp: d.share_bp })),
    indicators: indicators.map((i) => ({ code: i.code, domain: i.domain_code, targetBp: i.target_bp, lowerBp: i.lower_bp, mode: i.mode, weight: i.weight })),
    titles: new Map(indicators.map((i) => [i.code, i.title])),
    contractValues: new Map(values.map((v) => [v.code, v.value_pence])),
  };
}

/**
 * Current observations at a period of the practices that are members of a network then (of one network, or
 * of all). Memberships drive the join (CROSS JOIN fixes that order in SQLite), so each practice's values come
 * from the observations index; rows come back as arrays, which is what makes a national statement fast.
 */
export function loadMemberObservations(sqlite: SQLite.Database, period: string, networkCode?: string): PeriodObservations {
  const sql = `SELECT p.code, o.indicator_code, o.numerator, o.denominator, o.exceptions
    FROM memberships m
    ${networkCode ? 'JOIN networks n ON n.id = m.network_id AND n.code = @network' : ''}
    CROSS JOIN observations o ON o.practice_id = m.practice_id AND o.period = @period AND o.superseded_by IS NULL
    JOIN practices p ON p.id = m.practice_id
    WHERE m.from_period <= @period AND (m.to_period IS NULL OR m.to_period >= @period)`;
  const rows = sqlite.prepare(sql).raw().all(networkCode ? { period, network: networkCode } : { period }) as [string, string, number, number, number | null][];
  const out = new Map<string, Map<string, ObservationValue>>();
  for (const [code, indicator, numerator, denominator, exceptions] of rows) {
    let byIndicator = out.get(code);
    if (!byIndicator) out.set(code, (byIndicator = new Map()));
    byIndicator.set(indicator, { numerator, denominator, exceptions });
  }
  return out;
}

/** The latest period with any accepted data between two periods (inclusive), or null. */
export async function latestPeriodBetween(db: Db, first: string, last: string): Promise<string | null> {
  const row = await db.selectFrom('submission_periods').select((eb) => eb.fn.max('period').as('p')).where('period', '>=', first).where('period', '<=', last).executeTakeFirst();
  return row?.p ?? null;
}

export interface SignOffRecord {
  id: number;
  period: string;
  signedAt: string;
  signedBy: string;
  overrideReason: string | null;
  inputHash: string;
  statement: unknown;
}

export async function findActiveSignOff(db: Db, contractYearId: number): Promise<SignOffRecord | null> {
  const r = await db.selectFrom('sign_offs').selectAll().where('contract_year_id', '=', contractYearId).where('reopened_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();
  if (!r) return null;
  return { id: r.id, period: r.period, signedAt: r.signed_at, signedBy: r.signed_by, overrideReason: r.override_reason, inputHash: r.input_hash, statement: JSON.parse(r.statement_json) };
}

/**
 * Records a sign-off and locks the year, in one transaction. Writes that must be atomic use better-sqlite3's
 * synchronous transactions, which no other request can interleave with.
 */
export function signOffYear(
  sqlite: SQLite.Database,
  s: { contractYearId: number; period: string; signedAt: string; signedBy: string; overrideReason: string | null; inputHash: string; statement: unknown; totalEarnedPence: number },
): number {
  return sqlite.transaction(() => {
    const locked = sqlite.prepare('UPDATE contract_years SET locked_at = ?, locked_by = ? WHERE id = ? AND locked_at IS NULL').run(s.signedAt, s.signedBy, s.contractYearId);
    if (locked.changes !== 1) throw new Error('the year is already locked');
    return Number(
      sqlite
        .prepare(
          `INSERT INTO sign_offs (contract_year_id, period, signed_at, signed_by, override_reason, input_hash, statement_json, total_earned_pence)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.contractYearId, s.period, s.signedAt, s.signedBy, s.overrideReason, s.inputHash, JSON.stringify(s.statement), s.totalEarnedPence).lastInsertRowid,
    );
  })();
}

export function reopenYear(sqlite: SQLite.Database, r: { contractYearId: number; signOffId: number; at: string; by: string; reason: string }): void {
  sqlite.transaction(() => {
    sqlite.prepare('UPDATE sign_offs SET reopened_at = ?, reopened_by = ?, reopen_reason = ? WHERE id = ?').run(r.at, r.by, r.reason, r.signOffId);
    sqlite.prepare('UPDATE contract_years SET locked_at = NULL, locked_by = NULL WHERE id = ?').run(r.contractYearId);
  })();
}

export interface IndicatorHistory {
  spans: { practiceCode: string; practiceName: string; fromPeriod: string; toPeriod: string | null }[];
  values: { practiceCode: string; indicatorCode: string; period: string; numerator: number; denominator: number; exceptions: number | null }[];
}

/** Every membership of a network, and the current values of its past and present members for some indicators. */
export function loadNetworkHistory(sqlite: SQLite.Database, networkCode: string, indicatorCodes: readonly string[]): IndicatorHistory {
  const spans = sqlite
    .prepare(
      `SELECT p.code AS practiceCode, p.name AS practiceName, m.from_period AS fromPeriod, m.to_period AS toPeriod
       FROM memberships m JOIN networks n ON n.id = m.network_id JOIN practices p ON p.id = m.practice_id
       WHERE n.code = ? ORDER BY p.code, m.from_period`,
    )
    .all(networkCode) as IndicatorHistory['spans'];
  if (indicatorCodes.length === 0 || spans.length === 0) return { spans, values: [] };
  const values = sqlite
    .prepare(
      `SELECT p.code AS practiceCode, o.indicator_code AS indicatorCode, o.period, o.numerator, o.denominator, o.exceptions
       FROM practices p CROSS JOIN observations o ON o.practice_id = p.id AND o.superseded_by IS NULL
       WHERE p.code IN (SELECT value FROM json_each(?)) AND o.indicator_code IN (SELECT value FROM json_each(?))
       ORDER BY o.period`,
    )
    .all(JSON.stringify([...new Set(spans.map((s) => s.practiceCode))]), JSON.stringify(indicatorCodes)) as IndicatorHistory['values'];
  return { spans, values };
}

/** Every contract year's indicator rules, for looking up the rule in force at any month. */
export function loadAllIndicatorRules(sqlite: SQLite.Database): { year: string; firstPeriod: string; lastPeriod: string; code: string; domain: string; domainName: string; title: string; targetBp: number; lowerBp: number | null; mode: 'threshold' | 'sliding'; weight: number }[] {
  return sqlite
    .prepare(
      `SELECT y.code AS year, y.first_period AS firstPeriod, y.last_period AS lastPeriod, i.code, i.domain_code AS domain, d.name AS domainName, i.title,
              i.target_bp AS targetBp, i.lower_bp AS lowerBp, i.mode, i.weight
       FROM indicators i JOIN contract_years y ON y.id = i.contract_year_id JOIN domains d ON d.code = i.domain_code ORDER BY y.code, i.sort_order`,
    )
    .all() as ReturnType<typeof loadAllIndicatorRules>;
}

/** All periods with accepted data, in order. */
export function listPeriodsWithData(sqlite: SQLite.Database): string[] {
  return (sqlite.prepare('SELECT DISTINCT period FROM submission_periods ORDER BY period').all() as { period: string }[]).map((r) => r.period);
}
