/**
 * Which instance is processing an upload, for several instances on one PostgreSQL database. While an upload is
 * 'processing', the instance running it holds a session-level advisory lock on it, on one connection kept for
 * the purpose. PostgreSQL ends the lock with its session, so when an instance stops (or its connection
 * breaks) the lock goes; an instance starting closes as failed only the 'processing' uploads whose lock it can
 * take: nobody is processing them any more. One held by another live instance is left to it.
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../schema';

/** The first key of the advisory locks on uploads (the second is the submission's id). */
const UPLOAD_LOCK_SPACE = 0x75706c64; // "upld"

/** The connection that holds one instance's upload locks, opened on first use. */
export class UploadLeases {
  private client: Promise<pg.PoolClient> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  private connection(): Promise<pg.PoolClient> {
    this.client ??= this.pool.connect().then((client) => {
      // A broken connection has lost its locks: the next upload opens a new one.
      client.on('error', () => {
        this.client = null;
      });
      return client;
    });
    return this.client;
  }

  /** Marks the upload as this instance's until release is called. */
  async hold(submissionId: number): Promise<() => Promise<void>> {
    const client = await this.connection();
    await client.query('SELECT pg_advisory_lock($1, $2)', [UPLOAD_LOCK_SPACE, submissionId]);
    return async () => {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [UPLOAD_LOCK_SPACE, submissionId]).catch(() => {
        // The connection is gone, and its locks with it.
      });
    };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) (await client).release(true);
  }
}

/**
 * Runs `work` for a 'processing' upload only if no live instance holds it (its lock can be taken), holding the
 * lock meanwhile; says whether it ran.
 */
export async function whenUploadAbandoned(
  pool: pg.Pool,
  submissionId: number,
  work: () => Promise<void>,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', [
      UPLOAD_LOCK_SPACE,
      submissionId,
    ]);
    if (!rows[0]?.taken) return false;
    try {
      await work();
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [UPLOAD_LOCK_SPACE, submissionId]);
    }
  } finally {
    client.release();
  }
}

/** Each PostgreSQL database's leases (one connection per instance, opened on the first upload). */
const leases = new WeakMap<Kysely<Database>, UploadLeases>();

export function uploadLeasesOf(db: Kysely<Database>, pool: pg.Pool): UploadLeases {
  let found = leases.get(db);
  if (!found) leases.set(db, (found = new UploadLeases(pool)));
  return found;
}

/** Hands back the leases' connection (database.ts, before the pool ends). */
export async function closeUploadLeases(db: Kysely<Database>): Promise<void> {
  await leases.get(db)?.close();
  leases.delete(db);
}
