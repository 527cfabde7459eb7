/** Error codes and their HTTP statuses: one table (server/plugins/errors.ts), checked by kind of failure. */
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../server/plugins/errors';

describe('every error code has one status, by kind of failure', () => {
  const BY_STATUS: [number, ErrorCode[]][] = [
    [400, ['bad-request', 'weak-password', 'same-password', 'malformed-upload', 'upload-interrupted']],
    [401, ['not-signed-in', 'sign-in-failed']],
    [403, ['forbidden', 'cross-site', 'wrong-password']],
    [404, ['not-found', 'file-not-kept']],
    [
      409,
      [
        'already-signed-off',
        'year-not-ended',
        'incomplete',
        'not-signed-off',
        'period-locked',
        'year-locked',
        'year-exists',
        'username-taken',
        'own-account',
        'last-admin',
        'network-exists',
        'membership-conflict',
        'figures-changed',
      ],
    ],
    [413, ['too-large']],
    [415, ['unsupported-media-type']],
    [422, ['invalid-rules']],
    [429, ['too-many-attempts', 'too-many-requests']],
    [500, ['upload-failed', 'internal']],
  ];
  it.each(BY_STATUS)('%i: %j', (status, codes) => {
    for (const code of codes) expect([code, ERROR_STATUS[code]]).toEqual([code, status]);
  });
  it('lists each code once, and no other', () => {
    const listed = BY_STATUS.flatMap(([, codes]) => codes);
    expect(new Set(listed).size).toBe(listed.length);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...listed].sort());
  });
});
