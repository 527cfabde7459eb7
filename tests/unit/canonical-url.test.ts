/** One spelling per path before routing (server/plugins/canonical-url.ts). */
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../server/plugins/canonical-url';

describe('canonicalUrl', () => {
  const TABLE: [string, string, string][] = [
    ['plain', '/api/users', '/api/users'],
    ['root', '/', '/'],
    ['empty', '', '/'],
    ['encoded letters, lower-case hex', '/%61%70%69/%75sers', '/api/users'],
    ['encoded letters, upper-case hex', '/%41PI/%6A%6B', '/API/jk'],
    ['encoded digits and unreserved marks', '/api/users/%31%32/%2D%5F%7E', '/api/users/12/-_~'],
    ['doubled slashes', '//api//users///7', '/api/users/7'],
    ['trailing slash', '/api/users/', '/api/users'],
    ['a dot segment', '/api/./users', '/api/users'],
    ['an encoded dot segment', '/api/%2e/users/%2E', '/api/users'],
    ['a double-dot segment removes the one before', '/api/x/../users', '/api/users'],
    ['an encoded double-dot segment', '/api/x/%2e%2E/users', '/api/users'],
    ['never above the root', '/../../api/users', '/api/users'],
    ['dots inside a segment are not dot segments', '/api/attainment.csv', '/api/attainment.csv'],
    ['an encoded slash stays encoded (upper-case hex)', '/api/users%2f7', '/api/users%2F7'],
    ['an encoded percent is never decoded twice', '/api/%252e%252e/users', '/api/%252e%252e/users'],
    ['other escapes keep their meaning, hex in upper case', '/api/a%20b%c3%a9', '/api/a%20b%C3%A9'],
    [
      'the query string is left alone',
      '/%61pi/attainment/?network=%4E1&x=a//b/../c',
      '/api/attainment?network=%4E1&x=a//b/../c',
    ],
    ['letter case is kept (paths are case-sensitive)', '/API/Users', '/API/Users'],
  ];
  it.each(TABLE)('%s: %s → %s', (_name, raw, expected) => {
    expect(canonicalUrl(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [, raw] of TABLE) expect(canonicalUrl(canonicalUrl(raw))).toBe(canonicalUrl(raw));
  });
});
