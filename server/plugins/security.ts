/**
 * Security headers and cross-site protection.
 *
 * - @fastify/helmet: a content security policy the built app runs under (scripts and styles from the app's
 *   own origin only, no plugins, no <base>, never framed), nosniff, a same-origin referrer policy.
 * - Every state-changing request (POST, PUT, PATCH, DELETE, whatever its path) must come from the product's
 *   own pages: a browser's Sec-Fetch-Site must be same-origin, and an Origin header must name this host. Requests without either (scripts, curl) carry no
 *   ambient browser credentials to abuse, and the session cookie is SameSite=Strict besides, so they pass.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function foreignOrigin(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    if (origin === 'null') return 'Origin: null';
    try {
      const from = new URL(origin);
      // request.host honours X-Forwarded-Host only when TRUST_PROXY is set; parsing it the same way drops a
      // default port on both sides (http://host:80 and http://host are one origin).
      const self = new URL(`${from.protocol}//${request.host}`);
      if (from.host !== self.host) return `Origin: ${origin}`;
    } catch (e) {
      // new URL throws a TypeError for an origin that is not a URL: refused like any foreign origin.
      if (e instanceof TypeError) return `Origin: ${origin}`;
      throw e;
    }
  }
  return null;
}

export default fp(async function securityPlugin(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    hsts: false, // set by the TLS-terminating proxy, which knows whether TLS is in use
  });

  app.addHook('onRequest', async (request) => {
    if (!UNSAFE.has(request.method)) return;
    const why = foreignOrigin(request);
    if (why) {
      request.log.warn({ why, url: request.url }, 'refused a cross-site request');
      throw new DomainError(
        'cross-site',
        'This request did not come from the dashboard’s own pages, so it was refused. Use the dashboard in this browser tab, or call the API without a browser.',
      );
    }
  });
});
