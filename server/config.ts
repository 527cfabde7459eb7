/**
 * Reads the environment once into a typed object. Every setting the server understands is here and in the
 * README's "Configuration" table. The command-line entry points (server/bin/) call readConfig and pass the
 * Config on; besides it they read only their own inputs (TOWER_HAMLETS_DIR, ADMIN_PASSWORD, their arguments),
 * and none passes settings to another through process.env.
 */
export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** SQLite database file. Always a file: uploads are checked and written by a worker thread with its own connection. */
  dbFile: string;
  /**
   * A PostgreSQL database (postgres://user[:password]@host[:port]/name, or ?host=/socket/dir): when given, the
   * data lives there instead of in dbFile, and several instances may serve it at once. Null: SQLite.
   */
  databaseUrl: string | null;
  /** Fill a newly created database with the synthetic demo data (networks N1–N8, demo accounts). */
  seedDemo: boolean;
  /** Largest upload accepted, in bytes; larger files are refused with 413 (a larger declared size before reading). */
  maxUploadBytes: number;
  /**
   * How many bytes of a rejected file are kept for download; its full size and SHA-256 are recorded whatever
   * its size, so repeated junk uploads cannot fill the disk. An accepted file is always kept whole.
   */
  rejectedBytesMax: number;
  /** Seconds a client has to send a whole request (an upload included) before the server gives up on it. */
  requestTimeoutSeconds: number;
  /**
   * Seconds a connection may stay silent (nothing sent either way) before the server closes it. It must exceed
   * the time the largest upload takes to be checked and saved, or its answer is lost (the upload still counts).
   */
  connectionTimeoutSeconds: number;
  /** Folder holding the built web app (vite build output). */
  webDir: string;
  /** Minutes of inactivity after which a session ends. */
  sessionIdleMinutes: number;
  /** Hours after sign-in after which a session ends, however active. */
  sessionAbsoluteHours: number;
  /** Mark the session cookie Secure (set when served over TLS or behind a TLS-terminating proxy). */
  cookieSecure: boolean;
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  trustProxy: boolean;
  /** Log level for the server's JSON log. */
  logLevel: string;
  /**
   * API requests one client may make per window: a signed-in user (all their sessions together), or an
   * address for requests without a session. 0 turns the limit off.
   */
  apiRateLimit: number;
  /** The window of apiRateLimit, in seconds. */
  apiRateLimitWindowSeconds: number;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}; it is "${raw}".`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false; it is "${raw}".`);
}

function databaseUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\//i.test(raw)) {
    throw new ConfigError(
      'DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/name); leave it unset to use the SQLite file DB_FILE.',
    );
  }
  return raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, 'PORT', 3000, 0),
    host: env.HOST || '127.0.0.1',
    dbFile: env.DB_FILE || 'data/dashboard.sqlite',
    databaseUrl: databaseUrl(env),
    seedDemo: flag(env, 'SEED_DEMO', true),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_MB', 200, 1) * 1024 * 1024,
    rejectedBytesMax: integer(env, 'REJECTED_BYTES_MAX_MB', 5, 0) * 1024 * 1024,
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT_SECONDS', 300, 1),
    connectionTimeoutSeconds: integer(env, 'CONNECTION_TIMEOUT_SECONDS', 120, 1),
    webDir: env.WEB_DIR || 'dist/web',
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1),
    cookieSecure: flag(env, 'COOKIE_SECURE', false),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL || 'info',
    apiRateLimit: integer(env, 'API_RATE_LIMIT', 600, 0),
    apiRateLimitWindowSeconds: integer(env, 'API_RATE_LIMIT_WINDOW_SECONDS', 60, 1),
  };
}
