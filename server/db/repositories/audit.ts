/** The audit log: append-only (the table's triggers refuse updates and deletes; nothing here offers them). */
import type { Db } from '../database';

export interface AuditEntry {
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at: e.at, user_id: e.userId, username: e.username, action: e.action, ip: e.ip, detail: JSON.stringify(e.detail) })
    .execute();
}

/** Failed sign-ins since a time, for a username (case-insensitive) and for an address. */
export async function countFailedSignIns(db: Db, since: string, username: string, ip: string): Promise<{ byUser: number; byIp: number }> {
  const count = async (column: 'username' | 'ip', value: string) => {
    const r = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'sign-in-failed')
      .where(column, '=', value)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const [byUser, byIp] = await Promise.all([count('username', username.toLowerCase()), count('ip', ip)]);
  return { byUser, byIp };
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
  return rows.map((r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, ip: r.ip, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
