import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { appendAudit } from '../db/repositories/audit';
import { findActiveSignOff, latestPeriodBetween, reopenYear, signOffYear, type YearRules } from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import { ACCESS, paymentNetworks } from '../domain/access';
import { toCsv } from '../domain/csv-export';
import { periodOfDate } from '../domain/periods';
import { badRequest, DomainError, forbidden } from '../plugins/errors';
import { reopenRefusal, signOffRefusal } from '../domain/sign-off';
import { requireUser } from '../plugins/auth';
import { ContractYearCodeSchema, errorResponses } from '../schemas/common';
import { PaymentsQuerySchema, PaymentsSchema, ReopenBodySchema, SignOffBodySchema, type Payments } from '../schemas/statements';
import { requireYearRules, statementsFor } from './report-data';

const READERS = ACCESS.payments;
const SIGNERS = ACCESS.signOff;

/** Sums over the networks given (the ones a response returns). */
function totalsOf(networks: Payments['networks']): Payments['totals'] {
  const sum = (f: (n: Payments['networks'][number]) => number) => networks.reduce((s, n) => s + f(n), 0);
  return {
    contractValuePence: sum((n) => n.contractValuePence),
    prospectivePence: sum((n) => n.prospectivePence),
    retrospectivePotPence: sum((n) => n.retrospectivePotPence),
    earnedPence: sum((n) => n.earnedPence),
    heldPence: sum((n) => n.heldPence),
  };
}

/** The statement set as the API gives it: titles added, totals summed, a manager's view cut to their network. */
function present(rules: YearRules, set: Awaited<ReturnType<typeof statementsFor>>, signOff: Payments['signOff']): Payments {
  const networks = set.networks.map((n) => ({
    ...n,
    domains: n.domains.map((d) => ({ ...d, indicators: d.indicators.map((i) => ({ ...i, title: rules.titles.get(i.code) ?? i.code })) })),
  }));
  return {
    year: rules.code,
    period: set.period,
    final: set.period === rules.lastPeriod,
    locked: rules.lockedAt !== null,
    signOff,
    inputHash: set.inputHash,
    rules: { retrospectiveShareBp: rules.retrospectiveShareBp, domainRule: rules.domainRule },
    totals: totalsOf(networks),
    networks,
  };
}

