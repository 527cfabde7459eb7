/**
 * The rule for a new password (OWASP ASVS level 2, section 2.1; NIST SP 800-63B 5.1.1): long enough, not
 * blank, not the username, not a commonly used password, not one short pattern repeated and not a run of
 * consecutive characters. No rules about mixing kinds of characters: length and avoiding the passwords
 * attackers try first are what help. Every password set through the API or `npm run create-admin` must pass;
 * the seeded demo accounts' published passwords (SPEC section 10) are not set that way.
 *
 * Length counts characters (Unicode code points) after NFKC normalisation, the form that is hashed. The
 * common-password list is passed in (server/security/common-passwords.ts), matched ignoring case and
 * surrounding spaces. Pure: no I/O.
 */
import { must } from './must';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** The rule in one sentence, as the screens and the command line state it. */
export const PASSWORD_RULE = `At least ${MIN_PASSWORD_LENGTH} characters (at most ${MAX_PASSWORD_LENGTH}); not only spaces, not the username, not a commonly used password, and not a simple pattern such as "aaaa…" or "1234…". A few unrelated words make a long password that is easy to remember.`;

export interface PasswordContext {
  /** The account's username, when known: the password may not be the same. */
  username?: string | null;
  /** Whether a lower-cased, trimmed password is on the list of commonly used passwords. */
  isCommon: (lowerCased: string) => boolean;
}

const characters = (s: string) => [...s];

/** A piece shorter than the minimum length repeated to fill the whole password: "aaaa…", "abab…", "monkeymonkey". */
function isRepeatedPattern(s: string): boolean {
  const chars = characters(s);
  for (let unit = 1; unit < MIN_PASSWORD_LENGTH && unit * 2 <= chars.length; unit++) {
    if (chars.length % unit === 0 && chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** Each character one after the one before, all up or all down ("abcd…", "4321…"); digits run on from 9 to 0. */
function isConsecutiveRun(s: string): boolean {
  const codes = characters(s).map((c) => must(c.codePointAt(0), 'a code point in a one-character string'));
  const step = (a: number, b: number): number | null => {
    if (b - a === 1 || b - a === -1) return b - a;
    const zero = 48;
    const nine = 57;
    if (a === nine && b === zero) return 1;
    if (a === zero && b === nine) return -1;
    return null;
  };
  if (codes.length < 2) return false;
  let first: number | null = null;
  let previous: number | null = null;
  for (const code of codes) {
    if (previous !== null) {
      const here = step(previous, code);
      if (here === null || (first !== null && here !== first)) return false;
      first = here;
    }
    previous = code;
  }
  return true;
}

/** Why a proposed password is refused, in words that say what to do instead; null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const normalised = password.normalize('NFKC');
  const length = characters(normalised).length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `A password needs at least ${MIN_PASSWORD_LENGTH} characters; this one has ${length}. A few unrelated words make a long password that is easy to remember.`;
  }
  if (length > MAX_PASSWORD_LENGTH)
    return `A password can have at most ${MAX_PASSWORD_LENGTH} characters; this one has ${length}.`;
  const core = normalised.trim().toLowerCase();
  if (core === '') return 'A password cannot be only spaces; use letters, digits or words.';
  if (context.username && core === context.username.trim().toLowerCase())
    return 'A password cannot be the username; choose something else.';
  if (context.isCommon(core)) {
    return 'This password is on a list of commonly used passwords that attackers try first; choose another (a few unrelated words work well).';
  }
  if (isRepeatedPattern(core))
    return 'A password cannot be one short pattern repeated (like "aaaa…", "abab…" or "monkeymonkey"); choose something less predictable.';
  if (isConsecutiveRun(core))
    return 'A password cannot be a run of consecutive characters (like "1234…" or "abcd…"); choose something less predictable.';
  return null;
}
