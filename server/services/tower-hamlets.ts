/**
 * The Tower Hamlets dataset: the borough's real networks and practices as NHS Digital published them, contract
 * years 2019-20 to 2024-25 with the four childhood immunisation indicators of the UKHSA COVER files at the 95%
 * standard, and all 22 published quarters imported through the same upload path as any file.
 * Source files: fixtures/public/tower-hamlets/ (see its README). Contains public sector information licensed
 * under the Open Government Licence v3.0.
 */
import { join } from 'node:path';
import type { Db } from '../db/database';
import { insertContractYear } from '../db/repositories/contract-years';
import { insertReferenceSpans } from '../db/repositories/reference-load';
import { setSetting } from '../db/repositories/settings';
import { insertUser } from '../db/repositories/users';
import { COVER_INDICATORS } from '../domain/cover';
import { contractYearPeriods } from '../domain/periods';
import type { AcceptedOutcome, RejectedOutcome } from '../domain/upload-outcome';
import { readTowerHamletsReference, TOWER_HAMLETS_YEARS } from '../ingest/tower-hamlets';
import { hashPassword } from '../security/passwords';
import { DEMO_ACCOUNTS } from './demo';
import type { SubmissionService } from './submit/service';

export { TOWER_HAMLETS_DIR } from '../ingest/tower-hamlets';

export const TOWER_HAMLETS_ATTRIBUTION =
  'Real published data for Tower Hamlets. Contains public sector information licensed under the Open Government Licence v3.0 (publishers: UK Health Security Agency / Public Health England, NHS Digital, NHS England).';
/** The network the dataset's demo manager and GP accounts belong to: Tower Hamlets Network 1. */
export const TOWER_HAMLETS_HOME_NETWORK = 'U50771';

/** Builds the dataset into a new, migrated database. Returns the outcome of importing the COVER file. */
export async function buildTowerHamlets(
  db: Db,
  submissions: SubmissionService,
  dir: string,
  now: Date,
  log: (m: string) => void = () => {},
): Promise<AcceptedOutcome | RejectedOutcome> {
  const reference = readTowerHamletsReference(dir);
  const at = now.toISOString();
  await insertReferenceSpans(db, reference, at);
  log(
    `${reference.networks.length} networks, ${reference.practices.length} practices, ${reference.spans.length} membership spans`,
  );
  for (const code of TOWER_HAMLETS_YEARS) {
    await insertContractYear(
      db,
      {
        code,
        ...contractYearPeriods(code),
        retrospectiveShareBp: 3000,
        domainRule: 'all-indicators',
        domainShares: { DM: 0, CVD: 0, COPD: 0, IMM: 10000, EOL: 0, DA: 0 },
        indicators: COVER_INDICATORS,
        aliases: {},
        contractValues: {},
      },
      at,
    );
  }
  await setSetting(db, 'dataset', 'tower-hamlets');
  await setSetting(db, 'attribution', TOWER_HAMLETS_ATTRIBUTION);
  for (const account of DEMO_ACCOUNTS) {
    await insertUser(
      db,
      {
        username: account.username,
        passwordHash: await hashPassword(account.password),
        role: account.role,
        networkCode: account.networkCode ? TOWER_HAMLETS_HOME_NETWORK : null,
        isDemo: true,
      },
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