async function buildPayments(app: FastifyInstance, user: SessionUser, yearCode: string, requested?: string): Promise<Payments> {
  const rules = await requireYearRules(app, yearCode);
  if (requested && (requested < rules.firstPeriod || requested > rules.lastPeriod)) {
    throw badRequest(`Period ${requested} is not in contract year ${rules.code} (${rules.firstPeriod} to ${rules.lastPeriod}).`);
  }
  const period = requested ?? (await latestPeriodBetween(app.db, rules.firstPeriod, rules.lastPeriod)) ?? rules.firstPeriod;
  const signOff = rules.lockedAt ? await findActiveSignOff(app.db, rules.id) : null;
  let result: Payments;
  if (signOff && period === signOff.period) {
    // The signed-off statement is shown as it was frozen, not recomputed.
    result = signOff.statement as Payments;
    result = { ...result, locked: true, signOff: { signedAt: signOff.signedAt, signedBy: signOff.signedBy, overrideReason: signOff.overrideReason, inputHash: signOff.inputHash } };
  } else {
    const info = signOff ? { signedAt: signOff.signedAt, signedBy: signOff.signedBy, overrideReason: signOff.overrideReason, inputHash: signOff.inputHash } : null;
    result = present(rules, await statementsFor(app, rules, period), info);
  }
  const scope = paymentNetworks(user);
  const networks = scope ? result.networks.filter((n) => scope.includes(n.code)) : result.networks;
  // Totals over the networks returned (a frozen statement from before prospectivePence was totalled gains it).
  return { ...result, networks, totals: totalsOf(networks) };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/payments', {
    config: { access: READERS },
    // A national year is ~10 MB of JSON: JSON.stringify writes it in a tenth of the time the schema-compiled
    // serialiser takes. The schema still documents the response; present() builds exactly its fields.
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      tags: ['payments'],
      summary: "Every network's payment statement for a contract year: final at the year's last period, provisional before it",
      querystring: PaymentsQuerySchema,
      response: { 200: PaymentsSchema, ...errorResponses },
    },
  }, async (request) => buildPayments(app, requireUser(request), request.query.year, request.query.period));

  app.get('/api/payments.csv', {
    config: { access: READERS },
    schema: { tags: ['payments'], summary: 'The payment statements as CSV, one row per network, domain and indicator (exact figures: payments are never suppressed)', querystring: PaymentsQuerySchema },
  }, async (request, reply) => {
    const p = await buildPayments(app, requireUser(request), request.query.year, request.query.period);
    const rows = p.networks.flatMap((n) =>
      n.domains.flatMap((d) =>
        d.indicators.map((i) => [
          p.year, p.period, p.final ? 'final' : 'provisional', n.code, n.name, n.contractValuePence, n.retrospectivePotPence, n.earnedPence, n.status,
          d.code, d.potPence, d.earnedPence, d.status, i.code, i.numerator, i.denominator, i.rate === null ? null : Math.round(i.rate * 10000) / 10000,
          i.targetBp, i.lowerBp, i.complete ? 'complete' : 'incomplete', i.potPence, i.fractionExact, i.earnedPence,
        ]),
      ),
    );
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="payments-${p.year}-${p.period}.csv"`);
    return toCsv([
      'year', 'period', 'statement', 'network', 'network_name', 'contract_value_pence', 'retrospective_pot_pence', 'network_earned_pence', 'network_status',
      'domain', 'domain_pot_pence', 'domain_earned_pence', 'domain_status', 'indicator', 'numerator', 'denominator', 'rate', 'target_bp', 'lower_bp',
      'completeness', 'indicator_pot_pence', 'fraction_earned', 'indicator_earned_pence',
    ], rows);
  });

  app.post('/api/payments/:year/sign-off', {
    config: { access: SIGNERS },
    schema: {
      tags: ['payments'],
      summary: "Sign off a contract year's final statements: freezes them and locks the year's periods",
      params: Type.Object({ year: ContractYearCodeSchema }),
      body: Type.Union([SignOffBodySchema, Type.Null()]),
      response: { 200: PaymentsSchema, ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const rules = await requireYearRules(app, request.params.year);
    const overrideReason = request.body?.overrideReason?.trim() || null;
    const refusal = signOffRefusal(user, { lastPeriod: rules.lastPeriod, locked: rules.lockedAt !== null }, periodOfDate(app.now()));
    if (refusal === 'forbidden') throw forbidden(`Your role (${user.role}) cannot sign off contract years.`);
    if (refusal === 'already-signed-off') {
      throw new DomainError('already-signed-off', `Contract year ${rules.code} was signed off by ${rules.lockedBy} on ${rules.lockedAt?.slice(0, 10)}; reopen it first to sign off again.`);
    }
    if (refusal === 'year-not-ended') {
      throw new DomainError('year-not-ended', `Contract year ${rules.code} runs to ${rules.lastPeriod}; it can be signed off once that month's figures are in.`);
    }
    const set = await statementsFor(app, rules, rules.lastPeriod);
    const incomplete = set.networks.flatMap((n) => n.domains.flatMap((d) => d.indicators.filter((i) => !i.complete).map((i) => ({ network: n.code, indicator: i.code, missingPractices: i.missingPractices }))));
    if (incomplete.length && !overrideReason) {
      throw new DomainError('incomplete', `${incomplete.length} indicator figure${incomplete.length === 1 ? ' is' : 's are'} incomplete at ${rules.lastPeriod}: get the missing practices' data uploaded, or sign off with an override and a reason.`, incomplete);
    }
    const at = app.now().toISOString();
    const statement = present(rules, set, null);
    const frozen = { ...statement, locked: true, signOff: { signedAt: at, signedBy: user.username, overrideReason: incomplete.length ? overrideReason : null, inputHash: set.inputHash } };
    const signed = signOffYear(app.sqlite, { contractYearId: rules.id, period: rules.lastPeriod, signedAt: at, signedBy: user.username, overrideReason: frozen.signOff.overrideReason, inputHash: set.inputHash, statement: frozen, totalEarnedPence: statement.totals.earnedPence });
    if (signed === null) throw new DomainError('already-signed-off', `Contract year ${rules.code} has just been signed off by someone else.`);
    await appendAudit(app.db, {
      at, userId: user.id, username: user.username, action: 'sign-off', ip: request.ip,
      detail: { year: rules.code, period: rules.lastPeriod, inputHash: set.inputHash, earnedPence: statement.totals.earnedPence, override: frozen.signOff.overrideReason, incomplete },
    });
    return frozen;
  });

  app.post('/api/payments/:year/reopen', {
    config: { access: SIGNERS },
    schema: {
      tags: ['payments'],
      summary: 'Reopen a signed-off contract year so its figures can change again',
      params: Type.Object({ year: ContractYearCodeSchema }),
      body: ReopenBodySchema,
      response: { 200: Type.Object({ year: ContractYearCodeSchema, locked: Type.Boolean() }), ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const rules = await requireYearRules(app, request.params.year);
    const signOff = rules.lockedAt ? await findActiveSignOff(app.db, rules.id) : null;
    const refusal = reopenRefusal(user, { locked: signOff !== null });
    if (refusal === 'forbidden') throw forbidden(`Your role (${user.role}) cannot reopen contract years.`);
    if (refusal === 'not-signed-off' || !signOff) throw new DomainError('not-signed-off', `Contract year ${rules.code} is not signed off, so there is nothing to reopen.`);
    const at = app.now().toISOString();
    reopenYear(app.sqlite, { contractYearId: rules.id, signOffId: signOff.id, at, by: user.username, reason: request.body.reason.trim() });
    await appendAudit(app.db, { at, userId: user.id, username: user.username, action: 'reopen', ip: request.ip, detail: { year: rules.code, reason: request.body.reason.trim(), signedOffBy: signOff.signedBy, signedOffAt: signOff.signedAt } });
    return { year: rules.code, locked: false };
  });
};
export default routes;
