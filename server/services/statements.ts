/**
 * Payment statements (SPEC section 4.5–4.6): every network's statement for a contract year at a period, as
 * the viewer may see it; the CSV export; and signing a year off (freezing its final statements and locking
 * its months) or reopening it. Each network's statement is computed by computeStatement
 * (server/domain/statement.ts), the one path the what-if and the backtest take too, from the year's rules,
 * the members at the period and their observations, loaded here through the repositories.
 */
import { latestPeriodBetween, findActiveSignOff, reopenYear, signOffYear } from '../db/repositories/statements';
import type { YearRules } from '../db/repositories/statements';
import { listNetworksAt } from '../db/repositories/networks';
import { currentDataVersion } from '../db/repositories/maintenance';
import { paymentNetworks, type RoleInNetwork } from '../domain/access';
import { toCsv } from '../domain/csv-export';
import { badRequest, DomainError, forbidden, notFound } from '../domain/errors';
import type { NetworkStatement } from '../domain/payment';
import { periodOfDate } from '../domain/periods';
import { reopenRefusal, signOffRefusal } from '../domain/sign-off';
import type { IndicatorAttainment } from '../domain/attainment';
import { domainRuleInWords } from '../domain/explain';
import { computeStatementOfValues } from '../domain/statement';
import { readStatement } from '../domain/statement-reading';
import { whatItWouldTake } from '../domain/releasable';
import { inputHash, networkInputHashOfValues, rulesCanonicalJson } from '../domain/statement-hash';
import type { NetworkSummary, Payments, PaymentsList } from '../schemas/statements';
import { audit, type Actor, type Deps } from './context';
import { keptJson, keptLarge, keptPeriodValues, type KeptJson, type ToJson } from './figures-cache';
import { requireYearRules } from './contract-years';

export interface StatementSet {
  rules: YearRules;
  period: string;
  networks: (NetworkStatement & { inputHash: string })[];
  /** Each network's attainment behind its statement (for what it would take, per practice). */
  attainment: Map<string, IndicatorAttainment[]>;
  inputHash: string;
}

/**
 * Payment statements at a period for every network with a contract value (or one network), each with the
 * hash of its inputs.
 */
export async function statementSet(
  deps: Deps,
  rules: YearRules,
  period: string,
  networkCode?: string,
): Promise<StatementSet> {
  const networks = await listNetworksAt(deps.db, period, networkCode);
  const codes = rules.indicators.map((i) => i.code);
  const values = await keptPeriodValues(deps.db, period, codes, networkCode);
  const rulesJson = rulesCanonicalJson(rules);
  const attainment = new Map<string, IndicatorAttainment[]>();
  const statements = networks.flatMap((n) => {
    const contractValuePence = rules.contractValues.get(n.code);
    if (contractValuePence === undefined) return [];
    const { statement, attainment: attained } = computeStatementOfValues(
      rules,
      { code: n.code, name: n.name, contractValuePence, practices: n.practices },
      values,
    );
    const hash = networkInputHashOfValues(
      rulesJson,
      period,
      n.code,
      statement.contractValuePence,
      n.practices,
      values,
      codes,
    );
    attainment.set(n.code, attained);
    return [{ ...statement, inputHash: hash }];
  });
  return {
    rules,
    period,
    networks: statements,
    attainment,
    inputHash: inputHash({ rulesJson, period, networks: statements.map((s) => [s.code, s.inputHash]) }),
  };
}

/** Sums over the networks given (the ones a response returns), or over their totals. */
function totalsOf(networks: readonly Payments['totals'][]): Payments['totals'] {
  const sum = (f: (n: Payments['totals']) => number) => networks.reduce((s, n) => s + f(n), 0);
  return {
    contractValuePence: sum((n) => n.contractValuePence),
    prospectivePence: sum((n) => n.prospectivePence),
    retrospectivePotPence: sum((n) => n.retrospectivePotPence),
    earnedPence: sum((n) => n.earnedPence),
    heldPence: sum((n) => n.heldPence),
    releasablePence: sum((n) => n.releasablePence),
  };
}

