/**
 * Reading the audit log: entries newest first, filtered, and the actions it records (commissioners and
 * admins); and checking its hash chain (`npm run audit:verify`).
 */
import type { Db } from '../db/database';
import { auditLogColumns, auditChainRows, listAudit } from '../db/repositories/audit';
import { auditActionList } from '../domain/audit-actions';
import { verifyAuditChain, type ChainedAuditRow } from '../domain/audit-chain';
import type { AuditActionBody, AuditEntryBody, AuditQuery } from '../schemas/admin';
import type { Deps } from './context';

/** Entries newest first; `from` and `to` are dates (UTC), both inclusive. */
export async function auditEntries(deps: Deps, query: AuditQuery): Promise<AuditEntryBody[]> {
  const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
  return listAudit(deps.db, {
    limit: query.limit ?? 200,
    action: query.action,
    username: query.username,
    from: query.from ? `${query.from}T00:00:00.000Z` : undefined,
    to: query.to ? dayAfter(query.to) : undefined,
  });
}

export function auditActions(): AuditActionBody[] {
  return auditActionList();
}

export type AuditLogCheck =
  | { kind: 'no-audit-log' }
  | { kind: 'not-chained' }
  | { kind: 'broken'; badId: number; problem: string; entriesBefore: number }
  | { kind: 'anchor-missing'; anchorId: number }
  | { kind: 'anchor-changed'; anchorId: number }
  | { kind: 'empty' }
  | { kind: 'ok'; entries: number; lastId: number; lastHash: string };

/**
 * Checks every link of the audit log's hash chain (server/domain/audit-chain.ts), reading the entries one at a
 * time, and, given an anchor noted earlier, that its entry is still there with the same hash.
 */
export async function checkAuditLog(db: Db, anchor: { id: number; hash: string } | null): Promise<AuditLogCheck> {
  const columns = await auditLogColumns(db);
  if (!columns.includes('id')) return { kind: 'no-audit-log' };
  if (!columns.includes('hash')) return { kind: 'not-chained' };
  let anchorRow: ChainedAuditRow | null = null;
  const chain = await auditChainRows(db);
  const rows = function* () {
    for (const row of chain) {
      if (anchor && row.id === anchor.id) anchorRow = row;
      yield row;
    }
  };
  const verdict = verifyAuditChain(rows());
  if (!verdict.ok)
    return { kind: 'broken', badId: verdict.badId, problem: verdict.problem, entriesBefore: verdict.entries - 1 };
  if (anchor) {
    const found = anchorRow as ChainedAuditRow | null;
    if (!found) return { kind: 'anchor-missing', anchorId: anchor.id };
    if (found.hash !== anchor.hash) return { kind: 'anchor-changed', anchorId: anchor.id };
  }
  if (verdict.lastId === null || verdict.lastHash === null) return { kind: 'empty' };
  return { kind: 'ok', entries: verdict.entries, lastId: verdict.lastId, lastHash: verdict.lastHash };
}
