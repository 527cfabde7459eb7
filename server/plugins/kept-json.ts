/**
 * Sends a kept JSON body (services/figures-cache.ts) in the best encoding the client accepts (brotli, then
 * gzip), from bytes compressed once per data version rather than on every request. The compression plugin
 * leaves a response that already names its Content-Encoding alone.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeptJson } from '../services/figures-cache';

/** The encodings a client accepts, ignoring any it refuses with q=0. */
function accepts(header: string | undefined, encoding: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== encoding) return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

export function sendKeptJson(request: FastifyRequest, reply: FastifyReply, kept: KeptJson): FastifyReply {
  const header = request.headers['accept-encoding'];
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.header('vary', 'accept-encoding');
  const encoding = accepts(header, 'br') ? 'br' : accepts(header, 'gzip') ? 'gzip' : null;
  if (!encoding) return reply.send(kept.bytes);
  return reply.header('content-encoding', encoding).send(kept.encodedAs(encoding));
}
