/** What attainment and payment statements are computed from: a year's rules, members and observations. */
import { sql } from 'kysely';
import { isPostgres, type Db } from '../database';
import { preparedQuery } from '../prepared';
import { inForceAt } from './networks';
import type { ObservationValue, PeriodObservations, PeriodValues } from '../../domain/attainment';
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
    db
      .selectFrom('contract_year_domains as s')
      .innerJoin('domains as d', 'd.code', 's.domain_code')
      .select(['d.code', 'd.name', 's.share_bp'])
      .where('s.contract_year_id', '=', year.id)
      .orderBy('d.sort_order')
      .execute(),
    db.selectFrom('indicators').selectAll().where('contract_year_id', '=', year.id).orderBy('sort_order').execute(),
    db
      .selectFrom('contract_values as v')
      .innerJoin('networks as n', 'n.id', 'v.network_id')
      .select(['n.code', 'v.value_pence'])
      .where('v.contract_year_id', '=', year.id)
      .execute(),
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
    indicators: indicators.map((i) => ({
      code: i.code,
      domain: i.domain_code,
      targetBp: i.target_bp,
      lowerBp: i.lower_bp,
      mode: i.mode,
      weight: i.weight,
    })),
    titles: new Map(indicators.map((i) => [i.code, i.title])),
    contractValues: new Map(values.map((v) => [v.code, v.value_pence])),
  };
}

type MemberObservationRow = [
  code: string,
  indicator: string,
  numerator: number,
  denominator: number,
  exceptions: number | null,
];

/**
 * Memberships drive the join (CROSS JOIN fixes that order in SQLite's planner; SQLite-specific, harmless
 * elsewhere), so each practice's values come from the observations index.
 */
const allMembersQuery = (db: Db, p: { period: string }) =>
  db
    .selectFrom('memberships as m')
    .crossJoin('observations as o')
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .select(['pr.code', 'o.indicator_code', 'o.numerator', 'o.denominator', 'o.exceptions'])
    .whereRef('o.practice_id', '=', 'm.practice_id')
    .where('o.period', '=', p.period)
    .where('o.superseded_by', 'is', null)
    .where(inForceAt(p.period));

const networkMembersQuery = (db: Db, p: { period: string; network: string }) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', (join) => join.onRef('n.id', '=', 'm.network_id').on('n.code', '=', p.network))
    .crossJoin('observations as o')
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .select(['pr.code', 'o.indicator_code', 'o.numerator', 'o.denominator', 'o.exceptions'])
    .whereRef('o.practice_id', '=', 'm.practice_id')
    .where('o.period', '=', p.period)
    .where('o.superseded_by', 'is', null)
    .where(inForceAt(p.period));

/**
 * Current observations at a period of the practices that are members of a network then (of one network, or
 * of all). A hot path (every statement, national ones included): the query is prepared once and its rows come
 * back as arrays, which is what makes a national statement fast.
 */
export async function loadMemberObservations(
  db: Db,
  period: string,
  networkCode?: string,
): Promise<PeriodObservations> {
  const rows = isPostgres(db)
    ? await memberObservationRowsPostgres(db, period, networkCode)
    : ((networkCode
        ? preparedQuery(db, ['period', 'network'], networkMembersQuery).rows({ period, network: networkCode })
        : preparedQuery(db, ['period'], allMembersQuery).rows({ period })) as MemberObservationRow[]);
  const out = new Map<string, Map<string, ObservationValue>>();
  for (const [code, indicator, numerator, denominator, exceptions] of rows) {
    let byIndicator = out.get(code);
    if (!byIndicator) out.set(code, (byIndicator = new Map()));
    byIndicator.set(indicator, { numerator, denominator, exceptions });
  }
  return out;
}

/** PostgreSQL: the same queries through the pool, their rows made arrays in the selected columns' order. */
async function memberObservationRowsPostgres(
  db: Db,
  period: string,
  networkCode?: string,
): Promise<MemberObservationRow[]> {
  const rows = networkCode
    ? await networkMembersQuery(db, { period, network: networkCode }).execute()
    : await allMembersQuery(db, { period }).execute();
  return rows.map((r) => [
    r.code,
    r.indicator_code,
    r.numerator,
    r.denominator,
    r.exceptions,
  ]) as MemberObservationRow[];
}