/** The year's rules in words, and whether the statement at a period is final or provisional. */
function rulesOf(rules: YearRules, period: string): Payments['rules'] {
  return {
    retrospectiveShareBp: rules.retrospectiveShareBp,
    domainRule: rules.domainRule,
    domainRuleText: domainRuleInWords(rules.domainRule),
    basisText:
      period === rules.lastPeriod
        ? "Final: the figures at the contract year's last period."
        : 'Provisional: what would be paid if the year ended at this period.',
  };
}

/**
 * A network's statement as readers get it: what it would take and why (domain/statement-reading.ts). Without
 * the attainment (a frozen statement) the patients needed come from the lines and no practice figures are given.
 */
function readNetwork(
  rules: YearRules,
  period: string,
  network: NetworkStatement & { inputHash: string },
  attainment: IndicatorAttainment[] | null,
): Payments['networks'][number] {
  return readStatement(network, attainment, rules, period, rules.titles);
}

/** The statement set as the API gives it: titles, reasons and what it would take added, totals summed. */
function present(rules: YearRules, set: StatementSet, signOff: Payments['signOff']): Payments {
  const networks = set.networks.map((n) => readNetwork(rules, set.period, n, set.attainment.get(n.code) ?? null));
  return {
    year: rules.code,
    period: set.period,
    final: set.period === rules.lastPeriod,
    locked: rules.lockedAt !== null,
    signOff,
    inputHash: set.inputHash,
    rules: rulesOf(rules, set.period),
    totals: totalsOf(networks),
    networks,
  };
}

/** A frozen statement with its reasons and what it would take worked out again from its own lines. */
function frozenAsRead(current: YearRules, frozen: Payments, signOff: Payments['signOff']): Payments {
  // The rule the statement was signed off under, should the year's rules have changed since.
  const rules = { ...current, domainRule: frozen.rules.domainRule };
  return {
    ...frozen,
    locked: true,
    signOff,
    rules: rulesOf(rules, frozen.period),
    networks: frozen.networks.map((n) => readNetwork(rules, frozen.period, n, null)),
  };
}

/**
 * Every network's statement for a contract year at a period (default: the latest period with data in the
 * year), cut to the networks the viewer may see; the signed-off period's statement as it was frozen.
 */
export async function paymentsFor(
  deps: Deps,
  viewer: RoleInNetwork,
  yearCode: string,
  requested?: string,
): Promise<Payments> {
  const rules = await requireYearRules(deps, yearCode);
  const period = await periodAsked(deps, rules, requested);
  const signOff = rules.lockedAt
    ? await keptLarge(deps.db, `sign-off ${rules.code}`, () => findActiveSignOff(deps.db, rules.id))
    : null;
  const signOffInfo = signOff
    ? {
        signedAt: signOff.signedAt,
        signedBy: signOff.signedBy,
        overrideReason: signOff.overrideReason,
        inputHash: signOff.inputHash,
      }
    : null;
  // The signed-off statement is shown as it was frozen, not recomputed.
  const result: Payments =
    signOff && period === signOff.period
      ? frozenAsRead(rules, signOff.statement as Payments, signOffInfo)
      : await keptLarge(deps.db, `payments ${rules.code} ${period}`, async () =>
          present(rules, await statementSet(deps, rules, period), signOffInfo),
        );
  const scope = paymentNetworks(viewer);
  const networks = scope ? result.networks.filter((n) => scope.includes(n.code)) : result.networks;
  // Totals over the networks returned (a statement frozen before prospectivePence was totalled gains it).
  return { ...result, networks, totals: totalsOf(networks) };
}

type BriefDomain = NetworkSummary['domains'][number];

/**
 * A network's statement in brief (NetworkSummarySchema): its figures without the evidence, from its statement
 * and what it would take (SPEC 11.1). Both come from one statement as read (readStatement: it carries what it
 * would take), or, as paymentsParts has them, from the statement as computed and whatItWouldTake's answer, so the
 * two give the same text.
 */
