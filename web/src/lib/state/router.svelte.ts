/** A small history-API router: the address is the state, so every screen can be bookmarked. */

/** The screen an address shows; the screens of one network or practice carry its code. */
export type Route =
  | { name: 'network' | 'meeting' | 'practice'; code: string }
  | { name: 'overview' | 'uploads' | 'payments' | 'admin' | 'audit' | 'not-found' };

/** Addresses with a code: the pattern's one group is the code, still URL-encoded. */
const CODE_ROUTES: { name: 'network' | 'meeting' | 'practice'; pattern: RegExp }[] = [
  { name: 'network', pattern: /^\/networks\/([^/]+)\/?$/ },
  { name: 'meeting', pattern: /^\/networks\/([^/]+)\/meeting\/?$/ },
  { name: 'practice', pattern: /^\/practices\/([^/]+)\/?$/ },
];

const PLAIN_ROUTES: { name: 'overview' | 'uploads' | 'payments' | 'admin' | 'audit'; pattern: RegExp }[] = [
  { name: 'overview', pattern: /^\/$/ },
  { name: 'uploads', pattern: /^\/uploads\/?$/ },
  { name: 'payments', pattern: /^\/payments\/?$/ },
  { name: 'admin', pattern: /^\/admin\/?$/ },
  { name: 'audit', pattern: /^\/audit\/?$/ },
];

export function matchRoute(pathname: string): Route {
  for (const r of CODE_ROUTES) {
    const code = r.pattern.exec(pathname)?.[1];
    if (code !== undefined) return { name: r.name, code: decodeURIComponent(code) };
  }
  for (const r of PLAIN_ROUTES) if (r.pattern.test(pathname)) return { name: r.name };
  return { name: 'not-found' };
}

class Router {
  pathname = $state(location.pathname);
  search = $state(location.search);
  route = $derived(matchRoute(this.pathname));
  query = $derived(new URLSearchParams(this.search));

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  private sync(): void {
    this.pathname = location.pathname;
    this.search = location.search;
  }

  navigate(url: string, replace = false): void {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.sync();
    if (!replace) scrollTo(0, 0);
  }

  /** Changes one query parameter of the current address, keeping the others. */
  setQuery(name: string, value: string | null): void {
    // As URLSearchParams.set/delete would: the new value takes the place of the first one, others go.
    const entries = [...new URLSearchParams(this.search)];
    const at = entries.findIndex(([k]) => k === name);
    const kept = entries.filter(([k]) => k !== name);
    if (value !== null && value !== '') kept.splice(at === -1 ? kept.length : at, 0, [name, value]);
    const s = new URLSearchParams(kept).toString();
    this.navigate(`${this.pathname}${s ? `?${s}` : ''}`, true);
  }
}

export const router = new Router();

/** Lets ordinary <a href="/…"> links navigate without a page load. */
export function handleLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const a = (event.target as Element).closest('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin || a.pathname.startsWith('/api/'))
    return;
  event.preventDefault();
  router.navigate(a.pathname + a.search + a.hash);
}
