/**
 * A statement as its readers get it (SPEC section 11.1–11.2): the network's statement with, added to it,
 *   - on the network: releasablePence (Σ over its domains), the patients that would take, the order in which its
 *     domains release most for fewest patients, and why any money is held;
 *   - on each domain: releasablePence, the unmet indicators with their patients needed (network and per practice),
 *     and why the domain has its status;
 *   - on each indicator line: its rate written so it never reads on the wrong side of its target, the exact
 *     n / d, and why it earns what it earns.
 * The same for a fresh statement and a frozen (signed-off) one: without the attainment behind it (a frozen
 * statement), the network's patients needed come from the line's own figures and no practice figures are given.
 */
import { patientsNeeded, type IndicatorAttainment } from './attainment';
import { explainStatement } from './explain';
import type { ContractYearRules, NetworkStatement } from './payment';
import { sortByValuePerPatient, whatItWouldTake } from './releasable';

export interface UnmetLine {
  code: string;
  patientsNeeded: number;
  complete: boolean;
  missingPractices: string[];
  potPence: number;
  practices: {
    code: string;
    name: string;
    numerator: number | null;
    denominator: number | null;
    patientsNeeded: number | null;
  }[];
}

type Line = NetworkStatement['domains'][number]['indicators'][number];
type Domain = NetworkStatement['domains'][number];

export type ReadLine = Line & { rateText: string | null; exactText: string | null; why: string };
export type ReadDomain = Omit<Domain, 'indicators'> & {
  releasablePence: number;
  patientsNeeded: number;
  unmet: UnmetLine[];
  why: string;
  indicators: ReadLine[];
};
export type ReadStatement<S extends NetworkStatement = NetworkStatement> = Omit<S, 'domains'> & {
  releasablePence: number;
  patientsNeeded: number;
  /** Domain codes that release something, the one releasing most for fewest patients first. */
  releasableOrder: string[];
  heldText: string | null;
  domains: ReadDomain[];
};

/** Stand-ins for the attainment behind a frozen statement: network figures only, no practices. */
function attainmentFromLines(statement: NetworkStatement): IndicatorAttainment[] {
  return statement.domains.flatMap((d) =>
    d.indicators.map((i) => ({
      code: i.code,
      domain: d.code,
      numerator: i.numerator,
      denominator: i.denominator,
      exceptions: 0,
      rate: i.rate,
      targetBp: i.targetBp,
      lowerBp: i.lowerBp,
      met: i.met,
      complete: i.complete,
      state: i.state,
      missingPractices: i.missingPractices,
      patientsNeeded: patientsNeeded(i.numerator, i.denominator, i.targetBp),
      practices: [],
    })),
  );
}

/** ReadLine with the indicator's title last (readStatement given `titles`). */
export type TitledLine = ReadLine & { title: string };

export function readStatement<S extends NetworkStatement>(
  statement: S,
  attainment: readonly IndicatorAttainment[] | null,
  rules: Pick<ContractYearRules, 'domainRule' | 'lastPeriod'>,
  period: string,
): ReadStatement<S>;
/**
 * With `titles` (indicator code → title), each line also carries its title, after its other fields, made in
 * the same pass (a national statement set has 27,000 lines: a second copy of each to add it costs).
 */
export function readStatement<S extends NetworkStatement>(
  statement: S,
  attainment: readonly IndicatorAttainment[] | null,
  rules: Pick<ContractYearRules, 'domainRule' | 'lastPeriod'>,
  period: string,
  titles: ReadonlyMap<string, string>,
): ReadStatement<S> & { domains: (ReadDomain & { indicators: TitledLine[] })[] };
export function readStatement<S extends NetworkStatement>(
  statement: S,
  attainment: readonly IndicatorAttainment[] | null,
  rules: Pick<ContractYearRules, 'domainRule' | 'lastPeriod'>,
  period: string,
  titles?: ReadonlyMap<string, string>,
): ReadStatement<S> {
  const toTake = whatItWouldTake(statement, attainment ?? attainmentFromLines(statement), rules.domainRule);
  const why = explainStatement(statement, rules, period);
  const domains = statement.domains.map((d, di): ReadDomain => {
    const taken = toTake.domains[di];
    const reasons = why.domains[di];
    if (!taken || !reasons) throw new Error(`domain ${d.code} missing from its reading`);
    return {
      ...d,
      releasablePence: taken.releasablePence,
      patientsNeeded: taken.patientsNeeded,
      unmet: taken.unmet.map((u) => ({
        code: u.code,
        patientsNeeded: u.patientsNeeded,
        complete: u.complete,
        missingPractices: u.missingPractices,
        potPence: u.potPence,
        practices: u.practices,
      })),
      why: reasons.text,
      indicators: d.indicators.map((line, li) => {
        const r = reasons.indicators[li];
        const rateText = r?.rateText ?? null;
        const exactText = r?.exactText ?? null;
        const why = r?.text ?? '';
        return titles
          ? { ...line, rateText, exactText, why, title: titles.get(line.code) ?? line.code }
          : { ...line, rateText, exactText, why };
      }),
    };
  });
  return {
    ...statement,
    releasablePence: toTake.releasablePence,
    patientsNeeded: toTake.patientsNeeded,
    releasableOrder: sortByValuePerPatient(toTake.domains)
      .filter((d) => d.releasablePence > 0)
      .map((d) => d.code),
    heldText: why.held,
    domains,
  };
}
