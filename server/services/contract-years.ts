/**
 * Contract years as the screens list them: each with its months, whether it has ended, and whether this
 * person may sign it off or reopen it now (server/domain/sign-off.ts, the rule the sign-off and reopen use
 * cases refuse by).
 */
import type { Db } from '../db/database';
import { listContractYears } from '../db/repositories/contract-years';
import { latestPeriodWithData } from '../db/repositories/observations';
import type { RoleInNetwork } from '../domain/access';
import { defaultContractYear, periodOfDate, periodRange } from '../domain/periods';
import { reopenRefusal, signOffRefusal, yearEnded } from '../domain/sign-off';
import type { ContractYear } from '../schemas/reference';

export async function listContractYearsFor(deps: { db: Db; now(): Date }, viewer: RoleInNetwork): Promise<ContractYear[]> {
  const [years, latest] = await Promise.all([listContractYears(deps.db), latestPeriodWithData(deps.db)]);
  const current = periodOfDate(deps.now());
  const opensOn = defaultContractYear(years, latest);
  return years.map((y) => ({
    ...y,
    periods: periodRange(y.firstPeriod, y.lastPeriod),
    ended: yearEnded(y.lastPeriod, current),
    canSignOff: signOffRefusal(viewer, y, current) === null,
    canReopen: reopenRefusal(viewer, y) === null,
    isDefault: y.code === opensOn,
  }));
}
