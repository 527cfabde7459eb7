/**
 * Computed figures kept against the data version (migrations/0007, db/repositories/maintenance.ts): the
 * payment statements, the overview, a network's attainment and a year's rules. Triggers move the version on
 * every accepted upload, sign-off, reopen, rules, contract value, membership, name or list-size change, in
 * the same transaction as the change and from any process using the database, so a figure kept at the
 * current version is the figure a fresh computation would give. The version is read before computing: a
 * change landing during the computation moves it, so what was computed is recomputed on the next request
 * rather than kept as current.
 *
 * The first request after a change computes in full (the "cold" figure `npm run bench` reports); later ones
 * at the same version reuse it. Entries are kept per database, a few large ones (every network's statements,
 * the overview) and more small ones (one network's attainment, a year's rules), oldest dropped first. A value
 * handed out is shared between requests: callers copy before changing anything.
 */
import { brotliCompress, brotliCompressSync, constants as zlibConstants, gzip, gzipSync } from 'node:zlib';
import type { Db } from '../db/database';
import { currentDataVersion } from '../db/repositories/maintenance';
import { loadMemberValues } from '../db/repositories/statements';
import type { PeriodValues } from '../domain/attainment';

export class VersionedCache {
  private version = -1;
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly max: number) {}

  /** How many entries are kept now (never more than the bound given). */
  get size(): number {
    return this.entries.size;
  }

  async get<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
    const version = await currentDataVersion(db);
    // The version only grows; a request that read it before a newer one arrived computes without keeping.
    if (version < this.version) return compute();
    if (version > this.version) {
      this.entries.clear();
      this.version = version;
    }
    const kept = this.entries.get(key);
    if (kept) {
      // Most recently used last, so the oldest is the first to go.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept as Promise<T>;
    }
    const computing = compute();
    this.entries.set(key, computing);
    // A computation that fails is not kept: the next request tries again.
    computing.catch(() => {
      if (this.entries.get(key) === computing) this.entries.delete(key);
    });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return computing;
  }
}

const caches = new WeakMap<Db, { large: VersionedCache; small: VersionedCache }>();

function cachesOf(db: Db): { large: VersionedCache; small: VersionedCache } {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { large: new VersionedCache(6), small: new VersionedCache(64) }));
  return c;
}

/** A figure for every network (statements, the overview): a few kept. */
export function keptLarge<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return cachesOf(db).large.get(db, key, compute);
}

/** A figure for one network or a year's rules: more kept. */
export function keptSmall<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return cachesOf(db).small.get(db, key, compute);
}

/**
 * The member practices' figures at a period in columns (of every network, or of one) for some indicators, kept
 * like a figure: a national month is about 3 MB of typed arrays, read once per data version however many
 * statements and overview grids use it.
 */
export function keptPeriodValues(
  db: Db,
  period: string,
  indicators: readonly string[],
  networkCode?: string,
): Promise<PeriodValues> {
  return keptSmall(db, `values ${period} ${networkCode ?? 'all'} ${indicators.join(',')}`, async () =>
    loadMemberValues(db, period, indicators, networkCode),
  );
}

/**
 * A response body kept as JSON bytes, with its brotli and gzip forms made on first demand: serialising and
 * compressing every network's statements (about 10 MB of JSON) costs more than computing them again would
 * be worth skipping. Kept by data version like the figures, per viewer's cut.
 */
export class KeptJson {
  readonly bytes: Buffer;
  private readonly encoded = new Map<'br' | 'gzip', Buffer>();

  constructor(json: string | Uint8Array | ArrayBuffer) {
    this.bytes =
      typeof json === 'string'
        ? Buffer.from(json, 'utf8')
        : json instanceof ArrayBuffer
          ? Buffer.from(json)
          : Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  }

  /**
   * The body in an encoding: quality 4 brotli and level 6 gzip, as the compression plugin uses. A large body
   * (a national statement set is 30 MB of JSON, 0.7 s at quality 4) is first compressed at the fastest level,
   * so the first answer is not held up, and then again at the usual level off the main thread (zlib's thread
   * pool), which later answers use once it is done.
   */
  encodedAs(encoding: 'br' | 'gzip'): Buffer {
    const kept = this.encoded.get(encoding);
    if (kept) return kept;
    const large = this.bytes.length > FAST_FIRST_BYTES;
    const out = compress(this.bytes, encoding, large ? 'fast' : 'usual');
    this.encoded.set(encoding, out);
    if (large) {
      const done = (err: Error | null, better: Buffer) => {
        if (!err && better.length < out.length) this.encoded.set(encoding, better);
      };
      if (encoding === 'br') brotliCompress(this.bytes, brotliOptions(this.bytes.length, 4), done);
      else gzip(this.bytes, { level: 6 }, done);
    }
    return out;
  }
}

/** Bodies larger than this are compressed fast first, then better in the background. */
const FAST_FIRST_BYTES = 1024 * 1024;

function brotliOptions(size: number, quality: number) {
  return {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: quality,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

function compress(bytes: Buffer, encoding: 'br' | 'gzip', level: 'fast' | 'usual'): Buffer {
  if (encoding === 'br') return brotliCompressSync(bytes, brotliOptions(bytes.length, level === 'fast' ? 1 : 4));
  return gzipSync(bytes, { level: level === 'fast' ? 1 : 6 });
}

/**
 * JSON.stringify(value) as UTF-8 bytes, with the array under `key` (the object's last field) written item by
 * item: the same bytes, without the whole text ever being one string. A national overview is 7 MB of JSON,
 * and as a JavaScript string (its titles hold characters beyond Latin-1, such as "≤") 14 MB, with as long
 * again to turn into UTF-8. `value` is a plain object of JSON values.
 */
export function jsonBytesItemByItem(value: Record<string, unknown>, key: string): Buffer {
  const list = value[key];
  const keys = Object.keys(value);
  if (!Array.isArray(list) || keys[keys.length - 1] !== key) return Buffer.from(JSON.stringify(value), 'utf8');
  const rest: Record<string, unknown> = {};
  for (const k of keys) if (k !== key) rest[k] = value[k];
  const head = JSON.stringify(rest); // "{…}", or "{}" with no other field written
  const parts: Buffer[] = [Buffer.from(`${head.length > 2 ? `${head.slice(0, -1)},` : '{'}${JSON.stringify(key)}:[`)];
  const comma = Buffer.from(',');
  list.forEach((item, i) => {
    if (i > 0) parts.push(comma);
    // As JSON.stringify writes an array's item that has no JSON form (undefined, a function): null.
    parts.push(Buffer.from((JSON.stringify(item) as string | undefined) ?? 'null', 'utf8'));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

const jsonCaches = new WeakMap<Db, VersionedCache>();

/** Turns a response into its JSON: the route's own serialiser, so the response schema still decides the fields. */
export type ToJson = (value: unknown) => string | Uint8Array | ArrayBuffer;

/** A response body for a viewer's cut of a figure, kept by data version (a few dozen kept). */
export function keptJson<T>(db: Db, key: string, build: () => Promise<T>, toJson: ToJson): Promise<KeptJson> {
  let cache = jsonCaches.get(db);
  if (!cache) jsonCaches.set(db, (cache = new VersionedCache(32)));
  return cache.get(db, key, async () => new KeptJson(toJson(await build())));
}