export function summaryOf(
  n: Omit<NetworkSummary, 'releasablePence' | 'patientsNeeded' | 'domains'> & {
    domains: readonly (Pick<BriefDomain, 'code' | 'potPence' | 'earnedPence' | 'status'> & {
      indicators: readonly BriefDomain['indicators'][number][];
    })[];
  },
  take: Pick<NetworkSummary, 'releasablePence' | 'patientsNeeded'> & {
    domains: readonly Pick<BriefDomain, 'releasablePence' | 'patientsNeeded' | 'unmet'>[];
  },
): NetworkSummary {
  return {
    code: n.code,
    name: n.name,
    contractValuePence: n.contractValuePence,
    prospectivePence: n.prospectivePence,
    retrospectivePotPence: n.retrospectivePotPence,
    earnedPence: n.earnedPence,
    heldPence: n.heldPence,
    status: n.status,
    incompleteIndicators: n.incompleteIndicators,
    inputHash: n.inputHash,
    releasablePence: take.releasablePence,
    patientsNeeded: take.patientsNeeded,
    domains: n.domains.map((d, di) => {
      const taken = take.domains[di];
      if (!taken) throw new Error(`domain ${d.code} missing from what it would take`);
      return {
        code: d.code,
        potPence: d.potPence,
        earnedPence: d.earnedPence,
        status: d.status,
        releasablePence: taken.releasablePence,
        patientsNeeded: taken.patientsNeeded,
        unmet: taken.unmet.map((u) => ({ code: u.code, patientsNeeded: u.patientsNeeded, complete: u.complete })),
        indicators: d.indicators.map((i) => ({
          code: i.code,
          state: i.state,
          met: i.met,
          complete: i.complete,
          potPence: i.potPence,
          fraction: i.fraction,
          earnedPence: i.earnedPence,
        })),
      };
    }),
  };
}

/** A statement set in brief: the same head, each network summarised. */
export function listOf(payments: Payments): PaymentsList {
  return { ...payments, networks: payments.networks.map((n) => summaryOf(n, n)) };
}

/**
 * Every network's statement at a period in brief, as the API writes it: one JSON text per network with the
 * figures its totals sum, and the rest of the response. What a list response is cut and assembled from,
 * whoever asks; kept by data version as bytes rather than objects, and built one network at a time, so no more
 * than one network's objects are alive at once. The reasons and per-practice figures of the full statement
 * are not worked out here: `?network=` asks for them, one network at a time.
 */
interface PaymentsParts {
  head: Omit<Payments, 'totals' | 'networks'>;
  /** Each network's JSON as UTF-8 bytes (kept outside the JavaScript heap). */
  networks: { code: string; json: Buffer; totals: Payments['totals'] }[];
}

async function paymentsParts(deps: Deps, rules: YearRules, period: string): Promise<PaymentsParts> {
  const networks = await listNetworksAt(deps.db, period);
  const codes = rules.indicators.map((i) => i.code);
  const values = await keptPeriodValues(deps.db, period, codes);
  const rulesJson = rulesCanonicalJson(rules);
  const parts: PaymentsParts['networks'] = [];
  const hashes: [string, string][] = [];
  for (const n of networks) {
    const contractValuePence = rules.contractValues.get(n.code);
    if (contractValuePence === undefined) continue;
    const { statement, attainment } = computeStatementOfValues(
      rules,
      { code: n.code, name: n.name, contractValuePence, practices: n.practices },
      values,
      'none',
    );
    const hash = networkInputHashOfValues(rulesJson, period, n.code, contractValuePence, n.practices, values, codes);
    hashes.push([n.code, hash]);
    // What readStatement adds that the summary keeps: what it would take, without the reasons in words.
    const toTake = whatItWouldTake(statement, attainment, rules.domainRule);
    const summary = summaryOf({ ...statement, inputHash: hash }, toTake);
    parts.push({ code: n.code, json: Buffer.from(JSON.stringify(summary), 'utf8'), totals: totalsOf([summary]) });
  }
  return {
    head: {
      year: rules.code,
      period,
      final: period === rules.lastPeriod,
      locked: rules.lockedAt !== null,
      signOff: null,
      inputHash: inputHash({ rulesJson, period, networks: hashes }),
      rules: rulesOf(rules, period),
    },
    networks: parts,
  };
}

