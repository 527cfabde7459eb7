/**
 * Requests that may write take a shared turn of the app's WriteGate (db/write-gate.ts) while their handler
 * runs, so none of them writes while an upload's worker holds its write transaction: they wait for it
 * without blocking anything else, and requests that only read (GET, HEAD) never wait.
 *
 * An upload route declares `receivesUpload: true`: it must not hold a turn while it streams a file in and
 * waits for the worker (whose write needs the gate to itself), so it takes turns only for its own writes.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WriteGate } from '../db/write-gate';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route receives an upload and takes write turns itself (see plugins/write-gate.ts). */
    receivesUpload?: boolean;
  }
  interface FastifyInstance {
    writeGate: WriteGate;
  }
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(async function writeGatePlugin(app: FastifyInstance, opts: { gate: WriteGate }) {
  app.decorate('writeGate', opts.gate);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => READ_ONLY.has(m)) || route.config?.receivesUpload) return;
    const handler = route.handler;
    route.handler = function gatedHandler(this: FastifyInstance, request, reply) {
      return opts.gate.shared(() => handler.call(this, request, reply));
    };
  });
});
