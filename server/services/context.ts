/**
 * What every use case is given: the database and the clock (the app passes itself; a command-line entry point
 * passes its own), and, for a change, who is acting and from where (for the audit log). No HTTP here.
 */
import type { Db } from '../db/database';
import { appendAudit } from '../db/repositories/audit';
import type { SessionUser } from '../db/repositories/users';
import type { AuditAction } from '../domain/audit-actions';

export interface Deps {
  db: Db;
  now(): Date;
}

/** The signed-in person making a change, and their address. */
export interface Actor {
  user: SessionUser;
  ip: string;
}

/** Writes an audit entry for a change the actor made, now (in `db`: pass a transaction to write it with the change). */
export async function audit(
  deps: Deps,
  actor: Actor,
  action: AuditAction,
  detail: Record<string, unknown>,
  db: Db = deps.db,
): Promise<void> {
  await appendAudit(db, {
    at: deps.now().toISOString(),
    userId: actor.user.id,
    username: actor.user.username,
    action,
    ip: actor.ip,
    detail,
  });
}
