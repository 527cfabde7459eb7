/**
 * The audit log's hash chain (server/domain/audit-chain.ts). The hashes below can be checked by hand with
 * the shell: printf '%s' '<canonical text>' | sha256sum.
 */
import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  canonicalAuditEntry,
  verifyAuditChain,
  type ChainedAuditRow,
} from '../../server/domain/audit-chain';

const FIRST = {
  id: 1,
  at: '2026-11-21T10:00:00.000Z',
  user_id: null,
  username: 'manager',
  action: 'sign-in-failed',
  ip: '10.1.2.3',
  detail: '{"reason":"wrong password"}',
};
const FIRST_HASH = 'ee97b08fb02ab56db04a9fd84f753e8bf534f8265199f63d1dd880ca4b488524';
const SECOND = {
  id: 2,
  at: '2026-11-21T10:00:05.000Z',
  user_id: 4,
  username: 'gp',
  action: 'sign-in',
  ip: '10.1.2.4',
  detail: '{}',
};
const SECOND_HASH = 'bf58f8a42ade325eee3769dec757e0dcc89c47d61a916b721884d1ff05713d08';

describe('the canonical bytes of an entry and its hash', () => {
  it('writes the version, the link, then every stored field in a fixed order, as compact JSON', () => {
    expect(canonicalAuditEntry(null, FIRST)).toBe(
      '["audit-v1",null,1,"2026-11-21T10:00:00.000Z",null,"manager","sign-in-failed","10.1.2.3","{\\"reason\\":\\"wrong password\\"}"]',
    );
    expect(canonicalAuditEntry(FIRST_HASH, SECOND)).toBe(
      `["audit-v1","${FIRST_HASH}",2,"2026-11-21T10:00:05.000Z",4,"gp","sign-in","10.1.2.4","{}"]`,
    );
  });

  it('hashes them with SHA-256, in lower-case hex', () => {
    expect(auditEntryHash(null, FIRST)).toBe(FIRST_HASH);
    expect(auditEntryHash(FIRST_HASH, SECOND)).toBe(SECOND_HASH);
  });

  it.each([
    ['id', { id: 3 }],
    ['time', { at: '2026-11-21T10:00:05.001Z' }],
    ['user id', { user_id: 5 }],
    ['username', { username: 'GP' }],
    ['action', { action: 'sign-out' }],
    ['address', { ip: '10.1.2.5' }],
    ['detail', { detail: '{ }' }],
  ])('changes when the %s changes', (_field, change) => {
    expect(auditEntryHash(FIRST_HASH, { ...SECOND, ...change })).not.toBe(SECOND_HASH);
  });

  it('changes when the link changes', () => {
    expect(auditEntryHash(null, SECOND)).not.toBe(SECOND_HASH);
  });
});

describe('verifyAuditChain names the first entry that does not fit', () => {
  const row = (fields: typeof FIRST | typeof SECOND, prev: string | null, hash: string | null): ChainedAuditRow => ({
    ...fields,
    prev_hash: prev,
    hash,
  });
  const third = {
    id: 3,
    at: '2026-11-21T10:01:00.000Z',
    user_id: 4,
    username: 'gp',
    action: 'sign-out',
    ip: '10.1.2.4',
    detail: '{}',
  };
  const THIRD_HASH = auditEntryHash(SECOND_HASH, third);
  const chain = [
    row(FIRST, null, FIRST_HASH),
    row(SECOND, FIRST_HASH, SECOND_HASH),
    row(third, SECOND_HASH, THIRD_HASH),
  ];

  it('accepts an intact chain and reports its last entry', () => {
    expect(verifyAuditChain(chain)).toEqual({ ok: true, entries: 3, lastId: 3, lastHash: THIRD_HASH });
  });

  it('accepts an empty log', () => {
    expect(verifyAuditChain([])).toEqual({ ok: true, entries: 0, lastId: null, lastHash: null });
  });

  it.each<[string, ChainedAuditRow[], number, string]>([
    [
      'an entry changed in place',
      [chain[0]!, { ...chain[1]!, detail: '{"note":"edited"}' }, chain[2]!],
      2,
      'contents do not match its hash',
    ],
    [
      'an entry changed and its hash recomputed',
      [
        chain[0]!,
        { ...chain[1]!, action: 'sign-out', hash: auditEntryHash(FIRST_HASH, { ...SECOND, action: 'sign-out' }) },
        chain[2]!,
      ],
      3,
      'does not match entry 2',
    ],
    ['an entry removed from the middle', [chain[0]!, chain[2]!], 3, 'does not match entry 1'],
    ['the first entry removed', [chain[1]!, chain[2]!], 2, 'it is the first entry but links to an earlier one'],
    ['two entries swapped', [chain[0]!, chain[2]!, chain[1]!], 3, 'does not match entry 1'],
    ['an entry written without a hash', [chain[0]!, chain[1]!, { ...chain[2]!, hash: null }], 3, 'has no hash'],
  ])('%s', (_case, rows, badId, problem) => {
    const verdict = verifyAuditChain(rows);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.badId).toBe(badId);
    expect(!verdict.ok && verdict.problem).toContain(problem);
  });
});
