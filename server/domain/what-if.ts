/**
 * What-if (SPEC section 11.4): add patients to an indicator's numerator, for one practice or network-wide, and
 * recompute the statement by the same functions as the real one (computeStatement), without saving anything.
 *
 *   practice adjustment      = that practice's numerator + extra; the practice must be a member at the period
 *                              with a figure for the indicator
 *   network-wide adjustment  = the extra patients are spread over the member practices that have a figure, in
 *                              proportion to each one's patients not yet counted (denominator − numerator), by
 *                              the largest-remainder method (ties in member order). The pooled numerator rises
 *                              by exactly the extra, and no practice is given more patients than it has left.
 *   refused                  = an extra that is not a whole number ≥ 0; an unknown indicator; a practice that is
 *                              not a member or has no figure; any numerator that would exceed its denominator.
 *                              Every problem is reported at once, naming the indicator (and practice).
 * Adjustments apply in order, each on top of the ones before. The observations handed in are never changed.
 */
import type { ObservationValue, PeriodObservations } from './attainment';
import { largestRemainder } from './exact';
import type { ContractYearRules, NetworkStatement, PaymentStatus } from './payment';
import { countText, rateText } from './rate-text';
import { whatItWouldTake, type NetworkToTake } from './releasable';
import { computeStatement, type ComputedStatement, type StatementNetwork } from './statement';
import { must } from './must';

export interface WhatIfAdjustment {
  indicator: string;
  /** A member practice's code; absent or null for network-wide. */
  practice?: string | null;
  extraNumerator: number;
}

export interface WhatIfProblem {
  /** Position of the adjustment in the request, from 0. */
  index: number;
  indicator: string;
  practice: string | null;
  message: string;
}

export class WhatIfError extends Error {
  readonly code = 'what-if-rejected';
  constructor(readonly problems: WhatIfProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'WhatIfError';
  }
}

export interface AppliedAdjustment {
  indicator: string;
  practice: string | null;
  extraNumerator: number;
  /** Where the patients went: one entry for a practice adjustment, the spread for a network-wide one. */
  spread: { practice: string; extra: number }[];
}

/** Returns new observations with the adjustments applied, or throws WhatIfError listing every problem. */
export function applyAdjustments(
  rules: Pick<ContractYearRules, 'code' | 'indicators'>,
  network: Pick<StatementNetwork, 'code' | 'practices'>,
  observations: PeriodObservations,
  adjustments: readonly WhatIfAdjustment[],
): { observations: PeriodObservations; applied: AppliedAdjustment[] } {
  const working = new Map<string, Map<string, ObservationValue>>();
  for (const [practice, byIndicator] of observations) working.set(practice, new Map(byIndicator));
  const members = network.practices.map((p) => p.code);
  const problems: WhatIfProblem[] = [];
  const applied: AppliedAdjustment[] = [];

  adjustments.forEach((adj, index) => {
    const practice = adj.practice ?? null;
    const refuse = (message: string) => problems.push({ index, indicator: adj.indicator, practice, message });
    const where = practice ? `${adj.indicator} at ${practice}` : `${adj.indicator} across ${network.code}`;
    if (!Number.isSafeInteger(adj.extraNumerator) || adj.extraNumerator < 0) {
      return refuse(`${where}: the extra patients must be a whole number, 0 or more (got ${adj.extraNumerator})`);
    }
    if (!rules.indicators.some((i) => i.code === adj.indicator)) {
      return refuse(
        `${adj.indicator} is not an indicator of contract year ${rules.code}; choose one of its indicators`,
      );
    }
    if (practice) {
      if (!members.includes(practice))
        return refuse(
          `${practice} is not a member of ${network.code} at this period; choose one of its member practices or leave the practice out for a network-wide change`,
        );
      const figures = working.get(practice);
      const o = figures?.get(adj.indicator);
      if (!figures || !o)
        return refuse(
          `${where}: the practice has sent no figure for this period, so there is no numerator to add to; add the patients network-wide or to another practice`,
        );
      const room = o.denominator - o.numerator;
      if (adj.extraNumerator > room) {
        return refuse(
          `${where}: ${countText(o.numerator)} + ${countText(adj.extraNumerator)} patients would exceed the denominator of ${countText(o.denominator)}; at most ${countText(room)} more can be added`,
        );
      }
      figures.set(adj.indicator, { ...o, numerator: o.numerator + adj.extraNumerator });
      applied.push({
        indicator: adj.indicator,
        practice,
        extraNumerator: adj.extraNumerator,
        spread: [{ practice, extra: adj.extraNumerator }],
      });
      return;
    }
    // The member practices with a figure for the indicator, with that figure.
    const reporting: { practice: string; figures: Map<string, ObservationValue>; o: ObservationValue }[] = [];
    for (const m of members) {
      const figures = working.get(m);
      const o = figures?.get(adj.indicator);
      if (figures && o) reporting.push({ practice: m, figures, o });
    }
    const rooms = reporting.map(({ o }) => o.denominator - o.numerator);
    const totalRoom = rooms.reduce((s, r) => s + r, 0);
    if (adj.extraNumerator > totalRoom) {
      const n = reporting.reduce((s, { o }) => s + o.numerator, 0);
      const d = reporting.reduce((s, { o }) => s + o.denominator, 0);
      return refuse(
        `${where}: ${countText(n)} + ${countText(adj.extraNumerator)} patients would exceed the network's denominator of ${countText(d)}; at most ${countText(totalRoom)} more can be added`,
      );
    }
    const parts = adj.extraNumerator === 0 ? rooms.map(() => 0) : largestRemainder(adj.extraNumerator, rooms).parts;
    const spread: { practice: string; extra: number }[] = [];
    reporting.forEach(({ practice: m, figures, o }, i) => {
      const extra = must(parts[i], 'a part for every reporting practice');
      if (extra === 0) return;
      figures.set(adj.indicator, { ...o, numerator: o.numerator + extra });
      spread.push({ practice: m, extra });
    });
    applied.push({ indicator: adj.indicator, practice: null, extraNumerator: adj.extraNumerator, spread });
  });

  if (problems.length > 0) throw new WhatIfError(problems);
  return { observations: working, applied };
}

