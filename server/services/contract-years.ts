/**
 * Contract years and their rules: the list the screens show (each year's months, whether it has ended, and
 * whether this person may sign it off or reopen it now, by server/domain/sign-off.ts, the rule the sign-off
 * and reopen use cases refuse by), a year's indicators, its full rules and contract values, and the admin's
 * changes to them (checked by server/domain/contract-rules.ts, refused once the year is signed off, audited
 * with what changed).
 */
import {
  copyContractYear,
  insertContractYear,
  listContractYears,
  listIndicators,
  updateContractYearRules,
  type IndicatorView,
} from '../db/repositories/contract-years';
import { listNetworkNames } from '../db/repositories/networks';
import { latestPeriodWithData } from '../db/repositories/observations';
import { loadYearRules, type YearRules } from '../db/repositories/statements';
import { networkIdOf } from '../db/repositories/users';
import type { RoleInNetwork } from '../domain/access';
import {
  DEFAULT_CATALOGUE,
  DEFAULT_DOMAIN_SHARES_BP,
  DEFAULT_QOF_ALIASES,
  DEFAULT_RETROSPECTIVE_SHARE_BP,
} from '../domain/catalogue';
import { checkRules, DOMAIN_SHARES_TOTAL_BP } from '../domain/contract-rules';
import { badRequest, DomainError, notFound } from '../domain/errors';
import {
  contractYearOf,
  contractYearPeriods,
  defaultContractYear,
  isContractYearCode,
  periodOfDate,
  periodRange,
} from '../domain/periods';
import { REASON_MIN_LENGTH, reopenRefusal, signOffRefusal, yearEnded } from '../domain/sign-off';
import type { ContractYearRulesBody, NewContractYearBody, RulesUpdateBody } from '../schemas/admin';
import type { ContractYear } from '../schemas/reference';
import { audit, type Actor, type Deps } from './context';
import { keptSmall } from './figures-cache';

export async function listContractYearsFor(deps: Deps, viewer: RoleInNetwork): Promise<ContractYear[]> {
  const [years, latest] = await Promise.all([listContractYears(deps.db), latestPeriodWithData(deps.db)]);
  const current = periodOfDate(deps.now());
  const opensOn = defaultContractYear(years, latest);
  return years.map((y) => ({
    ...y,
    periods: periodRange(y.firstPeriod, y.lastPeriod),
    ended: yearEnded(y.lastPeriod, current),
    canSignOff: signOffRefusal(viewer, y, current) === null,
    canReopen: reopenRefusal(viewer, y) === null,
    reasonMinLength: REASON_MIN_LENGTH,
    isDefault: y.code === opensOn,
  }));
}

export async function listIndicatorsOf(deps: Deps, code: string): Promise<IndicatorView[]> {
  const list = await listIndicators(deps.db, code);
  if (!list) throw notFound(`There is no contract year ${code}; GET /api/contract-years lists them.`);
  return list;
}

/** A contract year's rules, refusing (404) a year that does not exist. */
/** A year's rules and contract values, as kept at the current data version (figures-cache.ts); null if none. */
export function yearRulesKept(deps: Deps, code: string): Promise<YearRules | null> {
  return keptSmall(deps.db, `rules ${code}`, () => loadYearRules(deps.db, code));
}

export async function requireYearRules(deps: Deps, code: string): Promise<YearRules> {
  const rules = await yearRulesKept(deps, code);
  if (!rules) throw notFound(`There is no contract year ${code}; GET /api/contract-years lists them.`);
  return rules;
}

/** The rules of the contract year a period falls in, refusing (404) a period no year covers. */
export async function rulesForPeriod(deps: Deps, period: string): Promise<YearRules> {
  const code = contractYearOf(period);
  const rules = await yearRulesKept(deps, code);
  if (!rules)
    throw notFound(`No contract year covers ${period} (it would be ${code}); choose a period inside a contract year.`);
  return rules;
}

/** A contract year's full rules and contract values. */
export async function rulesView(deps: Deps, code: string): Promise<ContractYearRulesBody> {
  const r = await requireYearRules(deps, code);
  const names = await listNetworkNames(deps.db);
  return {
    code: r.code,
    firstPeriod: r.firstPeriod,
    lastPeriod: r.lastPeriod,
    locked: r.lockedAt !== null,
    retrospectiveShareBp: r.retrospectiveShareBp,
    domainRule: r.domainRule,
    domains: r.domains,
    domainSharesTotalBp: DOMAIN_SHARES_TOTAL_BP,
    indicators: r.indicators.map((i) => ({ ...i, title: r.titles.get(i.code) ?? i.code })),
    contractValues: [...names].flatMap(([network, name]) => {
      const valuePence = r.contractValues.get(network);
      return valuePence === undefined ? [] : [{ network, name, valuePence }];
    }),
  };
}

