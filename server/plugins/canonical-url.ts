/**
 * One spelling for every path, before the router sees it (Fastify's rewriteUrl), so a request gets the same
 * answer however its path is written (SPEC section 8):
 *
 * - percent-encoded unreserved characters (letters, digits, "-", ".", "_", "~") are decoded, and the hex of
 *   every other escape is written in upper case (RFC 3986 section 6.2.2: these spellings are equivalent);
 * - runs of "/" become one, and a trailing "/" is dropped;
 * - "." segments are removed and ".." segments remove the one before (never above the root), also when
 *   written "%2e" / "%2E".
 *
 * An encoded "/" (%2F) stays encoded, so it never splits a segment. Letter case is kept: paths are
 * case-sensitive, so "/API/users" matches no route and is a 404. The query string is left as it is.
 * Access does not rely on this: it is decided on the matched route (plugins/access.ts).
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function canonicalSegment(segment: string): string {
  return segment.replace(/%([0-9A-Fa-f]{2})/g, (escape: string, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

export function canonicalUrl(raw: string): string {
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q);
  const out: string[] = [];
  for (const part of path.split('/')) {
    const segment = canonicalSegment(part);
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}${query}`;
}
