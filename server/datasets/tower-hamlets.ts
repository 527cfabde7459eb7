/**
 * The Tower Hamlets dataset: the borough's real networks and practices as NHS Digital published them, contract
 * years 2019-20 to 2024-25 with the four childhood immunisation indicators of the UKHSA COVER files at the 95%
 * standard, and all 22 published quarters imported through the same upload path as any file.
 * Source files: fixtures/public/tower-hamlets/ (see its README). Contains public sector information licensed
 * under the Open Government Licence v3.0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import type { DbHandle } from '../db/database';
import { insertContractYear } from '../db/repositories/contract-years';
import { insertReferenceSpans } from '../db/repositories/reference';
import { insertUser } from '../db/repositories/users';
import { COVER_INDICATORS } from '../domain/cover';
import { membershipSpans, type DatedRelationship, type YearMapping } from '../domain/membership-timeline';
import { contractYearPeriods } from '../domain/periods';
import type { AcceptedOutcome, RejectedOutcome } from '../ingest/submit';
import type { SubmissionService } from '../services/submission-worker';
import { hashPassword } from '../security/passwords';
import { DEMO_ACCOUNTS } from '../demo';

/** The published files, kept in the repository byte for byte (fixtures/public/tower-hamlets/README.md). */
export const TOWER_HAMLETS_DIR = fileURLToPath(new URL('../../fixtures/public/tower-hamlets/', import.meta.url));

export const TOWER_HAMLETS_YEARS = ['2019-20', '2020-21', '2021-22', '2022-23', '2023-24', '2024-25'];
export const TOWER_HAMLETS_ATTRIBUTION =
  'Real published data for Tower Hamlets. Contains public sector information licensed under the Open Government Licence v3.0 (publishers: UK Health Security Agency / Public Health England, NHS Digital, NHS England).';
/** The network the dataset's demo manager and GP accounts belong to: Tower Hamlets Network 1. */
export const TOWER_HAMLETS_HOME_NETWORK = 'U50771';

function readCsvRows(file: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.replace(/\s+/g, ' ').trim(),
  });
  return parsed.data;
}

const isoDate = (yyyymmdd: string) => (yyyymmdd.trim() ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` : null);

export interface TowerHamletsReference {
  networks: { code: string; name: string }[];
  practices: { code: string; name: string; postcode: string | null; listSize: number | null; listSizePeriod: string }[];
  spans: ReturnType<typeof membershipSpans>;
}

export function readTowerHamletsReference(dir: string): TowerHamletsReference {
  const byYear = readCsvRows(join(dir, 'practice-network-by-year.csv'));
  const relationships = readCsvRows(join(dir, 'practice-network-relationships.csv'));
  const prevalence = readCsvRows(join(dir, 'qof-prevalence-2019-20.csv'));

  const mappings: YearMapping[] = byYear.map((r) => ({
    year: `${r.QOF_YEAR!.slice(0, 4)}-${r.QOF_YEAR!.slice(7, 9)}`,
    practice: r.PRACTICE_CODE!.trim(),
    network: r.PCN_ODS_CODE!.trim(),
  }));
  const dated: DatedRelationship[] = relationships.map((r) => ({
    practice: r['Partner Organisation Code']!.trim(),
    network: r['PCN Code']!.trim(),
    start: isoDate(r['Practice to PCN Relationship Start Date']!)!,
    end: isoDate(r['Practice to PCN Relationship End Date'] ?? ''),
  }));

  // Network names: the latest published name, with the first one where it changed.
  const names = new Map<string, string[]>();
  for (const r of [...byYear].sort((a, b) => a.QOF_YEAR!.localeCompare(b.QOF_YEAR!))) {
    if (r.PCN_ODS_CODE === 'U') continue;
    const list = names.get(r.PCN_ODS_CODE!) ?? [];
    if (!list.includes(r.PCN_NAME!)) list.push(r.PCN_NAME!);
    names.set(r.PCN_ODS_CODE!, list);
  }
  const networks = [...names].map(([code, list]) => ({ code, name: list.length > 1 ? `${list.at(-1)} (formerly ${list[0]})` : list[0]! }));

  const practiceNames = new Map<string, string>();
  for (const r of byYear) practiceNames.set(r.PRACTICE_CODE!, r.PRACTICE_NAME!);
  for (const r of relationships) if (!practiceNames.has(r['Partner Organisation Code']!)) practiceNames.set(r['Partner Organisation Code']!, r['Partner Name']!);
  const listSizes = new Map(prevalence.map((r) => [r.PRACTICE_CODE!, Number(r.PATIENT_LIST_SIZE)]));
  const practices = [...practiceNames].sort().map(([code, name]) => ({ code, name, postcode: null, listSize: listSizes.get(code) ?? null, listSizePeriod: '2020-03' }));

  return { networks, practices, spans: membershipSpans(mappings, dated, TOWER_HAMLETS_YEARS) };
}

/** Builds the dataset into a new, migrated database. Returns the outcome of importing the COVER file. */
export async function buildTowerHamlets(handle: DbHandle, submissions: SubmissionService, dir: string, now: Date, log: (m: string) => void = () => {}): Promise<AcceptedOutcome | RejectedOutcome> {
  const reference = readTowerHamletsReference(dir);
  const at = now.toISOString();
  insertReferenceSpans(handle.sqlite, reference, at);
  log(`${reference.networks.length} networks, ${reference.practices.length} practices, ${reference.spans.length} membership spans`);
  for (const code of TOWER_HAMLETS_YEARS) {
    insertContractYear(handle.sqlite, {
      code,
      ...contractYearPeriods(code),
      retrospectiveShareBp: 3000,
      domainRule: 'all-indicators',
      domainShares: { DM: 0, CVD: 0, COPD: 0, IMM: 10000, EOL: 0, DA: 0 },
      indicators: COVER_INDICATORS,
      aliases: {},
      contractValues: {},
    }, at);
  }
  const setting = handle.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  setting.run('dataset', 'tower-hamlets');
  setting.run('attribution', TOWER_HAMLETS_ATTRIBUTION);
  for (const account of DEMO_ACCOUNTS) {
    await insertUser(
      handle.db,
      { username: account.username, passwordHash: await hashPassword(account.password), role: account.role, networkCode: account.networkCode ? TOWER_HAMLETS_HOME_NETWORK : null, isDemo: true },
      at,
    );
  }
  const result = await submissions.submitObservations(join(dir, 'cover-gp-coverage-long.csv'), {
    uploader: { userId: null, username: 'tower-hamlets set-up', role: 'admin', networkCode: null },
    filename: 'cover-gp-coverage-long.csv',
    format: 'cover',
    now,
  });
  return result;
}
