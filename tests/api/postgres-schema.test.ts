/**
 * The PostgreSQL migrations give the schema the SQLite migrations give (issue 15): every table and column with
 * a compatible type, the same nullability, defaults, keys, indexes and triggers, the same constraints refusing
 * the same rows, and bigint money and counts read back as numbers. The SQLite side is a database made by the
 * real SQLite migrator, so a new SQLite migration without its PostgreSQL twin fails here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type SQLite from 'better-sqlite3';
import { closeDatabase, openDatabase, sqliteOf, type Db } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { describePostgres, usePostgresSchema } from '../helpers/postgres';

interface SqliteColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface PgColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

/** Tables only PostgreSQL has, and why: the row appends to the audit log lock (migrations/postgres/0004). */
const POSTGRES_ONLY_TABLES = ['audit_chain_lock'];
/** Columns PostgreSQL has that SQLite lacks: none. */
const POSTGRES_ONLY_COLUMNS: string[] = [];
/**
 * Nullability that differs on purpose: SQLite's migrator adds `checksum` to databases migrated before checksums
 * were kept (so the column must allow NULL until their first start fills it); PostgreSQL's has always had it.
 */
const NOT_NULL_IN_POSTGRES_ONLY = ['schema_migrations.checksum'];

/** SQLite INTEGER columns that are bigint: ids and references to them, money, patient counts, rows and bytes, times in ms. */
const BIGINT =
  /^(id|.+_id|superseded_by|value_pence|total_earned_pence|numerator|denominator|exceptions|list_size|size_bytes|stored_bytes|error_count|version|window_started_ms|hits)$/;
/** SQLite INTEGER columns that are integer: bounded by a CHECK (basis points), small ordinals and the 0/1 flag. */
const INTEGER = /^(retrospective_share_bp|share_bp|target_bp|lower_bp|weight|sort_order|seq|is_demo)$/;

function expectedPgType(column: string, sqliteType: string): string {
  switch (sqliteType.toUpperCase()) {
    case 'TEXT':
      return 'text';
    case 'BLOB':
      return 'bytea';
    case 'INTEGER':
      if (BIGINT.test(column)) return 'bigint';
      if (INTEGER.test(column)) return 'integer';
      return `no decision yet for INTEGER column ${column}: add it to BIGINT or INTEGER in this test`;
    default:
      return `no PostgreSQL type decided for SQLite type ${sqliteType}`;
  }
}

/** '3000', "'open'::text" → "3000", "'open'". */
function normaliseDefault(d: string | null): string | null {
  return d === null ? null : d.replace(/::(text|bigint|integer)$/, '');
}

