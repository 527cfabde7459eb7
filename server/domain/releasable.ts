/**
 * What it would take (SPEC section 11.1): for each domain of a network's statement at a period, the applicable
 * indicators that are not met, with the patients each needs (network and per practice), and how much more the
 * domain would earn at that period if every one of them reached its target, all else unchanged.
 *
 *   unmet            = applicable indicators not met; an incomplete indicator counts as not met and is named
 *                      incomplete (its patients needed are from the figures received so far); not-applicable
 *                      indicators are never in it
 *   all-indicators   = releasable: the whole domain pot minus what it earns now (the pot, since it earns
 *                      nothing while any indicator is unmet); 0 when nothing is unmet
 *   per-indicator    = releasable: Σ over unmet indicators of (indicator pot − what it earns now), which is the
 *                      pot × (1 − f) of SPEC 11.1 taken to the penny the statement would actually add (for
 *                      sliding mode, reaching the target means f = 1)
 *   not assessable   = a domain with no applicable indicator releases 0: its pot is held for the commissioner
 *                      to decide, and no patient can change that
 *   network          = releasable: the sum over its domains
 */
import type { IndicatorAttainment } from './attainment';
import type { DomainRule, NetworkStatement, PaymentStatus } from './payment';

export interface UnmetPractice {
  code: string;
  name: string;
  numerator: number | null;
  denominator: number | null;
  /** The practice's own gap to the target; null when it has sent no figure or its denominator is 0. */
  patientsNeeded: number | null;
}

export interface UnmetIndicator {
  code: string;
  /** Network patients needed (SPEC 4.4). */
  patientsNeeded: number;
  complete: boolean;
  missingPractices: string[];
  potPence: number;
  earnedPence: number;
  practices: UnmetPractice[];
}

export interface DomainToTake {
  code: string;
  name: string;
  status: PaymentStatus;
  potPence: number;
  earnedPence: number;
  releasablePence: number;
  /** Σ of the unmet indicators' network patients needed: every one must be reached to release the amount. */
  patientsNeeded: number;
  unmet: UnmetIndicator[];
}

export interface NetworkToTake {
  code: string;
  releasablePence: number;
  patientsNeeded: number;
  domains: DomainToTake[];
}

export function whatItWouldTake(
  statement: NetworkStatement,
  attainment: readonly IndicatorAttainment[],
  domainRule: DomainRule,
): NetworkToTake {
  const byCode = new Map(attainment.map((a) => [a.code, a]));
  const domains = statement.domains.map((d): DomainToTake => {
    const unmetLines = d.indicators.filter((i) => i.state !== 'not-applicable' && !i.met);
    const unmet = unmetLines.map((line): UnmetIndicator => {
      const a = byCode.get(line.code);
      if (!a) throw new Error(`no attainment for ${line.code}`);
      return {
        code: line.code,
        patientsNeeded: a.patientsNeeded,
        complete: a.complete,
        missingPractices: a.missingPractices,
        potPence: line.potPence,
        earnedPence: line.earnedPence,
        practices: a.practices.map((p) => ({
          code: p.code,
          name: p.name,
          numerator: p.numerator,
          denominator: p.denominator,
          patientsNeeded: p.patientsNeeded,
        })),
      };
    });
    let releasable = 0;
    if (d.status !== 'not-assessable' && unmet.length > 0) {
      releasable =
        domainRule === 'all-indicators'
          ? d.potPence - d.earnedPence
          : unmet.reduce((s, u) => s + (u.potPence - u.earnedPence), 0);
    }
    return {
      code: d.code,
      name: d.name,
      status: d.status,
      potPence: d.potPence,
      earnedPence: d.earnedPence,
      releasablePence: releasable,
      patientsNeeded: unmet.reduce((s, u) => s + u.patientsNeeded, 0),
      unmet,
    };
  });
  return {
    code: statement.code,
    releasablePence: domains.reduce((s, d) => s + d.releasablePence, 0),
    patientsNeeded: domains.reduce((s, d) => s + d.patientsNeeded, 0),
    domains,
  };
}

/**
 * Orders domains so the one that releases most for fewest patients comes first:
 *   1. domains that release something before those that release nothing (these keep catalogue order);
 *   2. among those that release something, a domain needing no patients at all (its figures so far reach every
 *      target: only missing figures to send) comes first, larger amount first;
 *   3. then by releasable pence per patient needed, compared exactly (a.pence × b.patients vs b.pence ×
 *      a.patients), most first;
 *   4. ties: the larger amount first, then catalogue order.
 * Returns a new array; the input is not changed.
 */
export function sortByValuePerPatient<T extends Pick<DomainToTake, 'releasablePence' | 'patientsNeeded'>>(
  domains: readonly T[],
): T[] {
  const indexed = domains.map((d, i) => ({ d, i }));
  indexed.sort((x, y) => {
    const a = x.d;
    const b = y.d;
    const aReleases = a.releasablePence > 0;
    const bReleases = b.releasablePence > 0;
    if (aReleases !== bReleases) return aReleases ? -1 : 1;
    if (!aReleases) return x.i - y.i;
    const aFree = a.patientsNeeded === 0;
    const bFree = b.patientsNeeded === 0;
    if (aFree !== bFree) return aFree ? -1 : 1;
    if (!aFree) {
      const byRatio = b.releasablePence * a.patientsNeeded - a.releasablePence * b.patientsNeeded;
      if (byRatio !== 0) return byRatio;
    }
    return b.releasablePence - a.releasablePence || x.i - y.i;
  });
  return indexed.map((x) => x.d);
}
