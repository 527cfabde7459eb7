/**
 * The list of commonly used passwords a new password is checked against: the "passwords-common" dictionary
 * of @zxcvbn-ts/language-common (MIT licence, maintained with the zxcvbn-ts strength estimator): 49,233
 * lower-cased passwords, most frequent first, each seen more than ten times in Mark Burnett's published set
 * of ten million leaked passwords. The list leaves out passwords that are only a pattern (repeats, runs,
 * keyboard rows) because zxcvbn finds those by rule; the password rule checks repeats and runs itself.
 * Loaded once into a Set, so a check is one hash lookup.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export const COMMON_PASSWORD_COUNT = COMMON.size;

/** Whether a lower-cased password is on the list. */
export function isCommonPassword(lowerCased: string): boolean {
  return COMMON.has(lowerCased);
}