/** 'WHERE superseded_by IS NULL', '(superseded_by IS NULL)' → 'superseded_by is null'. */
function normalisePredicate(p: string | null): string | null {
  return p === null
    ? null
    : p
        .replace(/^\s*where\s+/i, '')
        .replace(/[()]/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
}

describePostgres('PostgreSQL schema against the SQLite schema', () => {
  const pg = usePostgresSchema();
  let db: Db;
  let sqlite: { sqlite: SQLite.Database };

  beforeAll(() => {
    db = openDatabase(':memory:');
    migrate(db);
    sqlite = { sqlite: sqliteOf(db) };
  });
  afterAll(async () => {
    await closeDatabase(db);
  });

  const sqliteTables = () =>
    (
      sqlite.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
  const pgRows = async <T>(text: string, values: unknown[] = []): Promise<T[]> =>
    (await pg.pool.query(text, values)).rows as T[];

  it('has every SQLite table, and no other but the audit chain lock', async () => {
    const tables = await pgRows<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
      [pg.name],
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual([...sqliteTables(), ...POSTGRES_ONLY_TABLES].sort());
  });

  it('has every SQLite column with the decided type, the same nullability and the same default, and no column SQLite lacks', async () => {
    const pgColumns = await pgRows<PgColumn>(
      'SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1',
      [pg.name],
    );
    const byKey = new Map(pgColumns.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const expected: Record<string, unknown> = {};
    const actual: Record<string, unknown> = {};
    const sqliteKeys = new Set<string>();
    for (const table of sqliteTables()) {
      for (const c of sqlite.sqlite.prepare(`PRAGMA table_info(${table})`).all() as SqliteColumn[]) {
        const key = `${table}.${c.name}`;
        sqliteKeys.add(key);
        // A primary key column is NOT NULL in PostgreSQL; SQLite lets a non-integer one hold NULL (a quirk it keeps).
        expected[key] = {
          type: expectedPgType(c.name, c.type),
          nullable: c.pk > 0 || NOT_NULL_IN_POSTGRES_ONLY.includes(key) ? 'NO' : c.notnull ? 'NO' : 'YES',
          default: c.dflt_value,
        };
        const p = byKey.get(key);
        actual[key] = p
          ? { type: p.data_type, nullable: p.is_nullable, default: normaliseDefault(p.column_default) }
          : 'missing';
      }
    }
    expect(actual).toEqual(expected);
    const postgresOnly = [...byKey.keys()].filter((k) => !sqliteKeys.has(k) && !k.startsWith('audit_chain_lock.'));
    expect(postgresOnly.filter((k) => !POSTGRES_ONLY_COLUMNS.includes(k))).toEqual([]);
  });

  it('has the same primary keys, foreign keys and unique constraints', async () => {
    const keysSqlite: Record<string, { pk: string; fks: string[]; uniques: string[] }> = {};
    for (const table of sqliteTables()) {
      const columns = sqlite.sqlite.prepare(`PRAGMA table_info(${table})`).all() as SqliteColumn[];
      const pk = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
        .join(',');
      const fkRows = sqlite.sqlite.prepare(`PRAGMA foreign_key_list(${table})`).all() as {
        id: number;
        seq: number;
        table: string;
        from: string;
        to: string;
      }[];
      const fks = [...new Set(fkRows.map((r) => r.id))].map((id) => {
        const parts = fkRows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
        return `${parts.map((p) => p.from).join(',')} -> ${parts[0]!.table}(${parts.map((p) => p.to).join(',')})`;
      });
      const indexes = sqlite.sqlite.prepare(`PRAGMA index_list(${table})`).all() as {
        name: string;
        unique: number;
        origin: string;
        partial: number;
      }[];
      const uniques = indexes
        .filter((i) => i.unique && i.origin === 'u' && !i.partial)
        .map((i) =>
          (sqlite.sqlite.prepare(`PRAGMA index_info(${i.name})`).all() as { name: string; seqno: number }[])
            .sort((a, b) => a.seqno - b.seqno)
            .map((c) => c.name)
            .join(','),
        );
      keysSqlite[table] = { pk, fks: fks.sort(), uniques: uniques.sort() };
    }

    const constraints = await pgRows<{
      table_name: string;
      contype: string;
      columns: string[];
      ref_table: string | null;
      ref_columns: string[] | null;
    }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.contype,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
              c.confrelid::regclass::text AS ref_table,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns
       FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
       WHERE ns.nspname = $1 AND c.contype IN ('p', 'f', 'u')`,
      [pg.name],
    );
    const keysPg: Record<string, { pk: string; fks: string[]; uniques: string[] }> = {};
    for (const table of sqliteTables()) {
      const own = constraints.filter((c) => c.table_name === table);
      keysPg[table] = {
        pk: own
          .filter((c) => c.contype === 'p')
          .map((c) => c.columns.join(','))
          .join(';'),
        fks: own
          .filter((c) => c.contype === 'f')
          .map((c) => `${c.columns.join(',')} -> ${c.ref_table}(${c.ref_columns!.join(',')})`)
          .sort(),
        uniques: own
          .filter((c) => c.contype === 'u')
          .map((c) => c.columns.join(','))
          .sort(),
      };
    }
    expect(keysPg).toEqual(keysSqlite);
  });

  it('has every SQLite index by name, on the same columns, as unique and as partial as there', async () => {
    const sqliteIndexes = sqlite.sqlite
      .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      .all() as { name: string; tbl_name: string; sql: string }[];
    expect(sqliteIndexes.length).toBeGreaterThan(10);
    const expected = Object.fromEntries(
      sqliteIndexes.map((i) => {
        const columns = (
          sqlite.sqlite.prepare(`PRAGMA index_info(${i.name})`).all() as { name: string; seqno: number }[]
        )
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        const where = /\bWHERE\b(.*)$/is.exec(i.sql)?.[1] ?? null;
        return [
          i.name,
          { table: i.tbl_name, columns, unique: /^CREATE UNIQUE/i.test(i.sql), where: normalisePredicate(where) },
        ];
      }),
    );
    const pgIndexes = await pgRows<{
      name: string;
      table_name: string;
      columns: string[];
      unique: boolean;
      predicate: string | null;
    }>(
      `SELECT ic.relname AS name, t.relname AS table_name, ix.indisunique AS unique, pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS columns
       FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
       WHERE ns.nspname = $1 AND ic.relname = ANY($2)`,
      [pg.name, sqliteIndexes.map((i) => i.name)],
    );
    const actual = Object.fromEntries(
      pgIndexes.map((i) => [
        i.name,
        { table: i.table_name, columns: i.columns, unique: i.unique, where: normalisePredicate(i.predicate) },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it("has the audit log's triggers (and one refusing TRUNCATE, which SQLite does not have)", async () => {
    const sqliteTriggers = sqlite.sqlite
      .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
      .all() as { name: string; tbl_name: string }[];
    const pgTriggers = await pgRows<{ name: string; table_name: string }>(
      `SELECT tg.tgname AS name, t.relname AS table_name FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
       WHERE ns.nspname = $1 AND NOT tg.tgisinternal AND tg.tgenabled <> 'D' ORDER BY tg.tgname`,
      [pg.name],
    );
    expect(sqliteTriggers.map((t) => `${t.tbl_name}.${t.name}`).filter((n) => n.startsWith('audit_log.'))).toEqual([
      'audit_log.audit_log_append_only',
      'audit_log.audit_log_no_delete',
      'audit_log.audit_log_no_update',
    ]);
    expect(pgTriggers.map((t) => `${t.table_name}.${t.name}`).filter((n) => n.startsWith('audit_log.'))).toEqual([
      'audit_log.audit_log_append_only',
      'audit_log.audit_log_no_delete',
      'audit_log.audit_log_no_truncate',
      'audit_log.audit_log_no_update',
    ]);
    // The data version's triggers (migrations 0007): the same names on the same tables.
    const moves = (list: string[]) => list.filter((n) => n.includes('_data_version_'));
    const sqliteMoves = moves(sqliteTriggers.map((t) => `${t.tbl_name}.${t.name}`));
    expect(sqliteMoves.length).toBeGreaterThan(20);
    expect(moves(pgTriggers.map((t) => `${t.table_name}.${t.name}`))).toEqual(sqliteMoves);
    // And nothing else on either side.
    expect(sqliteTriggers.length).toBe(3 + sqliteMoves.length);
  });

  // The same constraints: for each, a row both databases accept and one both refuse, written in SQL both speak.
  // The rows go on top of one network, practice, contract year, user, submission and meeting (each id 1).
  const BASE = [
    "INSERT INTO networks (code, name, created_at) VALUES ('N1', 'Network 1', 't')",
    "INSERT INTO practices (code, name, created_at) VALUES ('Z00001', 'Practice 1', 't')",
    "INSERT INTO contract_years (code, first_period, last_period, created_at) VALUES ('2025-26', '2025-04', '2026-03', 't')",
    "INSERT INTO users (username, password_hash, role, network_id, created_at) VALUES ('Alice', 'x', 'manager', 1, 't')",
    "INSERT INTO submissions (uploaded_at, uploader, filename, status) VALUES ('t', 'Alice', 'a.csv', 'accepted')",
    "INSERT INTO meetings (network_id, held_on, period, created_by, created_at, updated_at) VALUES (1, '2026-01-15', '2025-12', 'Alice', 't', 't')",
  ];
  const CASES: { rule: string; into: string; good: string; bad: string }[] = [
    {
      rule: 'a practice code has 3 to 10 characters',
      into: 'practices (code, name, created_at)',
      good: "'Z00002', 'P', 't'",
      bad: "'Z1', 'P', 't'",
    },
    {
      rule: 'practice codes are unique',
      into: 'practices (code, name, created_at)',
      good: "'Z00003', 'P', 't'",
      bad: "'Z00001', 'P', 't'",
    },
    {
      rule: 'a membership starts at a YYYY-MM period',
      into: 'memberships (practice_id, network_id, from_period, created_at)',
      good: "1, 1, '2025-04', 't'",
      bad: "1, 1, '2025-4', 't'",
    },
    {
      rule: 'a membership ends at a YYYY-MM period',
      into: 'memberships (practice_id, network_id, from_period, to_period, created_at)',
      good: "1, 1, '2025-04', '2025-09', 't'",
      bad: "1, 1, '2025-04', '2025-09x', 't'",
    },
    {
      rule: 'a membership does not end before it starts',
      into: 'memberships (practice_id, network_id, from_period, to_period, created_at)',
      good: "1, 1, '2025-04', '2025-04', 't'",
      bad: "1, 1, '2025-04', '2025-03', 't'",
    },
    {
      rule: 'a membership names a practice that exists',
      into: 'memberships (practice_id, network_id, from_period, created_at)',
      good: "1, 1, '2025-05', 't'",
      bad: "99, 1, '2025-05', 't'",
    },
    {
      rule: 'a list size is not negative',
      into: 'list_sizes (practice_id, period, list_size)',
      good: "1, '2025-04', 0",
      bad: "1, '2025-05', -1",
    },
    {
      rule: 'one list size per practice and period',
      into: 'list_sizes (practice_id, period, list_size)',
      good: "1, '2025-06', 10",
      bad: "1, '2025-04', 10",
    },
    {
      rule: 'a contract year is written YYYY-YY',
      into: 'contract_years (code, first_period, last_period, created_at)',
      good: "'2026-27', '2026-04', '2027-03', 't'",
      bad: "'2026/27', '2026-04', '2027-03', 't'",
    },
    {
      rule: 'the retrospective share is 0 to 10000 basis points',
      into: 'contract_years (code, first_period, last_period, retrospective_share_bp, created_at)',
      good: "'2027-28', '2027-04', '2028-03', 10000, 't'",
      bad: "'2028-29', '2028-04', '2029-03', 10001, 't'",
    },
    {
      rule: 'the domain rule is all-indicators or per-indicator',
      into: 'contract_years (code, first_period, last_period, domain_rule, created_at)',
      good: "'2029-30', '2029-04', '2030-03', 'per-indicator', 't'",
      bad: "'2030-31', '2030-04', '2031-03', 'some', 't'",
    },
    {
      rule: "a contract year's last period is not before its first",
      into: 'contract_years (code, first_period, last_period, created_at)',
      good: "'2031-32', '2031-04', '2031-04', 't'",
      bad: "'2032-33', '2032-04', '2032-03', 't'",
    },
    {
      rule: 'a domain share is 0 to 10000 basis points',
      into: 'contract_year_domains (contract_year_id, domain_code, share_bp)',
      good: "1, 'DM', 10000",
      bad: "1, 'CVD', -1",
    },
    {
      rule: 'a domain share names a domain that exists',
      into: 'contract_year_domains (contract_year_id, domain_code, share_bp)',
      good: "1, 'COPD', 500",
      bad: "1, 'XX', 500",
    },
    {
      rule: 'an indicator target is 0 to 10000 basis points',
      into: 'indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, sort_order)',
      good: "1, 'DM1', 'DM', 't', 'n', 'd', 10000, 1",
      bad: "1, 'DM2', 'DM', 't', 'n', 'd', 10001, 2",
    },
    {
      rule: 'an indicator lower threshold is not above its target',
      into: 'indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, lower_bp, sort_order)',
      good: "1, 'DM3', 'DM', 't', 'n', 'd', 8000, 8000, 3",
      bad: "1, 'DM4', 'DM', 't', 'n', 'd', 8000, 8001, 4",
    },
    {
      rule: 'an indicator mode is threshold or sliding',
      into: 'indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, mode, sort_order)',
      good: "1, 'DM5', 'DM', 't', 'n', 'd', 8000, 'sliding', 5",
      bad: "1, 'DM6', 'DM', 't', 'n', 'd', 8000, 'linear', 6",
    },
    {
      rule: 'an indicator weight is above 0',
      into: 'indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, weight, sort_order)',
      good: "1, 'DM7', 'DM', 't', 'n', 'd', 8000, 1, 7",
      bad: "1, 'DM8', 'DM', 't', 'n', 'd', 8000, 0, 8",
    },
    {
      rule: 'indicator codes are unique within a contract year',
      into: 'indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, sort_order)',
      good: "1, 'DM9', 'DM', 't', 'n', 'd', 8000, 9",
      bad: "1, 'DM1', 'DM', 't', 'n', 'd', 8000, 10",
    },
    {
      rule: 'a contract value is not negative',
      into: 'contract_values (contract_year_id, network_id, value_pence)',
      good: '1, 1, 0',
      bad: '2, 1, -1',
    },
    {
      rule: 'a role is admin, commissioner, manager or gp',
      into: 'users (username, password_hash, role, created_at)',
      good: "'bob', 'x', 'admin', 't'",
      bad: "'carol', 'x', 'owner', 't'",
    },
    {
      rule: 'a manager or GP belongs to a network',
      into: 'users (username, password_hash, role, created_at)',
      good: "'dave', 'x', 'commissioner', 't'",
      bad: "'erin', 'x', 'gp', 't'",
    },
    {
      rule: 'usernames are unique ignoring case',
      into: 'users (username, password_hash, role, created_at)',
      good: "'frank', 'x', 'admin', 't'",
      bad: "'ALICE', 'x', 'admin', 't'",
    },
    {
      rule: 'a session belongs to a user who exists',
      into: 'sessions (id_hash, user_id, created_at, last_seen_at)',
      good: "'h1', 1, 't', 't'",
      bad: "'h2', 99, 't', 't'",
    },
    {
      rule: 'a submission holds observations or reference data',
      into: 'submissions (uploaded_at, uploader, filename, kind, status)',
      good: "'t', 'a', 'b.csv', 'reference', 'accepted'",
      bad: "'t', 'a', 'c.csv', 'images', 'accepted'",
    },
    {
      rule: 'a submission may be interrupted (0005), not anything else',
      into: 'submissions (uploaded_at, uploader, filename, status)',
      good: "'t', 'a', 'd.csv', 'interrupted'",
      bad: "'t', 'a', 'e.csv', 'lost'",
    },
    {
      rule: 'a submission may have failed (0005)',
      into: 'submissions (uploaded_at, uploader, filename, status)',
      good: "'t', 'a', 'f.csv', 'failed'",
      bad: "'t', 'a', 'g.csv', 'FAILED'",
    },
    {
      rule: 'a numerator is not negative',
      into: 'observations (submission_id, practice_id, indicator_code, period, numerator, denominator)',
      good: "1, 1, 'A', '2025-04', 0, 0",
      bad: "1, 1, 'B', '2025-04', -1, 0",
    },
    {
      rule: 'a denominator is not below its numerator',
      into: 'observations (submission_id, practice_id, indicator_code, period, numerator, denominator)',
      good: "1, 1, 'C', '2025-04', 5, 5",
      bad: "1, 1, 'D', '2025-04', 6, 5",
    },
    {
      rule: 'exceptions are not negative',
      into: 'observations (submission_id, practice_id, indicator_code, period, numerator, denominator, exceptions)',
      good: "1, 1, 'E', '2025-04', 1, 2, 0",
      bad: "1, 1, 'F', '2025-04', 1, 2, -1",
    },
    {
      rule: 'one current value per practice, indicator and period',
      into: 'observations (submission_id, practice_id, indicator_code, period, numerator, denominator, superseded_by)',
      good: "1, 1, 'A', '2025-04', 1, 2, 1",
      bad: "1, 1, 'A', '2025-04', 1, 2, NULL",
    },
    {
      rule: 'an observation belongs to a submission that exists',
      into: 'observations (submission_id, practice_id, indicator_code, period, numerator, denominator)',
      good: "1, 1, 'G', '2025-04', 1, 2",
      bad: "99, 1, 'H', '2025-04', 1, 2",
    },
    {
      rule: 'a submission period names a submission that exists',
      into: 'submission_periods (period, submission_id)',
      good: "'2025-04', 1",
      bad: "'2025-05', 99",
    },
    {
      rule: 'a sign-in attempt is pending, failed or succeeded',
      into: 'sign_in_attempts (username, ip, at, outcome)',
      good: "'a', '::1', 't', 'pending'",
      bad: "'a', '::1', 't', 'guessed'",
    },
    {
      rule: 'a sign-off is for a contract year that exists',
      into: 'sign_offs (contract_year_id, period, signed_at, signed_by, input_hash, statement_json, total_earned_pence)',
      good: "1, '2026-03', 't', 'c', 'h', '{}', 0",
      bad: "99, '2026-03', 't', 'c', 'h', '{}', 0",
    },
    {
      rule: 'an annotation is at a YYYY-MM period',
      into: 'annotations (network_id, indicator_code, period, text, author, created_at, updated_at)',
      good: "1, 'A', '2025-04', 'x', 'a', 't', 't'",
      bad: "1, 'A', '2025-04-01', 'x', 'a', 't', 't'",
    },
    {
      rule: 'an annotation has text',
      into: 'annotations (network_id, indicator_code, period, text, author, created_at, updated_at)',
      good: "1, 'A', '2025-04', 'y', 'a', 't', 't'",
      bad: "1, 'A', '2025-04', '', 'a', 't', 't'",
    },
    {
      rule: 'a meeting is held on a YYYY-MM-DD date',
      into: 'meetings (network_id, held_on, period, created_by, created_at, updated_at)',
      good: "1, '2026-02-15', '2026-01', 'a', 't', 't'",
      bad: "1, '15/02/2026', '2026-01', 'a', 't', 't'",
    },
    {
      rule: 'an action is due on a YYYY-MM-DD date',
      into: 'actions (network_id, text, owner, due, created_by, created_at, updated_at)',
      good: "1, 'x', 'o', '2026-02-01', 'a', 't', 't'",
      bad: "1, 'x', 'o', '2026-2-1', 'a', 't', 't'",
    },
    {
      rule: 'an action is open, done or dropped',
      into: 'actions (network_id, text, owner, due, status, created_by, created_at, updated_at)',
      good: "1, 'x', 'o', '2026-02-01', 'dropped', 'a', 't', 't'",
      bad: "1, 'x', 'o', '2026-02-01', 'late', 'a', 't', 't'",
    },
    {
      rule: 'an action has an owner',
      into: 'actions (network_id, text, owner, due, created_by, created_at, updated_at)',
      good: "1, 'x', 'o', '2026-02-01', 'a', 't', 't'",
      bad: "1, 'x', '', '2026-02-01', 'a', 't', 't'",
    },
    {
      rule: "an action's meeting exists",
      into: 'actions (network_id, meeting_id, text, owner, due, created_by, created_at, updated_at)',
      good: "1, 1, 'x', 'o', '2026-02-01', 'a', 't', 't'",
      bad: "1, 99, 'x', 'o', '2026-02-01', 'a', 't', 't'",
    },
  ];

  it('refuses the same rows as SQLite, rule by rule, and accepts the same', async () => {
    for (const statement of BASE) {
      sqlite.sqlite.exec(statement);
      await pg.pool.query(statement);
    }
    const outcome = async (statement: string) => {
      let inSqlite: string;
      try {
        sqlite.sqlite.exec(statement);
        inSqlite = 'accepted';
      } catch {
        inSqlite = 'refused';
      }
      const inPostgres = await pg.pool.query(statement).then(
        () => 'accepted',
        () => 'refused',
      );
      return { sqlite: inSqlite, postgres: inPostgres };
    };
    const seen: Record<string, unknown> = {};
    const wanted: Record<string, unknown> = {};
    for (const c of CASES) {
      seen[c.rule] = {
        good: await outcome(`INSERT INTO ${c.into} VALUES (${c.good})`),
        bad: await outcome(`INSERT INTO ${c.into} VALUES (${c.bad})`),
      };
      wanted[c.rule] = {
        good: { sqlite: 'accepted', postgres: 'accepted' },
        bad: { sqlite: 'refused', postgres: 'refused' },
      };
    }
    expect(seen).toEqual(wanted);
  });

  it('finds a username ignoring case, as SQLite does', async () => {
    const q = "SELECT username FROM users WHERE username = 'aLiCe'";
    expect(sqlite.sqlite.prepare(q).all()).toEqual([{ username: 'Alice' }]);
    expect((await pg.pool.query(q)).rows).toEqual([{ username: 'Alice' }]);
  });

  it('reads bigint money and counts back as exact numbers, sums and counts too', async () => {
    const db = pg.handle.db;
    const years = await db
      .insertInto('contract_years')
      .values({
        code: '2040-41',
        first_period: '2040-04',
        last_period: '2041-03',
        retrospective_share_bp: 3000,
        domain_rule: 'all-indicators',
        created_at: 't',
      })
      .returning('id')
      .execute();
    const yearId = years[0]!.id;
    expect(typeof yearId).toBe('number');
    const networks = await db
      .insertInto('networks')
      .values([2, 3, 4].map((n) => ({ code: `BIG${n}`, name: `Big ${n}`, created_at: 't' })))
      .returning('id')
      .execute();
    // Each network's value is past 2^31 pence (£21.5 million); the largest is the largest exact number.
    const values = [
      2_147_483_648,
      4_000_000_000_000_000,
      Number.MAX_SAFE_INTEGER - 4_000_000_000_000_000 - 2_147_483_648,
    ];
    await db
      .insertInto('contract_values')
      .values(networks.map((n, i) => ({ contract_year_id: yearId, network_id: n.id, value_pence: values[i]! })))
      .execute();
    const read = await db
      .selectFrom('contract_values')
      .select('value_pence')
      .where('contract_year_id', '=', yearId)
      .orderBy('value_pence')
      .execute();
    expect(read.map((r) => r.value_pence)).toEqual([...values].sort((a, b) => a - b));
    const total = await db
      .selectFrom('contract_values')
      .select((eb) => [eb.fn.sum<number>('value_pence').as('total'), eb.fn.countAll<number>().as('n')])
      .where('contract_year_id', '=', yearId)
      .executeTakeFirstOrThrow();
    expect(total).toEqual({ total: Number.MAX_SAFE_INTEGER, n: 3 });

    // A practice-level count past 2^31 (none is, but the column must hold what SQLite holds), and a national sum.
    await db
      .insertInto('observations')
      .values([
        {
          submission_id: 1,
          practice_id: 1,
          indicator_code: 'BIG',
          period: '2040-04',
          numerator: 3_000_000_000,
          denominator: 3_000_000_001,
          exceptions: 2_500_000_000,
        },
        {
          submission_id: 1,
          practice_id: 1,
          indicator_code: 'BIG2',
          period: '2040-04',
          numerator: 3_000_000_000,
          denominator: 3_000_000_001,
          exceptions: null,
        },
      ])
      .execute();
    const counts = await db
      .selectFrom('observations')
      .select((eb) => [
        eb.fn.sum<number>('numerator').as('numerator'),
        eb.fn.max('denominator').as('denominator'),
        eb.fn.max('exceptions').as('exceptions'),
      ])
      .where('period', '=', '2040-04')
      .executeTakeFirstOrThrow();
    expect(counts).toEqual({ numerator: 6_000_000_000, denominator: 3_000_000_001, exceptions: 2_500_000_000 });
  });

  it('refuses, with a clear error, a bigint or numeric result a number cannot hold, and the pool goes on working', async () => {
    await expect(pg.pool.query('SELECT 9007199254740992::bigint AS n')).rejects.toThrow(
      'bigint 9007199254740992, which a JavaScript number cannot hold exactly',
    );
    await expect(
      pg.pool.query('SELECT sum(v) AS n FROM (VALUES (9007199254740991::bigint), (1::bigint)) AS t (v)'),
    ).rejects.toThrow('numeric 9007199254740992');
    await expect(pg.pool.query('SELECT ARRAY[1, 9007199254740993]::bigint[] AS n')).rejects.toThrow(
      'bigint 9007199254740993',
    );
    expect(
      (
        await pg.pool.query(
          'SELECT ARRAY[1, NULL, 2147483648]::bigint[] AS ids, ARRAY[0.5, 2]::numeric[] AS nums, 7::integer AS small, avg(v) AS mean FROM (VALUES (1), (2)) AS t (v)',
        )
      ).rows,
    ).toEqual([{ ids: [1, null, 2_147_483_648], nums: [0.5, 2], small: 7, mean: 1.5 }]);
  });
});
