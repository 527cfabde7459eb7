/**
 * Access is declared, not coded. Every route says who may use it in its options
 * (`config: { access: 'public' | 'signed-in' | readonly Role[] }`); this plugin
 *
 * - collects every route as it is registered (onRoute) and refuses to start if any route declares no valid
 *   access (deny by default: a route nobody thought about is not served);
 * - decides every request on the route that matched (`request.routeOptions.config.access`), never on the
 *   spelling of the URL, with the rule in server/domain/access.ts. It runs as the first preParsing hook, so
 *   after the session is read (onRequest) and before the body is read or validated: a refused request never
 *   reaches a body parser, a validator or a handler.
 *
 * Requests that match no route are left to the not-found handler (a JSON 404 under /api for everyone).
 * Register this plugin before any route, so none escapes the start-up check.
 */
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { decideAccess, isAccess, networkView, type Access, type NetworkView, type Viewer } from '../domain/access';
import {DomainError, forbidden } from './errors';

export interface DeclaredRoute {
  method: HTTPMethods;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route the app serves, with its declared access: one entry per method and URL. */
    declaredRoutes(): readonly DeclaredRoute[];
  }
}

export default fp(async function accessPlugin(app: FastifyInstance) {
  // The route options objects themselves: a later onRoute hook (the SPA's, for its static files) may still
  // add the declaration after this one has run, so they are checked once every route is in.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });

  const table = (): DeclaredRoute[] =>
    routes.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method: method as HTTPMethods, url: r.url, access: r.config?.access as Access })));
  app.decorate('declaredRoutes', table);

  app.addHook('onReady', async () => {
    const undeclared = table().filter((r) => !isAccess(r.access));
    if (undeclared.length) {
      throw new Error(
        `Every route must declare who may use it (config.access: 'public', 'signed-in' or a list of roles); these do not: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}.`,
      );
    }
  });

  app.addHook('preParsing', async (request) => {
    if (request.is404) return;
    const decision = decideAccess(request.routeOptions.config.access, request.user);
    if (decision === 'not-signed-in') throw new DomainError('not-signed-in', 'Sign in to use this.');
    if (decision === 'forbidden') {
      const role = request.user?.role;
      throw new DomainError('forbidden', role ? `Your role (${role}) cannot do this; ask an admin if you need it.` : 'Nobody may do this.');
    }
  });
});

/**
 * How much of a network the viewer sees (server/domain/access.ts), refusing with 403 a network they may not
 * see at all.
 */
export function requireNetworkView(viewer: Viewer, networkCode: string): Exclude<NetworkView, 'none'> {
  const view = networkView(viewer, networkCode);
  if (view === 'none') throw forbidden(`You can see ${viewer.networkCode ? `your own network (${viewer.networkCode})` : 'no network'} only.`);
  return view;
}
