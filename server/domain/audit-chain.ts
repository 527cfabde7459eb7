/**
 * The audit log's hash chain (SPEC section 8: tamper-evident). Each entry stores `prev_hash`, the hash of the
 * entry before it (null for the first), and `hash`, the SHA-256 (lower-case hex) of the entry's canonical
 * bytes:
 *
 *   UTF-8 of the JSON array ["audit-v1", prev_hash, id, at, user_id, username, action, ip, detail]
 *
 * written by JSON.stringify with no spaces: numbers as JSON numbers, absent values as null, and `detail` as
 * the JSON text exactly as stored (a string, so its bytes are hashed as written). Changing any stored field
 * of an entry, its id, or the order of entries, breaks the chain at that entry; removing an entry breaks it
 * at the next one. Pure computation: no I/O.
 */
import { createHash } from 'node:crypto';

export const AUDIT_CHAIN_VERSION = 'audit-v1';

/** The stored fields of one audit entry, as the database holds them. */
export interface ChainedAuditRow {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  ip: string | null;
  detail: string;
  prev_hash: string | null;
  hash: string | null;
}

export type AuditFields = Omit<ChainedAuditRow, 'prev_hash' | 'hash'>;

export function canonicalAuditEntry(prevHash: string | null, e: AuditFields): string {
  return JSON.stringify([AUDIT_CHAIN_VERSION, prevHash, e.id, e.at, e.user_id, e.username, e.action, e.ip, e.detail]);
}

export function auditEntryHash(prevHash: string | null, e: AuditFields): string {
  return createHash('sha256').update(canonicalAuditEntry(prevHash, e), 'utf8').digest('hex');
}

export type ChainVerdict =
  | { ok: true; entries: number; lastId: number | null; lastHash: string | null }
  | { ok: false; entries: number; badId: number; problem: string };

/**
 * Walks the entries in id order and names the first that does not fit: its stored hash is not the hash of its
 * contents (it was changed after it was written), or its prev_hash is not the previous entry's hash (an entry
 * before it was removed, added or reordered). `entries` counts the entries read up to the verdict.
 */
export function verifyAuditChain(rows: Iterable<ChainedAuditRow>): ChainVerdict {
  let previous: ChainedAuditRow | null = null;
  let entries = 0;
  for (const row of rows) {
    entries++;
    const expectedPrev = previous?.hash ?? null;
    if (previous && row.id <= previous.id) {
      return {
        ok: false,
        entries,
        badId: row.id,
        problem: `it comes after entry ${previous.id} but its id is not larger`,
      };
    }
    if (row.hash === null)
      return { ok: false, entries, badId: row.id, problem: 'it has no hash (written outside the chain)' };
    if (row.prev_hash !== expectedPrev) {
      return {
        ok: false,
        entries,
        badId: row.id,
        problem: previous
          ? `its link to the entry before it does not match entry ${previous.id} (an entry between them was removed, added or reordered)`
          : 'it is the first entry but links to an earlier one (entries before it were removed)',
      };
    }
    if (auditEntryHash(row.prev_hash, row) !== row.hash) {
      return {
        ok: false,
        entries,
        badId: row.id,
        problem: 'its contents do not match its hash (it was changed after it was written)',
      };
    }
    previous = row;
  }
  return { ok: true, entries, lastId: previous?.id ?? null, lastHash: previous?.hash ?? null };
}