/** The ids and codes of the practices that are members of a network at a period (of one network, or of all). */
const allMemberPracticesQuery = (db: Db, p: { period: string }) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .select(['pr.id', 'pr.code'])
    .where(inForceAt(p.period));

const networkMemberPracticesQuery = (db: Db, p: { period: string; network: string }) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', (join) => join.onRef('n.id', '=', 'm.network_id').on('n.code', '=', p.network))
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .select(['pr.id', 'pr.code'])
    .where(inForceAt(p.period));

/**
 * The members' values at a period as one text: a JSON array per value, `[practice id,"indicator code",
 * numerator,denominator,exceptions]` (exceptions null for none), joined by commas (readMemberValues reads it).
 * SQLite-specific (group_concat, json_array). One text rather than 142,000 rows: each row crossing from SQLite
 * into JavaScript costs more than SQLite's own work; and json_array writes a value in one step where
 * concatenating its numbers with || takes nine.
 */
const flatValues = sql<
  string | null
>`group_concat(json_array(o.practice_id, o.indicator_code, o.numerator, o.denominator, o.exceptions))`;

const allMemberValuesQuery = (db: Db, p: { period: string }) =>
  db
    .selectFrom('memberships as m')
    .crossJoin('observations as o')
    .select(flatValues.as('flat'))
    .whereRef('o.practice_id', '=', 'm.practice_id')
    .where('o.period', '=', p.period)
    .where('o.superseded_by', 'is', null)
    .where(inForceAt(p.period));

const networkMemberValuesQuery = (db: Db, p: { period: string; network: string }) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', (join) => join.onRef('n.id', '=', 'm.network_id').on('n.code', '=', p.network))
    .crossJoin('observations as o')
    .select(flatValues.as('flat'))
    .whereRef('o.practice_id', '=', 'm.practice_id')
    .where('o.period', '=', p.period)
    .where('o.superseded_by', 'is', null)
    .where(inForceAt(p.period));

/**
 * loadMemberObservations as columns (domain/attainment.ts PeriodValues) for the indicators given: one row per
 * member practice, one column per indicator (in the order given), so a national month (142,000 values) makes
 * no object per value. Values of other indicators are left out.
 */
export async function loadMemberValues(
  db: Db,
  period: string,
  indicators: readonly string[],
  networkCode?: string,
): Promise<PeriodValues> {
  if (isPostgres(db)) return loadMemberValuesPostgres(db, period, indicators, networkCode);
  const members = (
    networkCode
      ? preparedQuery(db, ['period', 'network'], networkMemberPracticesQuery).rows({ period, network: networkCode })
      : preparedQuery(db, ['period'], allMemberPracticesQuery).rows({ period })
  ) as [id: number, code: string][];
  const rows = new Map<string, number>();
  const rowOfId = new Map<number, number>();
  for (const [id, code] of members) {
    if (rowOfId.has(id)) continue;
    rowOfId.set(id, rows.size);
    rows.set(code, rows.size);
  }
  const columns = new Map<string, number>(indicators.map((code, i) => [code, i]));
  const width = Math.max(indicators.length, 1);
  const cells = rows.size * width;
  const numerator = new Float64Array(cells);
  const denominator = new Float64Array(cells).fill(-1);
  const exceptions = new Float64Array(cells).fill(-1);
  const found = networkCode
    ? preparedQuery(db, ['period', 'network'], networkMemberValuesQuery).get({ period, network: networkCode })
    : preparedQuery(db, ['period'], allMemberValuesQuery).get({ period });
  readMemberValues(found?.flat ?? '', rowOfId, columns, { width, numerator, denominator, exceptions });
  return { rows, columns, width, numerator, denominator, exceptions };
}

