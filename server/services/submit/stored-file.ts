/** Reading a received file, and keeping its bytes with its submission. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Db } from '../../db/database';
import { insertSubmissionChunk } from '../../db/repositories/submissions';

/**
 * Reads a file in 64 KiB pieces. Larger pieces are no faster (the parser is the slow part) and make the
 * worker's memory peak grow with the garbage each piece leaves (a national upload: 315 MB at 64 KiB,
 * 380 MB at 1 MiB).
 */
export function readFileStream(file: string) {
  return createReadStream(file, { highWaterMark: 64 * 1024 });
}

/** Pieces the stored bytes are written in: no upload is held whole in memory. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Keeps the first `maxBytes` of a file (all of it when it is shorter) as the submission's original bytes,
 * a few megabytes per row. Returns how many bytes were kept.
 */
export async function storeSubmissionFile(
  db: Db,
  submissionId: number,
  file: string,
  maxBytes: number,
): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let stored = 0;
    for (let seq = 0; stored < maxBytes; seq++) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, maxBytes - stored), stored);
      if (bytesRead === 0) break;
      // The buffer is read into again only after this insert has finished with it.
      await insertSubmissionChunk(db, submissionId, seq, buffer.subarray(0, bytesRead));
      stored += bytesRead;
    }
    return stored;
  } finally {
    await handle.close();
  }
}