/** What changed between two versions of a year's rules, for the audit log. */
export function diffRules(
  before: ContractYearRulesBody,
  after: ContractYearRulesBody,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const note = (key: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  };
  note('retrospectiveShareBp', before.retrospectiveShareBp, after.retrospectiveShareBp);
  note('domainRule', before.domainRule, after.domainRule);
  for (const d of after.domains)
    note(`domain ${d.code} shareBp`, before.domains.find((b) => b.code === d.code)?.shareBp, d.shareBp);
  for (const i of after.indicators) {
    const b = before.indicators.find((x) => x.code === i.code);
    const rule = (x: typeof i) => ({ targetBp: x.targetBp, lowerBp: x.lowerBp, mode: x.mode, weight: x.weight });
    note(`indicator ${i.code}`, b && rule(b), rule(i));
  }
  for (const v of after.contractValues) {
    note(
      `contract value ${v.network}`,
      before.contractValues.find((b) => b.network === v.network)?.valuePence ?? null,
      v.valuePence,
    );
  }
  return out;
}

/** Creates a contract year, copying another year's rules or from the default catalogue. */
export async function createContractYear(
  deps: Deps,
  actor: Actor,
  body: NewContractYearBody,
): Promise<ContractYearRulesBody> {
  const { code, copyFrom } = body;
  if (!isContractYearCode(code)) throw badRequest(`"${code}" is not a contract year: write it like 2027-28.`);
  if (await loadYearRules(deps.db, code)) throw new DomainError('year-exists', `Contract year ${code} already exists.`);
  const { firstPeriod, lastPeriod } = contractYearPeriods(code);
  const now = deps.now().toISOString();
  if (copyFrom) {
    const from = await loadYearRules(deps.db, copyFrom);
    if (!from) throw badRequest(`There is no contract year ${copyFrom} to copy.`);
    await copyContractYear(deps.db, from.id, code, firstPeriod, lastPeriod, now);
  } else {
    await insertContractYear(
      deps.db,
      {
        code,
        firstPeriod,
        lastPeriod,
        retrospectiveShareBp: DEFAULT_RETROSPECTIVE_SHARE_BP,
        domainRule: 'all-indicators',
        domainShares: DEFAULT_DOMAIN_SHARES_BP,
        indicators: DEFAULT_CATALOGUE,
        aliases: DEFAULT_QOF_ALIASES,
        contractValues: {},
      },
      now,
    );
  }
  await audit(deps, actor, 'contract-year-created', { code, copyFrom: copyFrom ?? 'default catalogue' });
  return rulesView(deps, code);
}

/**
 * Changes a year's rules: shares, targets, thresholds, modes, weights, domain rule, contract values. The
 * rules are checked as they will stand (the changes on top of what is not being changed).
 */
export async function updateRules(
  deps: Deps,
  actor: Actor,
  code: string,
  body: RulesUpdateBody,
): Promise<ContractYearRulesBody> {
  const current = await requireYearRules(deps, code);
  if (current.lockedAt) {
    throw new DomainError(
      'year-locked',
      `Contract year ${current.code} was signed off by ${current.lockedBy} on ${current.lockedAt.slice(0, 10)}; its rules cannot change unless a commissioner reopens it.`,
    );
  }
  const known = new Set(current.indicators.map((i) => i.code));
  const unknown = body.indicators.filter((i) => !known.has(i.code)).map((i) => i.code);
  if (unknown.length) throw badRequest(`Not indicators of ${current.code}: ${unknown.join(', ')}.`);
  const unknownDomains = body.domains.filter((d) => !current.domains.some((c) => c.code === d.code)).map((d) => d.code);
  if (unknownDomains.length) throw badRequest(`Not domains of ${current.code}: ${unknownDomains.join(', ')}.`);
  const merged = {
    retrospectiveShareBp: body.retrospectiveShareBp,
    domainRule: body.domainRule,
    domains: current.domains.map((d) => body.domains.find((b) => b.code === d.code) ?? d),
    indicators: current.indicators.map((i) => ({ ...i, ...(body.indicators.find((b) => b.code === i.code) ?? {}) })),
    contractValues: body.contractValues,
  };
  const problems = checkRules(merged);
  if (problems.length) {
    throw new DomainError(
      'invalid-rules',
      `These rules cannot be saved: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  }
  for (const v of body.contractValues)
    if ((await networkIdOf(deps.db, v.network)) === null) throw badRequest(`There is no network ${v.network}.`);
  const before = await rulesView(deps, current.code);
  await updateContractYearRules(deps.db, current.id, {
    ...merged,
    indicators: merged.indicators.map(({ code: c, targetBp, lowerBp, mode, weight }) => ({
      code: c,
      targetBp,
      lowerBp,
      mode,
      weight,
    })),
  });
  const after = await rulesView(deps, current.code);
  await audit(deps, actor, 'contract-year-updated', { code: current.code, changes: diffRules(before, after) });
  return after;
}
