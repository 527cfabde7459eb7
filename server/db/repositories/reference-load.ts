/**
 * Loading reference data in bulk: the state a listing is planned against, applying a planned load or a
 * planned change of one practice's membership (server/domain/membership-plan.ts decides; this only writes),
 * and a dataset's ready-made membership spans. Each runs in the caller's transaction or one of its own.
 */
import type { Db } from '../database';
import type { CurrentReference, MembershipChangePlan, ReferencePlan } from '../../domain/membership-plan';

/** Rows per multi-row insert: well under SQLite's limit on bound values per statement. */
const BATCH = 500;

async function inBatches<T>(rows: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

/** Networks, practices and open memberships by code, as a listing is planned against them. */
export async function loadCurrentReference(db: Db): Promise<CurrentReference> {
  const [networks, practices, open] = await Promise.all([
    db.selectFrom('networks').select(['code', 'name']).execute(),
    db.selectFrom('practices').select(['code', 'name']).execute(),
    db
      .selectFrom('memberships as m')
      .innerJoin('practices as p', 'p.id', 'm.practice_id')
      .innerJoin('networks as n', 'n.id', 'm.network_id')
      .select(['p.code as practiceCode', 'n.code as networkCode', 'm.from_period as fromPeriod'])
      .where('m.to_period', 'is', null)
      .orderBy('m.id')
      .execute(),
  ]);
  const openMemberships = new Map<string, { networkCode: string; fromPeriod: string }>();
  for (const m of open) if (!openMemberships.has(m.practiceCode)) openMemberships.set(m.practiceCode, m);
  return {
    networks: new Map(networks.map((n) => [n.code, n.name])),
    practices: new Map(practices.map((p) => [p.code, p.name])),
    openMemberships,
  };
}

async function idsByCode(db: Db, table: 'networks' | 'practices'): Promise<Map<string, number>> {
  const rows = await db.selectFrom(table).select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

function idOf(ids: ReadonlyMap<string, number>, code: string, what: string): number {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`the plan names ${what} ${code}, which is not stored`);
  return id;
}

/** Writes a planned listing load (see planReferenceLoad), in the caller's transaction. */
export async function applyReferencePlan(db: Db, plan: ReferencePlan, fromPeriod: string, now: string): Promise<void> {
  await inBatches(plan.networksToCreate, (rows) =>
    db
      .insertInto('networks')
      .values(rows.map((n) => ({ code: n.code, name: n.name, created_at: now })))
      .execute(),
  );
  for (const n of plan.networksToRename)
    await db.updateTable('networks').set({ name: n.name }).where('code', '=', n.code).execute();
  await inBatches(plan.practicesToCreate, (rows) =>
    db
      .insertInto('practices')
      .values(rows.map((p) => ({ code: p.code, name: p.name, postcode: p.postcode, created_at: now })))
      .execute(),
  );
  for (const p of plan.practicesToRename) {
    await db
      .updateTable('practices')
      .set((eb) => ({ name: p.name, postcode: p.postcode ?? eb.ref('postcode') }))
      .where('code', '=', p.code)
      .execute();
  }
  const [networks, practices] = await Promise.all([idsByCode(db, 'networks'), idsByCode(db, 'practices')]);
  await inBatches(plan.listSizes, (rows) =>
    db
      .insertInto('list_sizes')
      .values(
        rows.map((l) => ({
          practice_id: idOf(practices, l.practiceCode, 'practice'),
          period: fromPeriod,
          list_size: l.listSize,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['practice_id', 'period']).doUpdateSet((eb) => ({ list_size: eb.ref('excluded.list_size') })),
      )
      .execute(),
  );
  // Ends first: a membership that starts now must not be taken for the open one it replaces.
  for (const c of plan.closes) {
    await db
      .updateTable('memberships')
      .set({ to_period: c.toPeriod })
      .where('practice_id', '=', idOf(practices, c.practiceCode, 'practice'))
      .where('to_period', 'is', null)
      .execute();
  }
  await inBatches(plan.opens, (rows) =>
    db
      .insertInto('memberships')
      .values(
        rows.map((o) => ({
          practice_id: idOf(practices, o.practiceCode, 'practice'),
          network_id: idOf(networks, o.networkCode, 'network'),
          from_period: o.fromPeriod,
          created_at: now,
        })),
      )
      .execute(),
  );
}

/** Writes a planned change of one practice's membership (see planMembershipChange), in the caller's transaction. */
export async function applyMembershipChange(
  db: Db,
  change: { practiceId: number; networkId: number | null; fromPeriod: string; plan: MembershipChangePlan },
  now: string,
): Promise<void> {
  const { plan } = change;
  if (plan.closeAt !== null) {
    await db
      .updateTable('memberships')
      .set({ to_period: plan.closeAt })
      .where('practice_id', '=', change.practiceId)
      .where('to_period', 'is', null)
      .execute();
  }
  if (plan.open && change.networkId !== null) {
    await db
      .insertInto('memberships')
      .values({
        practice_id: change.practiceId,
        network_id: change.networkId,
        from_period: change.fromPeriod,
        created_at: now,
      })
      .execute();
  }
}

/** Writes networks, practices and ready-made membership spans in one transaction (a dataset's set-up). */
export async function insertReferenceSpans(
  db: Db,
  data: {
    networks: { code: string; name: string }[];
    practices: {
      code: string;
      name: string;
      postcode: string | null;
      listSize: number | null;
      listSizePeriod: string;
    }[];
    spans: { practice: string; network: string; fromPeriod: string; toPeriod: string | null }[];
  },
  now: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await inBatches(data.networks, (rows) =>
      trx
        .insertInto('networks')
        .values(rows.map((n) => ({ code: n.code, name: n.name, created_at: now })))
        .execute(),
    );
    await inBatches(data.practices, (rows) =>
      trx
        .insertInto('practices')
        .values(rows.map((p) => ({ code: p.code, name: p.name, postcode: p.postcode, created_at: now })))
        .execute(),
    );
    const [networks, practices] = await Promise.all([idsByCode(trx, 'networks'), idsByCode(trx, 'practices')]);
    const sizes = data.practices.flatMap((p) =>
      p.listSize === null
        ? []
        : [{ practice_id: idOf(practices, p.code, 'practice'), period: p.listSizePeriod, list_size: p.listSize }],
    );
    await inBatches(sizes, (rows) => trx.insertInto('list_sizes').values(rows).execute());
    const spans = data.spans.map((s) => {
      const practice = practices.get(s.practice);
      const network = networks.get(s.network);
      if (practice === undefined || network === undefined) {
        throw new Error(`membership of ${s.practice} in ${s.network} names an unknown practice or network`);
      }
      return {
        practice_id: practice,
        network_id: network,
        from_period: s.fromPeriod,
        to_period: s.toPeriod,
        created_at: now,
      };
    });
    await inBatches(spans, (rows) => trx.insertInto('memberships').values(rows).execute());
  });
}