/** The period a request asks for, else the latest with data in the year; refused outside the year. */
async function periodAsked(deps: Deps, rules: YearRules, requested: string | undefined): Promise<string> {
  if (requested && (requested < rules.firstPeriod || requested > rules.lastPeriod)) {
    throw badRequest(
      `Period ${requested} is not in contract year ${rules.code} (${rules.firstPeriod} to ${rules.lastPeriod}).`,
    );
  }
  return requested ?? (await latestPeriodBetween(deps.db, rules.firstPeriod, rules.lastPeriod)) ?? rules.firstPeriod;
}

/**
 * The payments response as JSON, kept by data version for each cut of the networks (figures-cache.ts):
 *   - without `network`, every network the viewer may see in brief: listOf(paymentsFor(…)) to the byte,
 *     assembled from the kept per-network texts (a signed-off period's frozen statement goes through
 *     paymentsFor);
 *   - with `network`, that network's statement with all its evidence, as paymentsFor gives it for a viewer who
 *     sees that network alone (the head, its hash of the whole set included, is the list's).
 */
export async function paymentsJson(
  deps: Deps,
  viewer: RoleInNetwork,
  query: { year: string; period?: string; network?: string },
  toJson: ToJson,
): Promise<KeptJson> {
  const scope = paymentNetworks(viewer);
  const { year: yearCode, period: requested, network } = query;
  if (network !== undefined) {
    requirePaymentsOf(viewer, network);
    return keptJson(
      deps.db,
      `payments ${yearCode} ${requested ?? 'latest'} network ${network}`,
      async () => networkPayments(deps, viewer, yearCode, requested, network),
      toJson,
    );
  }
  return keptJson(
    deps.db,
    `payments ${yearCode} ${requested ?? 'latest'} ${scope?.join(',') ?? 'all'}`,
    async () => {
      const rules = await requireYearRules(deps, yearCode);
      const period = await periodAsked(deps, rules, requested);
      if (rules.lockedAt) return toJson(listOf(await paymentsFor(deps, viewer, yearCode, period)));
      const parts = await keptLarge(deps.db, `payments parts ${rules.code} ${period}`, () =>
        paymentsParts(deps, rules, period),
      );
      const networks = scope ? parts.networks.filter((n) => scope.includes(n.code)) : parts.networks;
      const totals = totalsOf(networks.map((n) => n.totals));
      // {..., "networks":[]} with the networks' own texts put between the brackets.
      const shell = JSON.stringify({ ...parts.head, totals, networks: [] });
      const comma = Buffer.from(',');
      return Buffer.concat([
        Buffer.from(shell.slice(0, -2), 'utf8'),
        ...networks.flatMap((n, i) => (i ? [comma, n.json] : [n.json])),
        Buffer.from(']}'),
      ]);
    },
    (json) => json as ReturnType<ToJson>,
  );
}

/** Refuses (403) a network whose payments the viewer may not see (domain/access.ts paymentNetworks). */
function requirePaymentsOf(viewer: RoleInNetwork, network: string): void {
  const scope = paymentNetworks(viewer);
  if (scope !== null && !scope.includes(network))
    throw forbidden(`You may see the payment statement of your own network only, not ${network}'s.`);
}

/**
 * One network's statement with all its evidence (the viewer's right to see it checked by the caller): the
 * frozen one at a signed-off period, else computed from that network's figures alone, under the head of the
 * whole set (its inputHash is the set's, as the sign-off records it).
 */
