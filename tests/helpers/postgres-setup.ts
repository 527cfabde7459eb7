/**
 * Vitest global setup: PostgreSQL for the tests that need it. When TEST_DATABASE_URL names a database
 * (.ci/run makes one), the tests use it. Otherwise this starts a throwaway PostgreSQL from the machine's own
 * binaries (Debian's `postgresql` package: /usr/lib/postgresql/<version>/bin), in a temporary folder with its
 * socket there and a random port, so `npm test` needs no configuration; it is stopped and removed afterwards.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user the package creates.
 * With no PostgreSQL binaries at all nothing starts, and the PostgreSQL tests fail saying what to install.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/** A PostgreSQL server of its own in a temporary folder: its URL, and how to stop and remove it. */
export interface ThrowawayPostgres {
  url: string;
  stop(): void;
}

/**
 * Starts a throwaway PostgreSQL from the machine's binaries, or returns null when there are none. `durable`
 * keeps fsync on (the bench's figures); the tests run without it, for speed.
 */
export function startThrowawayPostgres(options: { durable?: boolean } = {}): ThrowawayPostgres | null {
  const bin = postgresBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : null;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o755);
  const run = (file: string, args: string[]) =>
    user
      ? execFileSync('runuser', ['-u', user, '--', join(bin, file), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, file), args, { stdio: 'pipe' });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // C collation and UTF-8, as server/db/postgres/migrate.ts requires; trust for local socket connections only.
  run('initdb', ['-D', data, '-U', 'dashboard', '-E', 'UTF8', '--locale=C', '--lc-ctype=C.UTF-8', '-A', 'trust']);
  run('pg_ctl', [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=''${options.durable ? '' : ' -c fsync=off'}`,
    'start',
  ]);
  run('createdb', ['-h', dir, '-p', String(port), '-U', 'dashboard', 'dashboard_test']);
  return {
    url: `postgres://dashboard@/dashboard_test?host=${dir}&port=${port}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export default function setup(): (() => void) | undefined {
  if (process.env.TEST_DATABASE_URL?.trim()) return undefined;
  const server = startThrowawayPostgres();
  if (!server) return undefined;
  process.env.TEST_DATABASE_URL = server.url;
  return () => server.stop();
}
