/** Reference data: networks, practices, memberships and list sizes. */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { ReferencePractice } from '../../domain/submission';
import type { ReferenceRecord } from '../../domain/reference-file';
import { addMonths } from '../../domain/periods';
import type { ReferenceChangeCounts } from '../../domain/upload-outcome';

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
    byPractice.get(s.practice_id)?.spans.push({ networkCode: s.networkCode, fromPeriod: s.from_period, toPeriod: s.to_period });
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
    .where('m.from_period', '<=', period)
    .where((eb) => eb.or([eb('m.to_period', 'is', null), eb('m.to_period', '>=', period)]))
    .orderBy('p.code');
  if (networkCode) members = members.where('n.code', '=', networkCode);
  const practices = await members.execute();
  const byNetwork = new Map<string, NetworkWithPractices>(rows.map((n) => [n.code, { code: n.code, name: n.name, practices: [] }]));
  for (const p of practices) {
    byNetwork.get(p.networkCode)?.practices.push({ code: p.code, name: p.name, listSize: p.listSize ?? null });
  }
  return [...byNetwork.values()];
}

export async function countMemberships(db: Db): Promise<number> {
  const row = await db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest period at which any membership changed (used to refuse a reload dated before it). */
export async function latestMembershipChange(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => [eb.fn.max('from_period').as('from'), eb.fn.max('to_period').as('to')])
    .executeTakeFirst();
  const candidates = [row?.from, row?.to].filter((v): v is string => typeof v === 'string');
  return candidates.length ? candidates.sort().at(-1)! : null;
}


/**
 * Applies a practice-to-network listing from `fromPeriod`, in one transaction. `complete` means the file
 * lists every practice (the national mapping file): an open membership of a practice missing from it ends.
 * Otherwise only the networks the file names are replaced.
 */
export function applyReferenceRecords(
  sqlite: SQLite.Database,
  records: ReferenceRecord[],
  fromPeriod: string,
  complete: boolean,
  now: string,
): ReferenceChangeCounts {
  const result: ReferenceChangeCounts = { networksCreated: 0, practicesCreated: 0, practicesRenamed: 0, joined: 0, moved: 0, left: 0, unchanged: 0, unallocated: 0, listSizes: 0 };
  const closeAt = addMonths(fromPeriod, -1);
  const q = {
    network: sqlite.prepare<[string], { id: number; name: string }>('SELECT id, name FROM networks WHERE code = ?'),
    insertNetwork: sqlite.prepare('INSERT INTO networks (code, name, created_at) VALUES (?, ?, ?)'),
    renameNetwork: sqlite.prepare('UPDATE networks SET name = ? WHERE id = ?'),
    practice: sqlite.prepare<[string], { id: number; name: string }>('SELECT id, name FROM practices WHERE code = ?'),
    insertPractice: sqlite.prepare('INSERT INTO practices (code, name, postcode, created_at) VALUES (?, ?, ?, ?)'),
    renamePractice: sqlite.prepare('UPDATE practices SET name = ?, postcode = coalesce(?, postcode) WHERE id = ?'),
    open: sqlite.prepare<[number], { id: number; network_id: number; from_period: string }>(
      'SELECT id, network_id, from_period FROM memberships WHERE practice_id = ? AND to_period IS NULL',
    ),
    close: sqlite.prepare('UPDATE memberships SET to_period = ? WHERE id = ?'),
    insertMembership: sqlite.prepare('INSERT INTO memberships (practice_id, network_id, from_period, created_at) VALUES (?, ?, ?, ?)'),
    listSize: sqlite.prepare('INSERT INTO list_sizes (practice_id, period, list_size) VALUES (?, ?, ?) ON CONFLICT (practice_id, period) DO UPDATE SET list_size = excluded.list_size'),
    openInNetwork: sqlite.prepare<[number], { id: number; practice_id: number; from_period: string }>(
      'SELECT id, practice_id, from_period FROM memberships WHERE network_id = ? AND to_period IS NULL',
    ),
    allOpen: sqlite.prepare<[], { id: number; practice_id: number; from_period: string }>(
      'SELECT id, practice_id, from_period FROM memberships WHERE to_period IS NULL',
    ),
  };

  const end = (membership: { id: number; from_period: string }): void => {
    if (membership.from_period > closeAt) {
      throw new ReferenceConflictError(`a membership already starts in ${membership.from_period}, after ${closeAt}; load the file from a later period`);
    }
    q.close.run(closeAt, membership.id);
  };

  sqlite.transaction(() => {
    const networkIds = new Map<string, number>();
    const listed = new Set<number>();
    for (const r of records) {
      let networkId: number | null = null;
      if (r.networkCode) {
        networkId = networkIds.get(r.networkCode) ?? null;
        if (networkId === null) {
          const existing = q.network.get(r.networkCode);
          if (existing) {
            networkId = existing.id;
            if (r.networkName && existing.name !== r.networkName) q.renameNetwork.run(r.networkName, existing.id);
          } else {
            networkId = Number(q.insertNetwork.run(r.networkCode, r.networkName || r.networkCode, now).lastInsertRowid);
            result.networksCreated++;
          }
          networkIds.set(r.networkCode, networkId);
        }
      }
      let practice = q.practice.get(r.practiceCode);
      if (!practice) {
        const id = Number(q.insertPractice.run(r.practiceCode, r.practiceName, r.postcode, now).lastInsertRowid);
        practice = { id, name: r.practiceName };
        result.practicesCreated++;
      } else if (practice.name !== r.practiceName && r.practiceName) {
        q.renamePractice.run(r.practiceName, r.postcode, practice.id);
        result.practicesRenamed++;
      }
      listed.add(practice.id);
      if (r.listSize !== null) {
        q.listSize.run(practice.id, fromPeriod, r.listSize);
        result.listSizes++;
      }
      const open = q.open.get(practice.id);
      if (networkId === null) {
        result.unallocated++;
        if (open) {
          end(open);
          result.left++;
        }
      } else if (!open) {
        q.insertMembership.run(practice.id, networkId, fromPeriod, now);
        result.joined++;
      } else if (open.network_id !== networkId) {
        end(open);
        q.insertMembership.run(practice.id, networkId, fromPeriod, now);
        result.moved++;
      } else {
        result.unchanged++;
      }
    }
    const stale = complete ? q.allOpen.all() : [...networkIds.values()].flatMap((id) => q.openInNetwork.all(id));
    for (const m of stale) {
      if (listed.has(m.practice_id)) continue;
      end(m);
      result.left++;
    }
  })();
  return result;
}

