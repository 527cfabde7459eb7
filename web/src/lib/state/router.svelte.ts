/** A small history-API router: the address is the state, so every screen can be bookmarked. */

export interface Route {
  name: 'overview' | 'network' | 'meeting' | 'practice' | 'uploads' | 'payments' | 'admin' | 'audit' | 'not-found';
  params: Record<string, string>;
}

const ROUTES: { name: Route['name']; pattern: RegExp; keys: string[] }[] = [
  { name: 'overview', pattern: /^\/$/, keys: [] },
  { name: 'network', pattern: /^\/networks\/([^/]+)\/?$/, keys: ['code'] },
  { name: 'meeting', pattern: /^\/networks\/([^/]+)\/meeting\/?$/, keys: ['code'] },
  { name: 'practice', pattern: /^\/practices\/([^/]+)\/?$/, keys: ['code'] },
  { name: 'uploads', pattern: /^\/uploads\/?$/, keys: [] },
  { name: 'payments', pattern: /^\/payments\/?$/, keys: [] },
  { name: 'admin', pattern: /^\/admin\/?$/, keys: [] },
  { name: 'audit', pattern: /^\/audit\/?$/, keys: [] },
];

export function matchRoute(pathname: string): Route {
  for (const r of ROUTES) {
    const m = r.pattern.exec(pathname);
    if (m)
      return { name: r.name, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)])) };
  }
  return { name: 'not-found', params: {} };
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
    const q = new URLSearchParams(this.search);
    if (value === null || value === '') q.delete(name);
    else q.set(name, value);
    const s = q.toString();
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