/** A text's characters folded into a 32-bit number (for finding a code in the month's text without a string of it). */
function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * Reads the month read's text in place into PeriodValues' columns: JSON arrays `[id,"code",n,d,e]` joined by
 * commas, as json_array writes integers, text and null (exceptions null is written as -1), each value put at its
 * practice's row (`rowOfId`) and its indicator's column (`columns`); a value of a practice or an indicator not
 * there is skipped. Nothing is made per value, neither an array (as JSON.parse would, 142,000 for a national
 * month) nor the code's string: the code is found by its characters' hash and compared in place. Throws on a
 * text of any other shape.
 */
export function readMemberValues(
  text: string,
  rowOfId: ReadonlyMap<number, number>,
  columns: ReadonlyMap<string, number>,
  into: Pick<PeriodValues, 'width' | 'numerator' | 'denominator' | 'exceptions'>,
): void {
  const reader = new MonthTextReader(text, columns);
  const { width, numerator, denominator, exceptions } = into;
  while (!reader.done) {
    reader.open();
    const id = reader.integer();
    reader.comma();
    const column = reader.column();
    reader.comma();
    const n = reader.integer();
    reader.comma();
    const d = reader.integer();
    reader.comma();
    const e = reader.integer();
    reader.close();
    const row = rowOfId.get(id);
    if (row === undefined || column < 0) continue;
    const cell = row * width + column;
    numerator[cell] = n;
    denominator[cell] = d;
    exceptions[cell] = e;
  }
}

/** readMemberValues' steps, each small (so the compiler soon makes them fast and inlines them). */
class MonthTextReader {
  private at = 0;
  private readonly byHash = new Map<number, [code: string, column: number][]>();

  constructor(
    private readonly text: string,
    private readonly columns: ReadonlyMap<string, number>,
  ) {
    for (const [code, column] of columns) {
      const h = hashOf(code);
      const same = this.byHash.get(h);
      if (same) same.push([code, column]);
      else this.byHash.set(h, [[code, column]]);
    }
  }

  get done(): boolean {
    return this.at >= this.text.length;
  }

  private fail(): never {
    throw new Error(`unexpected member values at character ${this.at}: ${this.text.slice(this.at, this.at + 40)}`);
  }

  private expect(char: number): void {
    if (this.text.charCodeAt(this.at) !== char) this.fail();
    this.at++;
  }

  /** "[", after a "," but for the first value. */
  open(): void {
    if (this.at > 0) this.expect(44);
    this.expect(91);
  }

  comma(): void {
    this.expect(44);
  }

  close(): void {
    this.expect(93);
  }

  /** An integer, or null (as -1). */
  integer(): number {
    const text = this.text;
    let at = this.at;
    const first = text.charCodeAt(at);
    if (first === 110) {
      if (!text.startsWith('null', at)) this.fail();
      this.at = at + 4;
      return -1;
    }
    const negative = first === 45; // -
    if (negative) at++;
    const start = at;
    let value = 0;
    for (let c = text.charCodeAt(at); c >= 48 && c <= 57; c = text.charCodeAt(++at)) value = value * 10 + (c - 48);
    if (at === start) this.fail();
    this.at = at;
    return negative ? -value : value;
  }

  /** A code (a JSON string) as its column, -1 for none: by its characters' hash, compared in place. */
  column(): number {
    this.expect(34); // "
    const text = this.text;
    const first = this.at;
    let at = first;
    let escaped = false;
    let h = 0;
    for (let c = text.charCodeAt(at); c !== 34; c = text.charCodeAt(at)) {
      if (c !== c) {
        this.at = at;
        this.fail(); // NaN: the text ended inside the string
      }
      if (c === 92) {
        escaped = true;
        at++;
      }
      h = (Math.imul(h, 31) + c) | 0;
      at++;
    }
    this.at = at + 1;
    // One with an escape in it is decoded by JSON.parse.
    if (escaped) return this.columns.get(JSON.parse(text.slice(first - 1, at + 1)) as string) ?? -1;
    const same = this.byHash.get(h);
    if (same)
      for (const [code, column] of same) if (code.length === at - first && text.startsWith(code, first)) return column;
    return -1;
  }
}