export interface LineState {
  numerator: number;
  denominator: number;
  rate: number | null;
  met: boolean;
  state: string;
  fractionExact: string | null;
  earnedPence: number;
  /** The rate as the statement writes it beside its target ("79.96%"); null when not applicable. */
  rateText: string | null;
}

export interface LineChange {
  domain: string;
  indicator: string;
  before: LineState;
  after: LineState;
}

export interface DomainChange {
  domain: string;
  before: { earnedPence: number; status: PaymentStatus };
  after: { earnedPence: number; status: PaymentStatus };
}

export interface StatementChanges {
  earnedPence: { before: number; after: number };
  /** Domains whose payment or status changed. */
  domains: DomainChange[];
  /** Indicator lines whose figures, standing or payment changed. */
  lines: LineChange[];
}

/** What changed between two statements of the same network and year, line by line. */
export function statementChanges(before: NetworkStatement, after: NetworkStatement): StatementChanges {
  const domains: DomainChange[] = [];
  const lines: LineChange[] = [];
  before.domains.forEach((d, di) => {
    const a = must(after.domains[di], 'the same domains in both statements');
    if (d.earnedPence !== a.earnedPence || d.status !== a.status) {
      domains.push({
        domain: d.code,
        before: { earnedPence: d.earnedPence, status: d.status },
        after: { earnedPence: a.earnedPence, status: a.status },
      });
    }
    d.indicators.forEach((line, li) => {
      const other = must(a.indicators[li], 'the same indicator lines in both statements');
      const state = (l: typeof line): LineState => ({
        numerator: l.numerator,
        denominator: l.denominator,
        rate: l.rate,
        met: l.met,
        state: l.state,
        fractionExact: l.fractionExact,
        earnedPence: l.earnedPence,
        rateText: rateText(l.numerator, l.denominator, l.targetBp),
      });
      const b = state(line);
      const x = state(other);
      if (JSON.stringify(b) !== JSON.stringify(x))
        lines.push({ domain: d.code, indicator: line.code, before: b, after: x });
    });
  });
  return { earnedPence: { before: before.earnedPence, after: after.earnedPence }, domains, lines };
}

export interface WhatIfResult {
  applied: AppliedAdjustment[];
  /** The observations with the adjustments applied (a copy; the ones handed in are unchanged). */
  observations: PeriodObservations;
  before: ComputedStatement;
  after: ComputedStatement;
  changes: StatementChanges;
  /** What it would still take after the adjustments. */
  toTake: NetworkToTake;
}

/** The statement with the adjustments applied, beside the real one, and what changed. Nothing is saved. */
export function whatIf(
  rules: ContractYearRules,
  network: StatementNetwork,
  observations: PeriodObservations,
  adjustments: readonly WhatIfAdjustment[],
): WhatIfResult {
  const { observations: adjusted, applied } = applyAdjustments(rules, network, observations, adjustments);
  const before = computeStatement(rules, network, observations);
  const after = computeStatement(rules, network, adjusted);
  return {
    applied,
    observations: adjusted,
    before,
    after,
    changes: statementChanges(before.statement, after.statement),
    toTake: whatItWouldTake(after.statement, after.attainment, rules.domainRule),
  };
}
