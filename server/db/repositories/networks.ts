/**
 * Reference data as the screens and rules read it: networks and their members at a period, practices with
 * their membership history and list sizes; and the single changes an admin makes to networks. Bulk loads
 * are in reference-load.ts.
 */
import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import { isPostgres, type Db } from '../database';
import { preparedQuery } from '../prepared';
import type { MembershipTable } from '../schema';
import type { MembershipOf } from '../../domain/network-members';
import type { ReferencePractice } from '../../domain/submission';

/**
 * The memberships (joined as `m`) in force at a period: begun by then and not ended before it. The filter every
 * query of the members at a period applies (`.where(inForceAt(period))`).
 */
export function inForceAt(period: string): Expression<SqlBool> {
  const eb = expressionBuilder<{ m: MembershipTable }, 'm'>();
  return eb.and([
    eb('m.from_period', '<=', period),
    eb.or([eb('m.to_period', 'is', null), eb('m.to_period', '>=', period)]),
  ]);
}

export interface NetworkWithPractices {
  code: string;
  name: string;
  practices: { code: string; name: string; listSize: number | null }[];
}

/** Practices with their membership spans, for validating uploads. */
export async function listReferencePractices(db: Db): Promise<ReferencePractice[]> {
  const practices = await db.selectFrom('practices').select(['id', 'code', 'name']).orderBy('id').execute();
  const spans = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['m.practice_id', 'n.code as networkCode', 'm.from_period', 'm.to_period'])
    .orderBy('m.from_period')
    .execute();
  const byPractice = new Map<number, ReferencePractice>(practices.map((p) => [p.id, { ...p, spans: [] }]));
  for (const s of spans) {
    byPractice
      .get(s.practice_id)
      ?.spans.push({ networkCode: s.networkCode, fromPeriod: s.from_period, toPeriod: s.to_period });
  }
  return [...byPractice.values()];
}

/** Networks and their member practices at a period, with each practice's latest list size up to then. */
export async function listNetworksAt(db: Db, period: string, networkCode?: string): Promise<NetworkWithPractices[]> {
  let networks = db.selectFrom('networks').select(['id', 'code', 'name']).orderBy('code');
  if (networkCode) networks = networks.where('code', '=', networkCode);
  const rows = await networks.execute();
  let members = db
    .selectFrom('memberships as m')
    .innerJoin('practices as p', 'p.id', 'm.practice_id')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select((eb) => [
      'n.code as networkCode',
      'p.code',
      'p.name',
      eb
        .selectFrom('list_sizes as l')
        .select('l.list_size')
        .whereRef('l.practice_id', '=', 'p.id')
        .where('l.period', '<=', period)
        .orderBy('l.period', 'desc')
        .limit(1)
        .as('listSize'),
    ])
    .where(inForceAt(period))
    .orderBy('p.code');
  if (networkCode) members = members.where('n.code', '=', networkCode);
  const practices = await members.execute();
  const byNetwork = new Map<string, NetworkWithPractices>(
    rows.map((n) => [n.code, { code: n.code, name: n.name, practices: [] }]),
  );
  for (const p of practices) {
    byNetwork.get(p.networkCode)?.practices.push({ code: p.code, name: p.name, listSize: p.listSize ?? null });
  }
  return [...byNetwork.values()];
}

const networksQuery = (db: Db, p: { network?: string }) => {
  const q = db.selectFrom('networks').select(['code', 'name']).orderBy('code');
  return p.network === undefined ? q : q.where('code', '=', p.network);
};

const membershipsQuery = (db: Db, p: { network?: string }) => {
  const q = db
    .selectFrom('memberships as m')
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['n.code as network', 'pr.code', 'pr.name', 'm.from_period', 'm.to_period'])
    .orderBy('pr.code');
  return p.network === undefined ? q : q.where('n.code', '=', p.network);
};
// Prepared once each (the statement is kept under the function): every network, or one.
const allNetworks = (db: Db) => networksQuery(db, {});
const oneNetwork = (db: Db, p: { network: string }) => networksQuery(db, p);
const allMemberships = (db: Db) => membershipsQuery(db, {});
const networkMemberships = (db: Db, p: { network: string }) => membershipsQuery(db, p);

/**
 * Every network (or one) by code, and each of their memberships with the practice's code and name, in practice
 * code order (domain/network-members.ts takes the members at a period from them). For the overview, which
 * needs the members at two periods and every network's spans; on SQLite the rows come back as arrays.
 */
export async function listNetworkMemberships(
  db: Db,
  networkCode?: string,
): Promise<{ networks: { code: string; name: string }[]; memberships: MembershipOf[] }> {
  type Row = [network: string, code: string, name: string, fromPeriod: string, toPeriod: string | null];
  const [networks, memberships] = isPostgres(db)
    ? await Promise.all([
        networksQuery(db, { network: networkCode })
          .execute()
          .then((rows) => rows.map((r) => [r.code, r.name])),
        membershipsQuery(db, { network: networkCode })
          .execute()
          .then((rows) => rows.map((r) => [r.network, r.code, r.name, r.from_period, r.to_period])),
      ])
    : networkCode === undefined
      ? [preparedQuery(db, [], allNetworks).rows({}), preparedQuery(db, [], allMemberships).rows({})]
      : [
          preparedQuery(db, ['network'], oneNetwork).rows({ network: networkCode }),
          preparedQuery(db, ['network'], networkMemberships).rows({ network: networkCode }),
        ];
  return {
    networks: (networks as [string, string][]).map(([code, name]) => ({ code, name })),
    memberships: (memberships as Row[]).map(([network, code, name, fromPeriod, toPeriod]) => ({
      network,
      code,
      name,
      fromPeriod,
      toPeriod,
    })),
  };
}

