/**
 * Fills a new database with the synthetic demo data of fixtures/demo/ (SPEC section 10), through the same
 * paths a real user's uploads take: reference listings, then the monthly files in manifest order, then the
 * learning set's annotations, meetings and actions (learning-loop.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database';
import { insertContractYear } from '../db/repositories/contract-years';
import { analyseAfterBulkLoad } from '../db/repositories/maintenance';
import { getSetting, setSetting } from '../db/repositories/settings';
import { insertUser } from '../db/repositories/users';
import {
  DEFAULT_CATALOGUE,
  DEFAULT_DOMAIN_SHARES_BP,
  DEFAULT_QOF_ALIASES,
  DEFAULT_RETROSPECTIVE_SHARE_BP,
} from '../domain/catalogue';
import { contractYearPeriods } from '../domain/periods';
import { hashPassword } from '../security/passwords';
import { seedLearningLoop, type LearningLoopSeed } from './learning-loop';
import type { SubmissionService } from './submit/service';

export const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

interface Manifest {
  references: { file: string; fromPeriod: string }[];
  contractYears: string[];
  contractValuesPence: Record<string, number>;
  submissions: { file: string; format: 'long' | 'wide'; uploader: string }[];
}

export const DEMO_ACCOUNTS = [
  { username: 'admin', password: 'demo-admin', role: 'admin', networkCode: null },
  { username: 'commissioner', password: 'demo-commissioner', role: 'commissioner', networkCode: null },
  { username: 'manager', password: 'demo-manager', role: 'manager', networkCode: 'N1' },
  { username: 'gp', password: 'demo-gp', role: 'gp', networkCode: 'N1' },
] as const;

export function readDemoManifest(dir = DEMO_DIR): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** Sets up the demo contract years with the default catalogue (no data, no users). */
export async function insertDemoContractYears(db: Db, manifest: Manifest, now: Date): Promise<void> {
  for (const code of manifest.contractYears) {
    await insertContractYear(
      db,
      {
        code,
        ...contractYearPeriods(code),
        retrospectiveShareBp: DEFAULT_RETROSPECTIVE_SHARE_BP,
        domainRule: 'all-indicators',
        domainShares: DEFAULT_DOMAIN_SHARES_BP,
        indicators: DEFAULT_CATALOGUE,
        aliases: DEFAULT_QOF_ALIASES,
        contractValues: manifest.contractValuesPence,
      },
      now.toISOString(),
    );
  }
}

export async function seedDemo(
  db: Db,
  submissions: SubmissionService,
  now: Date,
  options: { dir?: string; log?: (m: string) => void } = {},
): Promise<void> {
  const dir = options.dir ?? DEMO_DIR;
  const log = options.log ?? (() => {});
  const manifest = readDemoManifest(dir);
  await setSetting(db, 'demo', 'true');
  // Contract years first, so the first listing starts at the first contract year.
  for (const ref of manifest.references) {
    const r = await submissions.submitReference(join(dir, ref.file), {
      userId: null,
      username: 'demo-seed',
      filename: ref.file,
      fromPeriod: ref.fromPeriod,
      now,
    });
    if (r.status !== 'accepted')
      throw new Error(`demo listing ${ref.file} was rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
  }
  await insertDemoContractYears(db, manifest, now);
  for (const account of DEMO_ACCOUNTS) {
    await insertUser(
      db,
      {
        username: account.username,
        passwordHash: await hashPassword(account.password),
        role: account.role,
        networkCode: account.networkCode,
        isDemo: true,
      },
      now.toISOString(),
    );
  }
  for (const [i, s] of manifest.submissions.entries()) {
    const account = DEMO_ACCOUNTS.find((a) => a.username === s.uploader);
    if (!account) throw new Error(`demo file ${s.file} names uploader ${s.uploader}, who is not a demo account`);
    const r = await submissions.submitObservations(join(dir, s.file), {
      uploader: { userId: null, username: `${account.username} (demo seed)`, role: 'admin', networkCode: null },
      filename: basename(s.file),
      format: s.format,
      now: demoUploadTime(s.file, i, now),
    });
    if (r.status !== 'accepted')
      throw new Error(`demo file ${s.file} was rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
  }
  // The learning set's annotations, meetings and actions, once the figures they refer to are in.
  const loop = join(dir, 'learning-loop.json');
  if (existsSync(loop)) await seedLearningLoop(db, JSON.parse(readFileSync(loop, 'utf8')) as LearningLoopSeed);
  await analyseAfterBulkLoad(db);
  log(`demo data loaded: ${manifest.submissions.length} files`);
}

/**
 * When a demo file is shown as uploaded: a monthly extract in the second week of the month after its period
 * (a resubmission a fortnight later), never after the real time of seeding.
 */
function demoUploadTime(file: string, index: number, seededAt: Date): Date {
  const m = /(\d{4})-(\d{2})/.exec(file);
  if (!m) return seededAt;
  const resubmission = file.includes('resubmission');
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]), resubmission ? 22 : 8, 9, 30 + (index % 20)));
  return at < seededAt ? at : seededAt;
}

export async function isDemoDatabase(db: Db): Promise<boolean> {
  return (await getSetting(db, 'demo')) === 'true';
}