export class ReferenceConflictError extends Error {}

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
      eb.selectFrom('list_sizes as l').select('l.list_size').whereRef('l.practice_id', '=', 'p.id').orderBy('l.period', 'desc').limit(1).as('listSize'),
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
  return practices.map((p) => ({ code: p.code, name: p.name, listSize: p.listSize ?? null, memberships: byPractice.get(p.id) ?? [] }));
}

/**
 * Moves one practice into a network (or out of every network, with null) from a period: its open membership
 * ends the month before, and a new one starts. Refused when its membership already changes at or after then.
 */
export function changeMembership(sqlite: SQLite.Database, practiceCode: string, networkCode: string | null, fromPeriod: string, now: string): 'moved' | 'joined' | 'left' | 'unchanged' {
  return sqlite.transaction(() => {
    const practice = sqlite.prepare<[string], { id: number }>('SELECT id FROM practices WHERE code = ?').get(practiceCode);
    if (!practice) throw new ReferenceConflictError(`there is no practice ${practiceCode}`);
    const network = networkCode ? sqlite.prepare<[string], { id: number }>('SELECT id FROM networks WHERE code = ?').get(networkCode) : null;
    if (networkCode && !network) throw new ReferenceConflictError(`there is no network ${networkCode}`);
    const latest = sqlite.prepare<[number], { latest: string | null }>('SELECT max(max(from_period), coalesce(max(to_period), \'\')) AS latest FROM memberships WHERE practice_id = ?').get(practice.id)?.latest;
    if (latest && latest >= fromPeriod) throw new ReferenceConflictError(`${practiceCode}'s membership already changes in ${latest}; choose a later month`);
    const open = sqlite.prepare<[number], { id: number; network_id: number }>('SELECT id, network_id FROM memberships WHERE practice_id = ? AND to_period IS NULL').get(practice.id);
    if (open && network && open.network_id === network.id) return 'unchanged';
    if (open) sqlite.prepare('UPDATE memberships SET to_period = ? WHERE id = ?').run(addMonths(fromPeriod, -1), open.id);
    if (network) sqlite.prepare('INSERT INTO memberships (practice_id, network_id, from_period, created_at) VALUES (?, ?, ?, ?)').run(practice.id, network.id, fromPeriod, now);
    return network ? (open ? 'moved' : 'joined') : open ? 'left' : 'unchanged';
  })();
}

export async function insertNetwork(db: Db, code: string, name: string, now: string): Promise<void> {
  await db.insertInto('networks').values({ code, name, created_at: now }).execute();
}

export async function renameNetwork(db: Db, code: string, name: string): Promise<boolean> {
  const r = await db.updateTable('networks').set({ name }).where('code', '=', code).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Writes networks, practices and ready-made membership spans in one transaction (a dataset's set-up). */
export function insertReferenceSpans(
  sqlite: SQLite.Database,
  data: {
    networks: { code: string; name: string }[];
    practices: { code: string; name: string; postcode: string | null; listSize: number | null; listSizePeriod: string }[];
    spans: { practice: string; network: string; fromPeriod: string; toPeriod: string | null }[];
  },
  now: string,
): void {
  sqlite.transaction(() => {
    const network = sqlite.prepare('INSERT INTO networks (code, name, created_at) VALUES (?, ?, ?)');
    for (const n of data.networks) network.run(n.code, n.name, now);
    const practice = sqlite.prepare('INSERT INTO practices (code, name, postcode, created_at) VALUES (?, ?, ?, ?)');
    const listSize = sqlite.prepare('INSERT INTO list_sizes (practice_id, period, list_size) SELECT id, ?, ? FROM practices WHERE code = ?');
    for (const p of data.practices) {
      practice.run(p.code, p.name, p.postcode, now);
      if (p.listSize !== null) listSize.run(p.listSizePeriod, p.listSize, p.code);
    }
    const span = sqlite.prepare(
      `INSERT INTO memberships (practice_id, network_id, from_period, to_period, created_at)
       SELECT p.id, n.id, ?, ?, ? FROM practices p, networks n WHERE p.code = ? AND n.code = ?`,
    );
    for (const s of data.spans) {
      if (span.run(s.fromPeriod, s.toPeriod, now, s.practice, s.network).changes !== 1) throw new Error(`membership of ${s.practice} in ${s.network} names an unknown practice or network`);
    }
  })();
}