/** Every membership span of each network (or of one), for saying since when a network has had no members. */
export async function listNetworkSpans(
  db: Db,
  networkCode?: string,
): Promise<Map<string, { fromPeriod: string; toPeriod: string | null }[]>> {
  let query = db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['n.code', 'm.from_period', 'm.to_period']);
  if (networkCode) query = query.where('n.code', '=', networkCode);
  const spans = new Map<string, { fromPeriod: string; toPeriod: string | null }[]>();
  for (const r of await query.execute()) {
    const list = spans.get(r.code) ?? [];
    list.push({ fromPeriod: r.from_period, toPeriod: r.to_period });
    spans.set(r.code, list);
  }
  return spans;
}

export async function countMemberships(db: Db): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest period at which any membership changed (used to refuse a reload dated before it). */
export async function latestMembershipChange(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => [eb.fn.max('from_period').as('from'), eb.fn.max('to_period').as('to')])
    .executeTakeFirst();
  const candidates = [row?.from, row?.to].filter((v): v is string => typeof v === 'string');
  return candidates.sort().at(-1) ?? null;
}

export interface PracticeMemberships {
  code: string;
  name: string;
  listSize: number | null;
  memberships: { network: string; fromPeriod: string; toPeriod: string | null }[];
}

/** Every practice with its membership history and latest list size, for the admin screen. */
export async function listPracticesWithMemberships(db: Db): Promise<PracticeMemberships[]> {
  const practices = await db
    .selectFrom('practices as p')
    .select((eb) => [
      'p.id',
      'p.code',
      'p.name',
      eb
        .selectFrom('list_sizes as l')
        .select('l.list_size')
        .whereRef('l.practice_id', '=', 'p.id')
        .orderBy('l.period', 'desc')
        .limit(1)
        .as('listSize'),
    ])
    .orderBy('p.code')
    .execute();
  const spans = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['m.practice_id', 'n.code', 'm.from_period', 'm.to_period'])
    .orderBy('m.from_period')
    .execute();
  const byPractice = new Map<number, PracticeMemberships['memberships']>();
  for (const s of spans) {
    const list = byPractice.get(s.practice_id) ?? [];
    list.push({ network: s.code, fromPeriod: s.from_period, toPeriod: s.to_period });
    byPractice.set(s.practice_id, list);
  }
  return practices.map((p) => ({
    code: p.code,
    name: p.name,
    listSize: p.listSize ?? null,
    memberships: byPractice.get(p.id) ?? [],
  }));
}

export async function insertNetwork(db: Db, code: string, name: string, now: string): Promise<void> {
  await db.insertInto('networks').values({ code, name, created_at: now }).execute();
}

export async function renameNetwork(db: Db, code: string, name: string): Promise<boolean> {
  const r = await db.updateTable('networks').set({ name }).where('code', '=', code).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findNetwork(db: Db, code: string): Promise<{ id: number; code: string; name: string } | null> {
  return (
    (await db.selectFrom('networks').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst()) ?? null
  );
}

/** A practice with its latest list size, or null. */
export async function findPractice(
  db: Db,
  code: string,
): Promise<{ id: number; code: string; name: string; listSize: number | null } | null> {
  const row = await db
    .selectFrom('practices as p')
    .select((eb) => [
      'p.id',
      'p.code',
      'p.name',
      eb
        .selectFrom('list_sizes as l')
        .select('l.list_size')
        .whereRef('l.practice_id', '=', 'p.id')
        .orderBy('l.period', 'desc')
        .limit(1)
        .as('listSize'),
    ])
    .where('p.code', '=', code)
    .executeTakeFirst();
  return row ? { ...row, listSize: row.listSize ?? null } : null;
}

export interface MembershipSpan {
  network: string;
  networkName: string;
  fromPeriod: string;
  toPeriod: string | null;
}

/** A practice's memberships, earliest first. */
export async function listPracticeMemberships(db: Db, practiceCode: string): Promise<MembershipSpan[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .innerJoin('practices as p', 'p.id', 'm.practice_id')
    .select(['n.code as network', 'n.name as networkName', 'm.from_period as fromPeriod', 'm.to_period as toPeriod'])
    .where('p.code', '=', practiceCode)
    .orderBy('m.from_period')
    .execute();
}

/** Every network's name by code, in the order they were created. */
export async function listNetworkNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('networks').select(['code', 'name']).orderBy('id').execute();
  return new Map(rows.map((n) => [n.code, n.name]));
}