/** PostgreSQL: loadMemberValues with plain queries (the members, then their current values of the indicators). */
async function loadMemberValuesPostgres(
  db: Db,
  period: string,
  indicators: readonly string[],
  networkCode?: string,
): Promise<PeriodValues> {
  const members = networkCode
    ? await networkMemberPracticesQuery(db, { period, network: networkCode }).execute()
    : await allMemberPracticesQuery(db, { period }).execute();
  const rows = new Map<string, number>();
  const rowOfId = new Map<number, number>();
  for (const { id, code } of members) {
    if (rowOfId.has(id)) continue;
    rowOfId.set(id, rows.size);
    rows.set(code, rows.size);
  }
  const columns = new Map<string, number>(indicators.map((code, i) => [code, i]));
  const width = Math.max(indicators.length, 1);
  const cells = rows.size * width;
  const numerator = new Float64Array(cells);
  const denominator = new Float64Array(cells).fill(-1);
  const exceptions = new Float64Array(cells).fill(-1);
  if (indicators.length > 0 && rowOfId.size > 0) {
    const values = await db
      .selectFrom('observations')
      .select(['practice_id', 'indicator_code', 'numerator', 'denominator', 'exceptions'])
      .where('period', '=', period)
      .where('superseded_by', 'is', null)
      .where('indicator_code', 'in', [...indicators])
      .where('practice_id', 'in', [...rowOfId.keys()])
      .execute();
    for (const v of values) {
      const row = rowOfId.get(v.practice_id);
      const column = columns.get(v.indicator_code);
      if (row === undefined || column === undefined) continue;
      const at = row * width + column;
      numerator[at] = v.numerator;
      denominator[at] = v.denominator;
      exceptions[at] = v.exceptions ?? -1;
    }
  }
  return { rows, columns, width, numerator, denominator, exceptions };
}

/** The latest period with any accepted data between two periods (inclusive), or null. */
export async function latestPeriodBetween(db: Db, first: string, last: string): Promise<string | null> {
  const row = await db
    .selectFrom('submission_periods')
    .select((eb) => eb.fn.max('period').as('p'))
    .where('period', '>=', first)
    .where('period', '<=', last)
    .executeTakeFirst();
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
  const r = await db
    .selectFrom('sign_offs')
    .selectAll()
    .where('contract_year_id', '=', contractYearId)
    .where('reopened_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    period: r.period,
    signedAt: r.signed_at,
    signedBy: r.signed_by,
    overrideReason: r.override_reason,
    inputHash: r.input_hash,
    statement: JSON.parse(r.statement_json),
  };
}

/**
 * Records a sign-off and locks the year, in one transaction, and returns the sign-off's id; null (and
 * nothing written) when the year is already locked.
 */
export async function signOffYear(
  db: Db,
  s: {
    contractYearId: number;
    period: string;
    signedAt: string;
    signedBy: string;
    overrideReason: string | null;
    inputHash: string;
    statement: unknown;
    totalEarnedPence: number;
    /** The data version the statement was computed at (db/repositories/maintenance.ts). */
    dataVersion: number;
  },
): Promise<number | 'figures-changed' | null> {
  return db.transaction().execute(async (trx) => {
    // The year's row first: on PostgreSQL an upload's write locks it too (findYearLock with forUpdate), so
    // from here no upload through any instance can commit figures for this year until the sign-off ends.
    // Then the figures must be the ones the statement was computed from: a change committed meanwhile (an
    // upload through another instance) moved the data version, and signing would freeze a stale statement.
    if (isPostgres(trx))
      await trx.selectFrom('contract_years').select('id').where('id', '=', s.contractYearId).forUpdate().execute();
    const version = await trx.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirst();
    if ((version?.version ?? 0) !== s.dataVersion) return 'figures-changed';
    const locked = await trx
      .updateTable('contract_years')
      .set({ locked_at: s.signedAt, locked_by: s.signedBy })
      .where('id', '=', s.contractYearId)
      .where('locked_at', 'is', null)
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) !== 1) return null;
    const inserted = await trx
      .insertInto('sign_offs')
      .values({
        contract_year_id: s.contractYearId,
        period: s.period,
        signed_at: s.signedAt,
        signed_by: s.signedBy,
        override_reason: s.overrideReason,
        input_hash: s.inputHash,
        statement_json: JSON.stringify(s.statement),
        total_earned_pence: s.totalEarnedPence,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  });
}

