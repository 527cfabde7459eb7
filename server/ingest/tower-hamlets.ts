/**
 * Reading the Tower Hamlets dataset's published reference files (fixtures/public/tower-hamlets/, see its
 * README): NHS Digital's practice-to-network files by year and the dated relationships, turned into networks,
 * practices and membership spans by the rules of server/domain/membership-timeline.ts. Contains public sector
 * information licensed under the Open Government Licence v3.0.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { membershipSpans, type DatedRelationship, type YearMapping } from '../domain/membership-timeline';
import { must } from '../domain/must';

/** The published files, kept in the repository byte for byte (fixtures/public/tower-hamlets/README.md). */
export const TOWER_HAMLETS_DIR = fileURLToPath(new URL('../../fixtures/public/tower-hamlets/', import.meta.url));

export const TOWER_HAMLETS_YEARS = ['2019-20', '2020-21', '2021-22', '2022-23', '2023-24', '2024-25'];

/**
 * The rows of a published file by column name; every row must have a value in each of `columns` (a file
 * without one is not the published file this reads). Other columns come through as they are, possibly absent.
 */
function readCsvRows<C extends string>(
  file: string,
  columns: readonly C[],
): (Record<C, string> & Partial<Record<string, string>>)[] {
  const parsed = Papa.parse<Partial<Record<string, string>>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.replace(/\s+/g, ' ').trim(),
  });
  return parsed.data.map((r, i) => {
    const checked = {} as Record<C, string>;
    for (const column of columns) {
      const value = r[column];
      if (value === undefined)
        throw new Error(
          `${basename(file)} row ${i + 2} has no "${column}" value: the file is not the published one (see ${TOWER_HAMLETS_DIR}README.md)`,
        );
      checked[column] = value;
    }
    return { ...r, ...checked };
  });
}

const isoDate = (yyyymmdd: string) =>
  yyyymmdd.trim() ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` : null;

export interface TowerHamletsReference {
  networks: { code: string; name: string }[];
  practices: { code: string; name: string; postcode: string | null; listSize: number | null; listSizePeriod: string }[];
  spans: ReturnType<typeof membershipSpans>;
}

export function readTowerHamletsReference(dir: string): TowerHamletsReference {
  const byYear = readCsvRows(join(dir, 'practice-network-by-year.csv'), [
    'QOF_YEAR',
    'PRACTICE_CODE',
    'PRACTICE_NAME',
    'PCN_ODS_CODE',
    'PCN_NAME',
  ]);
  const relationships = readCsvRows(join(dir, 'practice-network-relationships.csv'), [
    'Partner Organisation Code',
    'Partner Name',
    'PCN Code',
    'Practice to PCN Relationship Start Date',
  ]);
  const prevalence = readCsvRows(join(dir, 'qof-prevalence-2019-20.csv'), ['PRACTICE_CODE']);

  const mappings: YearMapping[] = byYear.map((r) => ({
    year: `${r.QOF_YEAR.slice(0, 4)}-${r.QOF_YEAR.slice(7, 9)}`,
    practice: r.PRACTICE_CODE.trim(),
    network: r.PCN_ODS_CODE.trim(),
  }));
  const dated: DatedRelationship[] = relationships.map((r) => {
    const practice = r['Partner Organisation Code'].trim();
    const start = isoDate(r['Practice to PCN Relationship Start Date']);
    if (start === null)
      throw new Error(`practice-network-relationships.csv: the relationship of ${practice} has no start date`);
    return {
      practice,
      network: r['PCN Code'].trim(),
      start,
      end: isoDate(r['Practice to PCN Relationship End Date'] ?? ''),
    };
  });

  // Network names: the latest published name, with the first one where it changed.
  const names = new Map<string, string[]>();
  for (const r of [...byYear].sort((a, b) => a.QOF_YEAR.localeCompare(b.QOF_YEAR))) {
    if (r.PCN_ODS_CODE === 'U') continue;
    const list = names.get(r.PCN_ODS_CODE) ?? [];
    if (!list.includes(r.PCN_NAME)) list.push(r.PCN_NAME);
    names.set(r.PCN_ODS_CODE, list);
  }
  const networks = [...names].map(([code, list]) => {
    const first = must(list[0], 'a name for each network listed');
    return { code, name: list.length > 1 ? `${list.at(-1)} (formerly ${first})` : first };
  });

  const practiceNames = new Map<string, string>();
  for (const r of byYear) practiceNames.set(r.PRACTICE_CODE, r.PRACTICE_NAME);
  for (const r of relationships)
    if (!practiceNames.has(r['Partner Organisation Code']))
      practiceNames.set(r['Partner Organisation Code'], r['Partner Name']);
  const listSizes = new Map(prevalence.map((r) => [r.PRACTICE_CODE, Number(r.PATIENT_LIST_SIZE)]));
  const practices = [...practiceNames].sort().map(([code, name]) => ({
    code,
    name,
    postcode: null,
    listSize: listSizes.get(code) ?? null,
    listSizePeriod: '2020-03',
  }));

  return { networks, practices, spans: membershipSpans(mappings, dated, TOWER_HAMLETS_YEARS) };
}