async function networkPayments(
  deps: Deps,
  viewer: RoleInNetwork,
  yearCode: string,
  requested: string | undefined,
  networkCode: string,
): Promise<Payments> {
  const rules = await requireYearRules(deps, yearCode);
  const period = await periodAsked(deps, rules, requested);
  let result: Payments;
  if (rules.lockedAt) {
    const full = await paymentsFor(deps, viewer, yearCode, period);
    result = { ...full, networks: full.networks.filter((n) => n.code === networkCode) };
  } else {
    const [parts, set] = await Promise.all([
      keptLarge(deps.db, `payments parts ${rules.code} ${period}`, () => paymentsParts(deps, rules, period)),
      statementSet(deps, rules, period, networkCode),
    ]);
    result = {
      ...parts.head,
      totals: totalsOf([]),
      networks: set.networks.map((n) => readNetwork(rules, period, n, set.attainment.get(n.code) ?? null)),
    };
  }
  const [network] = result.networks;
  if (!network)
    throw notFound(
      `Network ${networkCode} has no payment statement for ${rules.code} at ${period}: it is not a network, or it has no contract value for the year or no members then.`,
    );
  return { ...result, totals: totalsOf(result.networks) };
}

/** The payment statements as CSV, one row per network, domain and indicator (exact figures). */
export async function paymentsCsv(
  deps: Deps,
  viewer: RoleInNetwork,
  yearCode: string,
  period?: string,
  network?: string,
): Promise<{ filename: string; csv: string }> {
  if (network !== undefined) requirePaymentsOf(viewer, network);
  const p = await paymentsFor(deps, viewer, yearCode, period);
  const networks = network === undefined ? p.networks : p.networks.filter((n) => n.code === network);
  if (network !== undefined && networks.length === 0)
    throw notFound(`Network ${network} has no payment statement for ${p.year} at ${p.period}.`);
  const rows = networks.flatMap((n) =>
    n.domains.flatMap((d) =>
      d.indicators.map((i) => [
        p.year,
        p.period,
        p.final ? 'final' : 'provisional',
        n.code,
        n.name,
        n.contractValuePence,
        n.retrospectivePotPence,
        n.earnedPence,
        n.status,
        d.code,
        d.potPence,
        d.earnedPence,
        d.status,
        i.code,
        i.numerator,
        i.denominator,
        i.rate === null ? null : Math.round(i.rate * 10000) / 10000,
        i.targetBp,
        i.lowerBp,
        i.complete ? 'complete' : 'incomplete',
        i.potPence,
        i.fractionExact,
        i.earnedPence,
      ]),
    ),
  );
  const header = [
    'year',
    'period',
    'statement',
    'network',
    'network_name',
    'contract_value_pence',
    'retrospective_pot_pence',
    'network_earned_pence',
    'network_status',
    'domain',
    'domain_pot_pence',
    'domain_earned_pence',
    'domain_status',
    'indicator',
    'numerator',
    'denominator',
    'rate',
    'target_bp',
    'lower_bp',
    'completeness',
    'indicator_pot_pence',
    'fraction_earned',
    'indicator_earned_pence',
  ];
  return { filename: `payments-${p.year}-${p.period}${network ? `-${network}` : ''}.csv`, csv: toCsv(header, rows) };
}

/**
 * Signs off a contract year's final statements: freezes them (rules, every line's inputs and amounts, the
 * hash of the inputs) and locks the year's months. Refused by signOffRefusal (domain/sign-off.ts) and while
 * a figure is incomplete at the last period, unless overridden with a reason.
 */