export async function reopenYear(
  db: Db,
  r: { contractYearId: number; signOffId: number; at: string; by: string; reason: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sign_offs')
      .set({ reopened_at: r.at, reopened_by: r.by, reopen_reason: r.reason })
      .where('id', '=', r.signOffId)
      .execute();
    await trx
      .updateTable('contract_years')
      .set({ locked_at: null, locked_by: null })
      .where('id', '=', r.contractYearId)
      .execute();
  });
}

export interface IndicatorHistory {
  spans: { practiceCode: string; practiceName: string; fromPeriod: string; toPeriod: string | null }[];
  values: {
    practiceCode: string;
    indicatorCode: string;
    period: string;
    numerator: number;
    denominator: number;
    exceptions: number | null;
  }[];
}

/** Every membership of a network, and the current values of its past and present members for some indicators. */
export async function loadNetworkHistory(
  db: Db,
  networkCode: string,
  indicatorCodes: readonly string[],
): Promise<IndicatorHistory> {
  const spans = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .innerJoin('practices as p', 'p.id', 'm.practice_id')
    .select([
      'p.code as practiceCode',
      'p.name as practiceName',
      'm.from_period as fromPeriod',
      'm.to_period as toPeriod',
    ])
    .where('n.code', '=', networkCode)
    .orderBy('p.code')
    .orderBy('m.from_period')
    .execute();
  if (indicatorCodes.length === 0 || spans.length === 0) return { spans, values: [] };
  const values = await db
    .selectFrom('practices as p')
    .crossJoin('observations as o') // the practices drive the join (SQLite's planner keeps this order)
    .select([
      'p.code as practiceCode',
      'o.indicator_code as indicatorCode',
      'o.period',
      'o.numerator',
      'o.denominator',
      'o.exceptions',
    ])
    .whereRef('o.practice_id', '=', 'p.id')
    .where('o.superseded_by', 'is', null)
    .where('p.code', 'in', [...new Set(spans.map((s) => s.practiceCode))])
    .where('o.indicator_code', 'in', [...indicatorCodes])
    .orderBy('o.period')
    .execute();
  return { spans, values };
}

/** An indicator's rule in one contract year, with the year's span: for looking up the rule in force at any month. */
export interface YearIndicatorRule {
  year: string;
  firstPeriod: string;
  lastPeriod: string;
  code: string;
  domain: string;
  domainName: string;
  title: string;
  targetBp: number;
  lowerBp: number | null;
  mode: 'threshold' | 'sliding';
  weight: number;
}

/** Every contract year's indicator rules, years in order and each year's indicators in catalogue order. */
export async function loadAllIndicatorRules(db: Db): Promise<YearIndicatorRule[]> {
  return db
    .selectFrom('indicators as i')
    .innerJoin('contract_years as y', 'y.id', 'i.contract_year_id')
    .innerJoin('domains as d', 'd.code', 'i.domain_code')
    .select([
      'y.code as year',
      'y.first_period as firstPeriod',
      'y.last_period as lastPeriod',
      'i.code',
      'i.domain_code as domain',
      'd.name as domainName',
      'i.title',
      'i.target_bp as targetBp',
      'i.lower_bp as lowerBp',
      'i.mode',
      'i.weight',
    ])
    .orderBy('y.code')
    .orderBy('i.sort_order')
    .execute();
}

/** All periods with accepted data, in order. */
export async function listPeriodsWithData(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('submission_periods').select('period').distinct().orderBy('period').execute();
  return rows.map((r) => r.period);
}
