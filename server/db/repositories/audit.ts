/**
 * The audit log: append-only and hash-chained (server/domain/audit-chain.ts). The table's triggers refuse
 * updates, deletes, an insert that names an existing id, and an entry that does not extend the chain; nothing
 * here offers anything but appending.
 */
import { sql } from 'kysely';
import type { ChainedAuditRow } from '../../domain/audit-chain';
import type { AuditAction } from '../../domain/audit-actions';
import { isPostgres, type Db } from '../database';
import { appendAuditPostgres } from '../postgres/audit';
import { preparedQuery } from '../prepared';

export interface AuditEntry {
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

/** A new entry: its action is one of AUDIT_ACTIONS (server/domain/audit-actions.ts). */
export interface NewAuditEntry extends AuditEntry {
  action: AuditAction;
}

/**
 * Appends one entry as the next link of the chain. One INSERT … SELECT reads the last entry and writes the
 * new one, so two appends cannot both link to the same entry: a write statement holds SQLite's write lock
 * from its start, in this process and against any other. SQLite-specific: audit_entry_hash is a function
 * registered on each connection (db/database.ts). PostgreSQL: appends take turns on a row lock
 * (db/postgres/audit.ts), across every instance.
 */
export async function appendAudit(db: Db, e: NewAuditEntry): Promise<void> {
  if (isPostgres(db)) {
    await appendAuditPostgres(db, e);
    return;
  }
  const detail = JSON.stringify(e.detail);
  await sql`
    INSERT INTO audit_log (id, at, user_id, username, action, ip, detail, prev_hash, hash)
    SELECT next.id, ${e.at}, ${e.userId}, ${e.username}, ${e.action}, ${e.ip}, ${detail}, next.prev_hash,
           audit_entry_hash(next.prev_hash, next.id, ${e.at}, ${e.userId}, ${e.username}, ${e.action}, ${e.ip}, ${detail})
    FROM (SELECT coalesce(max(id), 0) + 1 AS id, (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS prev_hash FROM audit_log) AS next`.execute(
    db,
  );
}

const chainQuery = (db: Db) =>
  db
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_id', 'username', 'action', 'ip', 'detail', 'prev_hash', 'hash'])
    .orderBy('id');

/** Every entry with its chain fields, oldest first, read one at a time (the log can be long). SQLite only. */
export function iterateAuditChain(db: Db): IterableIterator<ChainedAuditRow> {
  return preparedQuery(db, [], chainQuery).iterate({});
}

/** Entries read per query from PostgreSQL. */
const CHAIN_PAGE = 10_000;

/**
 * Every entry with its chain fields, oldest first, on either database. SQLite reads them one at a time as
 * they are iterated; PostgreSQL reads them all first, in pages of ten thousand by id (an entry is a few
 * hundred bytes, so a million entries is a few hundred megabytes: a limit to lift with a cursor when a log
 * gets that long).
 */
export async function auditChainRows(db: Db): Promise<Iterable<ChainedAuditRow>> {
  if (!isPostgres(db)) return iterateAuditChain(db);
  const rows: ChainedAuditRow[] = [];
  let after = 0;
  for (;;) {
    const page = await chainQuery(db).where('id', '>', after).limit(CHAIN_PAGE).execute();
    for (const row of page) rows.push(row);
    const last = page[page.length - 1];
    if (!last || page.length < CHAIN_PAGE) return rows;
    after = last.id;
  }
}

/** The audit log's columns (none when the database has no audit log), to tell which version of it a file has. */
export async function auditLogColumns(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.find((t) => t.name === 'audit_log')?.columns.map((c) => c.name) ?? [];
}

export interface AuditFilter {
  limit: number;
  action?: string;
  username?: string;
  from?: string;
  to?: string;
}

export async function listAudit(db: Db, options: AuditFilter): Promise<(AuditEntry & { id: number })[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.action) q = q.where('action', '=', options.action);
  if (options.username) q = q.where('username', '=', options.username);
  if (options.from) q = q.where('at', '>=', options.from);
  if (options.to) q = q.where('at', '<', options.to);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    action: r.action,
    ip: r.ip,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
