/**
 * `npm run audit:verify [-- <database file or postgres:// URL>] [-- --anchor <id>:<hash>]`: checks the audit
 * log's hash chain (server/domain/audit-chain.ts) of the database named, or else of DATABASE_URL's PostgreSQL
 * database or DB_FILE's SQLite file (a SQLite file is opened read-only; on PostgreSQL it only reads). Exits 0 when every
 * entry fits, printing the last entry's id and hash (note them somewhere else: a later run given them as
 * `--anchor` also proves that no entry up to there was rewritten along with every hash after it, and that
 * the log was not cut short before it); exits 1 naming the first entry that does not fit; exits 2 when the
 * file cannot be checked.
 */
import { readConfig } from '../config';
import { closeDatabase, isPostgresUrl, openConfiguredDatabase, openDatabase, type Db } from '../db/database';
import { checkAuditLog } from '../services/audit-log';

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; anchor: { id: number; hash: string } | null } {
  let file: string | null = null;
  let anchor: { id: number; hash: string } | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string; // i < argv.length
    if (arg === '--anchor') {
      const m = /^(\d+):([0-9a-f]{64})$/.exec(argv[++i] ?? '');
      if (!m) throw new UsageError('--anchor takes <entry id>:<64 hex digits>, as printed by an earlier run.');
      anchor = { id: Number(m[1]), hash: m[2] as string }; // the pattern has both groups
    } else if (arg.startsWith('-')) {
      throw new UsageError(
        `Unknown option ${arg}. Usage: npm run audit:verify -- [<database file>] [--anchor <id>:<hash>]`,
      );
    } else if (file === null) {
      file = arg;
    } else {
      throw new UsageError('Name one database file.');
    }
  }
  if (file !== null) return { file, anchor };
  const config = readConfig();
  return { file: config.databaseUrl ?? config.dbFile, anchor };
}

/** How the database is named in messages: a PostgreSQL URL without its password. */
function nameOf(file: string): string {
  if (!isPostgresUrl(file)) return file;
  return `the PostgreSQL database ${file.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1@')}`;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    return 2;
  }
  let db: Db;
  try {
    db = isPostgresUrl(args.file)
      ? openConfiguredDatabase({ dbFile: '', databaseUrl: args.file }, { max: 1, applicationName: 'audit-verify' })
      : openDatabase(args.file, { readonly: true });
  } catch (e) {
    console.error(`Cannot open ${nameOf(args.file)}: ${(e as Error).message}`);
    return 2;
  }
  try {
    const check = await checkAuditLog(db, args.anchor);
    const name = nameOf(args.file);
    const log = `Audit log of ${name}`;
    switch (check.kind) {
      case 'no-audit-log':
        console.error(`${name} has no audit log: is it the dashboard's database?`);
        return 2;
      case 'not-chained':
        console.error(
          `The audit log of ${name} has no hash chain yet: start the server (or run any of its commands) once on it to migrate it, then check again.`,
        );
        return 2;
      case 'broken': {
        const before = check.entriesBefore;
        const intact =
          before === 0
            ? 'There is no entry before it.'
            : before === 1
              ? 'The entry before it is intact.'
              : `The ${before} entries before it are intact.`;
        console.log(`${log}: entry ${check.badId} does not fit the chain: ${check.problem}. ${intact}`);
        return 1;
      }
      case 'anchor-missing':
        console.log(
          `${log}: entry ${check.anchorId}, the anchor given, is missing: the log was cut short or renumbered.`,
        );
        return 1;
      case 'anchor-changed':
        console.log(
          `${log}: entry ${check.anchorId} does not fit the chain: its hash is not the one noted as the anchor, so it or an entry before it was rewritten.`,
        );
        return 1;
      case 'empty':
        console.log(`${log}: no entries yet.`);
        return 0;
      case 'ok':
        console.log(
          `${log}: all ${check.entries} entries fit the chain${args.anchor ? `, including the anchor at entry ${args.anchor.id}` : ''}.`,
        );
        console.log(
          `Last entry ${check.lastId}, hash ${check.lastHash} (keep this as --anchor ${check.lastId}:${check.lastHash}).`,
        );
        return 0;
    }
  } finally {
    await closeDatabase(db);
  }
}

process.exitCode = await main();
