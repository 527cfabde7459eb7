/**
 * Serves the built Svelte app with @fastify/static, and index.html for any other GET outside /api so that
 * every screen's address can be bookmarked (history-API fallback). Source maps are never served, even if a
 * build left some in the folder (the production build makes none: vite.config.ts), and a missing asset is a
 * 404, not the app's page. The built files are public: their routes
 * declare `access: 'public'` like any other route (the static plugin takes no route config, so an onRoute
 * hook adds it to the routes that serve a file from the web folder, and only to those).
 *
 * A request that matches no route gets a JSON answer under /api, in any letter case ("/API/users" is not
 * the user list, nor an HTML page pretending to be it): 401 before sign-in, as for every /api route that is
 * not public, and 404 once signed in. Any other method than GET or HEAD gets a JSON 404.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from './errors';

const isSourceMap = (path: string) => /\.map$/i.test(path);

export default fp(async function spaPlugin(app: FastifyInstance, opts: { webDir: string }) {
  const root = resolve(opts.webDir);
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    app.addHook('onRoute', (route) => {
      const config = route.config as { rootPath?: unknown; file?: unknown; access?: unknown } | undefined;
      // The static plugin records the folder it serves from, with a trailing slash.
      if (config && config.rootPath === `${root}/` && typeof config.file === 'string') config.access = 'public';
    });
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      allowedPath: (path) => !isSourceMap(path),
      setHeaders(res, path) {
        res.setHeader(
          'cache-control',
          path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const [path = ''] = request.url.split('?'); // already in its one spelling (canonical-url.ts)
    const api = /^\/api(\/|$)/i.test(path);
    if (api && !request.user) return reply.status(401).send(errorBody('not-signed-in', 'Sign in to use this.'));
    if (
      api ||
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      isSourceMap(path) ||
      path.startsWith('/assets/')
    ) {
      return reply.status(404).send(errorBody('not-found', `There is no ${request.method} ${path} here.`));
    }
    if (!built) {
      return reply
        .status(503)
        .type('text/plain')
        .send('The web app has not been built: run `npm run build` (npm start does this for you).');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
});