export async function signOff(
  deps: Deps,
  actor: Actor,
  yearCode: string,
  overrideReasonGiven: string | undefined,
): Promise<Payments> {
  const user = actor.user;
  const rules = await requireYearRules(deps, yearCode);
  const overrideReason = overrideReasonGiven?.trim() || null;
  const refusal = signOffRefusal(
    user,
    { lastPeriod: rules.lastPeriod, locked: rules.lockedAt !== null },
    periodOfDate(deps.now()),
  );
  if (refusal === 'forbidden') throw forbidden(`Your role (${user.role}) cannot sign off contract years.`);
  if (refusal === 'already-signed-off') {
    const when = rules.lockedAt?.slice(0, 10) ?? 'an earlier date';
    throw new DomainError(
      'already-signed-off',
      `Contract year ${rules.code} was signed off by ${rules.lockedBy} on ${when}; reopen it first to sign off again.`,
    );
  }
  if (refusal === 'year-not-ended') {
    throw new DomainError(
      'year-not-ended',
      `Contract year ${rules.code} runs to ${rules.lastPeriod}; it can be signed off once that month's figures are in.`,
    );
  }
  // The data version the figures are computed at: the sign-off is refused if they change before it is written.
  const dataVersion = await currentDataVersion(deps.db);
  const set = await statementSet(deps, rules, rules.lastPeriod);
  const incomplete = set.networks.flatMap((n) =>
    n.domains.flatMap((d) =>
      d.indicators
        .filter((i) => !i.complete)
        .map((i) => ({ network: n.code, indicator: i.code, missingPractices: i.missingPractices })),
    ),
  );
  if (incomplete.length && !overrideReason) {
    const figures = `${incomplete.length} indicator figure${incomplete.length === 1 ? ' is' : 's are'}`;
    throw new DomainError(
      'incomplete',
      `${figures} incomplete at ${rules.lastPeriod}: get the missing practices' data uploaded, or sign off with an override and a reason.`,
      incomplete,
    );
  }
  const at = deps.now().toISOString();
  const statement = present(rules, set, null);
  const signOffInfo = {
    signedAt: at,
    signedBy: user.username,
    overrideReason: incomplete.length ? overrideReason : null,
    inputHash: set.inputHash,
  };
  const frozen: Payments = { ...statement, locked: true, signOff: signOffInfo };
  const signed = await signOffYear(deps.db, {
    contractYearId: rules.id,
    period: rules.lastPeriod,
    signedAt: at,
    signedBy: user.username,
    overrideReason: signOffInfo.overrideReason,
    inputHash: set.inputHash,
    statement: frozen,
    totalEarnedPence: statement.totals.earnedPence,
    dataVersion,
  });
  if (signed === 'figures-changed')
    throw new DomainError(
      'figures-changed',
      `The figures of contract year ${rules.code} changed while it was being signed off (an upload was saved meanwhile); look at the statement again and sign off once more.`,
    );
  if (signed === null)
    throw new DomainError(
      'already-signed-off',
      `Contract year ${rules.code} has just been signed off by someone else.`,
    );
  await audit(deps, actor, 'sign-off', {
    year: rules.code,
    period: rules.lastPeriod,
    inputHash: set.inputHash,
    earnedPence: statement.totals.earnedPence,
    override: signOffInfo.overrideReason,
    incomplete,
  });
  return frozen;
}

/** Reopens a signed-off contract year so its figures can change again; the sign-off stays on record. */
export async function reopen(
  deps: Deps,
  actor: Actor,
  yearCode: string,
  reasonGiven: string,
): Promise<{ year: string; locked: false }> {
  const rules = await requireYearRules(deps, yearCode);
  const signOff = rules.lockedAt ? await findActiveSignOff(deps.db, rules.id) : null;
  const refusal = reopenRefusal(actor.user, { locked: signOff !== null });
  if (refusal === 'forbidden') throw forbidden(`Your role (${actor.user.role}) cannot reopen contract years.`);
  if (refusal === 'not-signed-off' || !signOff) {
    throw new DomainError(
      'not-signed-off',
      `Contract year ${rules.code} is not signed off, so there is nothing to reopen.`,
    );
  }
  const reason = reasonGiven.trim();
  await reopenYear(deps.db, {
    contractYearId: rules.id,
    signOffId: signOff.id,
    at: deps.now().toISOString(),
    by: actor.user.username,
    reason,
  });
  await audit(deps, actor, 'reopen', {
    year: rules.code,
    reason,
    signedOffBy: signOff.signedBy,
    signedOffAt: signOff.signedAt,
  });
  return { year: rules.code, locked: false };
}
