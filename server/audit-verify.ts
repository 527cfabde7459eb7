/**
 * `npm run audit:verify [-- <database file>] [-- --anchor <id>:<hash>]`: checks the audit log's hash chain
 * (server/domain/audit-chain.ts) of the database named, or of DB_FILE, opened read-only. Exits 0 when every
 * entry fits, printing the last entry's id and hash (note them somewhere else: a later run given them as
 * `--anchor` also proves that no entry up to there was rewritten along with every hash after it, and that
 * the log was not cut short before it); exits 1 naming the first entry that does not fit; exits 2 when the
 * file cannot be checked.
 */
import SQLite from 'better-sqlite3';
import { readConfig } from './config';
import { iterateAuditChain } from './db/repositories/audit';
import { verifyAuditChain, type ChainedAuditRow } from './domain/audit-chain';

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; anchor: { id: number; hash: string } | null } {
  let file: string | null = null;
  let anchor: { id: number; hash: string } | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--anchor') {
      const m = /^(\d+):([0-9a-f]{64})$/.exec(argv[++i] ?? '');
      if (!m) throw new UsageError('--anchor takes <entry id>:<64 hex digits>, as printed by an earlier run.');
      anchor = { id: Number(m[1]), hash: m[2]! };
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Unknown option ${arg}. Usage: npm run audit:verify -- [<database file>] [--anchor <id>:<hash>]`);
    } else if (file === null) {
      file = arg;
    } else {
      throw new UsageError('Name one database file.');
    }
  }
  return { file: file ?? readConfig().dbFile, anchor };
}

function main(): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(args.file, { readonly: true, fileMustExist: true });
  } catch (e) {
    console.error(`Cannot open ${args.file}: ${(e as Error).message}`);
    return 2;
  }
  try {
    const columns = new Set((sqlite.prepare("SELECT name FROM pragma_table_info('audit_log')").all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('id')) {
      console.error(`${args.file} has no audit log: is it the dashboard's database?`);
      return 2;
    }
    if (!columns.has('hash')) {
      console.error(`The audit log of ${args.file} has no hash chain yet: start the server (or run any of its commands) once on it to migrate it, then check again.`);
      return 2;
    }
    let anchorRow: ChainedAuditRow | null = null;
    const rows = function* () {
      for (const row of iterateAuditChain(sqlite)) {
        if (args.anchor && row.id === args.anchor.id) anchorRow = row;
        yield row;
      }
    };
    const verdict = verifyAuditChain(rows());
    if (!verdict.ok) {
      const before = verdict.entries - 1;
      const intact = before === 0 ? 'There is no entry before it.' : before === 1 ? 'The entry before it is intact.' : `The ${before} entries before it are intact.`;
      console.log(`Audit log of ${args.file}: entry ${verdict.badId} does not fit the chain: ${verdict.problem}. ${intact}`);
      return 1;
    }
    if (args.anchor) {
      const found = anchorRow as ChainedAuditRow | null;
      if (!found) {
        console.log(`Audit log of ${args.file}: entry ${args.anchor.id}, the anchor given, is missing: the log was cut short or renumbered.`);
        return 1;
      }
      if (found.hash !== args.anchor.hash) {
        console.log(`Audit log of ${args.file}: entry ${args.anchor.id} does not fit the chain: its hash is not the one noted as the anchor, so it or an entry before it was rewritten.`);
        return 1;
      }
    }
    if (verdict.entries === 0) {
      console.log(`Audit log of ${args.file}: no entries yet.`);
      return 0;
    }
    console.log(`Audit log of ${args.file}: all ${verdict.entries} entries fit the chain${args.anchor ? `, including the anchor at entry ${args.anchor.id}` : ''}.`);
    console.log(`Last entry ${verdict.lastId}, hash ${verdict.lastHash} (keep this as --anchor ${verdict.lastId}:${verdict.lastHash}).`);
    return 0;
  } finally {
    sqlite.close();
  }
}

process.exitCode = main();
