/**
 * A PostgreSQL transaction on one connection of the pool, with that connection's `pg` client at hand: for the
 * upload's write, which runs Kysely queries and a `COPY … FROM STDIN` (pg-copy-streams) in the same
 * transaction. Kysely's own transactions keep their client private, so here a Kysely instance is made over
 * a "pool" of that one client for the length of the transaction.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from '../schema';

type Db = Kysely<Database>;

const clients = new WeakMap<Db, pg.PoolClient>();

/** The `pg` client under a transaction begun by pinnedTransaction; an error for any other handle. */
export function pgClientOf(trx: Db): pg.PoolClient {
  const client = clients.get(trx);
  if (!client) throw new Error('this handle is not a transaction begun by pinnedTransaction (no pg client of its own)');
  return client;
}

/** Runs `work` in a transaction on one pooled connection; commits when it resolves, rolls back if it throws. */
export async function pinnedTransaction<T>(pool: pg.Pool, work: (trx: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // Kysely releases the client after every query: the client goes back to the pool only at the end.
  const held = { query: client.query.bind(client), release: () => undefined };
  const single = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: { connect: async () => held, end: async () => undefined } as unknown as pg.Pool,
    }),
  });
  let broken: Error | undefined;
  try {
    return await single.transaction().execute(async (trx) => {
      clients.set(trx, client);
      return work(trx);
    });
  } catch (e) {
    // If the transaction is still open (its rollback failed, the connection broke), the connection is
    // closed rather than handed back to the pool.
    await client.query('ROLLBACK').catch((err: Error) => (broken = err));
    throw e;
  } finally {
    await single.destroy();
    client.release(broken);
  }
}
