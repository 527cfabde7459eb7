/**
 * After a large upload the worker that did it is closed, and the next upload starts a new one (the grown heap
 * goes with the old one; issue 14). Here every file counts as large: uploads one after another, each on a fresh
 * worker while the one before is still closing, are all saved, and closing the service waits for every worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { WriteGate } from '../../server/db/write-gate';
import { insertContractYear } from '../../server/db/repositories/contract-years';
import { DEFAULT_CATALOGUE, DEFAULT_DOMAIN_SHARES_BP, DEFAULT_QOF_ALIASES } from '../../server/domain/catalogue';
import { SubmissionService } from '../../server/services/submit/service';

const ROOT = new URL('../../', import.meta.url).pathname;
const now = new Date('2026-11-21T10:00:00Z');

describe('a fresh upload worker after each large upload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retire-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves uploads made one after another, each after the worker before was retired', async () => {
    const dbFile = join(dir, 'db.sqlite');
    const db = openDatabase(dbFile);
    migrate(db);
    await insertContractYear(
      db,
      {
        code: '2025-26',
        firstPeriod: '2025-04',
        lastPeriod: '2026-03',
        retrospectiveShareBp: 3000,
        domainRule: 'all-indicators',
        domainShares: DEFAULT_DOMAIN_SHARES_BP,
        indicators: DEFAULT_CATALOGUE,
        aliases: DEFAULT_QOF_ALIASES,
        contractValues: {},
      },
      now.toISOString(),
    );
    const service = new SubmissionService(db, new WriteGate(), {
      database: { dbFile },
      uploadDir: join(dir, 'uploads'),
      rejectedBytesMax: 1024,
      retireAfterBytes: 0,
    });
    try {
      const reference = await service.submitReference(join(ROOT, 'fixtures/demo/practices-2025-04.csv'), {
        userId: null,
        username: 'test',
        filename: 'practices.csv',
        fromPeriod: '2025-04',
        now,
      });
      expect(reference.status).toBe('accepted');
      const uploader = { userId: null, username: 'test', role: 'admin' as const, networkCode: null };
      // Sent at once: the second waits for the first, then runs on the worker started after it.
      const outcomes = await Promise.all(
        ['2025-04', '2025-05', '2025-06'].map((period) =>
          service.submitObservations(join(ROOT, `fixtures/demo/observations/${period}.csv`), {
            uploader,
            filename: `${period}.csv`,
            now,
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
      const periods = await db.selectFrom('submission_periods').select('period').distinct().orderBy('period').execute();
      expect(periods.map((p) => p.period)).toEqual(['2025-04', '2025-05', '2025-06']);
    } finally {
      await service.close();
      await closeDatabase(db);
    }
  });
});
