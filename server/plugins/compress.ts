/**
 * Responses are compressed on the way out (@fastify/compress): API JSON and CSV, and the web app's files
 * served by @fastify/static, for a client that says it accepts brotli or gzip. Below 1 KB a response goes as
 * it is (compression would not pay for itself). Brotli runs at quality 4 (the library's default): the
 * payment statements for every network are over a megabyte, and quality 11 would cost more time than the
 * smaller answer saves. Request bodies are never inflated: uploads arrive as they are and a compressed body
 * is refused (415), so no small request can expand into a large one behind the body limits.
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(async function compressPlugin(app: FastifyInstance) {
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    requestEncodings: ['identity'],
  });
});
