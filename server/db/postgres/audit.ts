/**
 * Appending to the audit log on PostgreSQL (issue 15; groundwork, not yet called by the app: the SQLite
 * appendAudit in db/repositories/audit.ts is the one in use, and this moves there when the dialect is wired).
 *
 * Several instances may append at once, so the chain is kept valid by taking turns: the appender locks the
 * one row of audit_chain_lock (migrations/postgres/0004_*), then reads the last entry, computes the new entry's
 * hash with the same domain function the verifier uses, and inserts it. The lock is held until the appending
 * transaction ends, so the next appender (in this process or another) reads the entry just committed. The
 * insert trigger takes the same lock and checks the id, the link and the hash, so a writer that skips this
 * function cannot fork the chain either.
 */
import { sql, type Kysely } from 'kysely';
import { auditEntryHash, type AuditFields } from '../../domain/audit-chain';
import type { Database } from '../schema';

export interface PostgresAuditEntry {
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

/**
 * Appends one entry as the next link of the chain and returns its id. Inside a caller's transaction (the
 * change it records and the entry commit together) it runs there; otherwise in a transaction of its own. The
 * transaction should be READ COMMITTED (PostgreSQL's default): under REPEATABLE READ a concurrent append
 * makes this one fail instead of wait.
 */
export async function appendAuditPostgres(db: Kysely<Database>, e: PostgresAuditEntry): Promise<number> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAuditPostgres(trx, e));
  await sql`SELECT only_row FROM audit_chain_lock FOR UPDATE`.execute(db);
  const last = await db
    .selectFrom('audit_log')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? null;
  const entry: AuditFields = {
    id: (last?.id ?? 0) + 1,
    at: e.at,
    user_id: e.userId,
    username: e.username,
    action: e.action,
    ip: e.ip,
    detail: JSON.stringify(e.detail),
  };
  await db
    .insertInto('audit_log')
    .values({ ...entry, prev_hash: prevHash, hash: auditEntryHash(prevHash, entry) })
    .execute();
  return entry.id;
}
