/** What this server holds (GET /api/status): demo or real data, the current and latest periods, and who may sign in as a demo. */
import { latestPeriodWithData } from '../db/repositories/observations';
import { getSetting } from '../db/repositories/settings';
import { listPeriodsWithData } from '../db/repositories/statements';
import { listUsers } from '../db/repositories/users';
import { periodFrequency, periodOfDate } from '../domain/periods';
import type { Status } from '../schemas/reference';
import type { Deps } from './context';

export async function serverStatus(deps: Deps, maxUploadBytes: number): Promise<Status> {
  const [periods, latestPeriod, demo, attribution, users] = await Promise.all([
    listPeriodsWithData(deps.db),
    latestPeriodWithData(deps.db),
    getSetting(deps.db, 'demo'),
    getSetting(deps.db, 'attribution'),
    listUsers(deps.db),
  ]);
  return {
    demo: demo === 'true',
    currentPeriod: periodOfDate(deps.now()),
    latestPeriod,
    maxUploadBytes,
    periods,
    frequency: periodFrequency(periods),
    attribution,
    demoAccounts: users
      .filter((u) => u.isDemo && !u.disabled)
      .map((u) => ({ username: u.username, role: u.role, networkCode: u.networkCode })),
  };
}
