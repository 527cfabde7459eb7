/** The rule for a new password (server/domain/password-policy.ts) and the common-password list it uses. */
import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '../../server/domain/password-policy';
import { COMMON_PASSWORD_COUNT, isCommonPassword } from '../../server/security/common-passwords';

// A small stand-in list, so each case's reason can be read from the table.
const LIST = new Set(['password1234', 'qwerty123456', 'iloveyou2026']);
const check = (password: string, username: string | null = 'alice') =>
  passwordProblem(password, { username, isCommon: (p) => LIST.has(p) });

describe('passwordProblem', () => {
  it('has a 12-character minimum and a 128-character maximum', () => {
    expect([MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH]).toEqual([12, 128]);
  });

  it.each([
    ['correct horse battery', 'three words'],
    ['kettle-on-at-four', 'words and dashes'],
    ['Tr0ub4dor&3xyz', 'twelve characters and more'],
    ['abcdefghijk!', 'exactly 12, not a run because of the last character'],
    ['  spaced out  ', 'spaces inside and around count'],
    ['ééééééééééé1', 'accented letters count as one character each'],
    ['a'.repeat(127) + 'b', '128 characters'],
    ['alice in wonderland', 'contains the username, but is not it'],
    ['demo-manager', 'exactly 12 characters'],
    ['correct horse correct horse', 'a repeated piece that is long enough itself'],
  ])('accepts %j (%s)', (password) => {
    expect(check(password)).toBeNull();
  });

  it.each([
    ['1234567890', 'at least 12 characters; this one has 10'],
    [' '.repeat(10), 'at least 12 characters; this one has 10'],
    ['e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301', 'at least 12 characters; this one has 6'],
    ['x'.repeat(129), 'at most 128 characters; this one has 129'],
    [' '.repeat(12), 'cannot be only spaces'],
    ['\t \u00a0'.repeat(5), 'cannot be only spaces'],
    ['AliceAliceAlice', 'one short pattern repeated'],
    ['   ALICE      ', 'cannot be the username'],
    ['password1234', 'commonly used passwords'],
    ['PASSWORD1234', 'commonly used passwords'],
    [' Qwerty123456 ', 'commonly used passwords'],
    ['aaaaaaaaaaaa', 'one short pattern repeated'],
    ['abababababab', 'one short pattern repeated'],
    ['abcdabcdabcd', 'one short pattern repeated'],
    ['monkeymonkey', 'one short pattern repeated'],
    ['123456789012', 'run of consecutive characters'],
    ['987654321098', 'run of consecutive characters'],
    ['abcdefghijkl', 'run of consecutive characters'],
    ['ZYXWVUTSRQPO', 'run of consecutive characters'],
  ])('judges %j: %s', (password, why) => {
    expect(check(password)).toContain(why);
  });

  it('says what to do next', () => {
    expect(check('short')).toMatch(/A few unrelated words make a long password/);
    expect(check('password1234')).toMatch(/choose another/);
  });
});

describe('the common-password list (@zxcvbn-ts/language-common)', () => {
  it('is loaded in full and matched ignoring case through the rule', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThan(40_000);
    for (const p of ['123456789012', 'passwordpassword', 'password1234', 'qwertyuiop123'])
      expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword('correct horse battery')).toBe(false);
    expect(passwordProblem('PassWord1234', { username: null, isCommon: isCommonPassword })).toContain('commonly used');
  });
});
