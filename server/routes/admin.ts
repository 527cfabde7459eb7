/**
 * Admin: users, networks, practices and memberships, contract years and their rules. Every change is
 * validated (impossible rules are refused, a signed-off year cannot change) and written to the audit log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAudit } from '../db/repositories/audit';
import { copyContractYear, insertContractYear, updateContractYearRules } from '../db/repositories/contract-years';
import { changeMembership, insertNetwork, listPracticesWithMemberships, ReferenceConflictError, renameNetwork } from '../db/repositories/reference';
import { loadYearRules } from '../db/repositories/statements';
import { countActiveAdmins, findUserById, findUserByUsername, insertUser, listUsers, networkIdOf, setPassword, updateUser, type Role } from '../db/repositories/users';
import { DEFAULT_CATALOGUE, DEFAULT_DOMAIN_SHARES_BP, DEFAULT_QOF_ALIASES, DEFAULT_RETROSPECTIVE_SHARE_BP } from '../domain/catalogue';
import { ACCESS } from '../domain/access';
import type { AuditAction } from '../domain/audit-actions';
import { checkRules } from '../domain/contract-rules';
import { roleList, roleNeedsNetwork } from '../domain/user-admin';
import { contractYearPeriods, isContractYearCode } from '../domain/periods';
import {DomainError, badRequest, notFound } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { ContractYearCodeSchema, errorResponses } from '../schemas/common';
import {
  ContractYearRulesSchema, MembershipChangeSchema, NetworkRenameSchema, NewContractYearSchema, NewNetworkSchema, NewUserSchema, PasswordResetSchema,
  PracticeMembershipsSchema, RoleInfoSchema, RulesUpdateSchema, UserChangeSchema, UserSchema, type ContractYearRulesBody,
} from '../schemas/admin';
import { hashPassword, newPasswordProblem } from '../security/passwords';
import { requireYearRules } from './report-data';

const ADMIN = ACCESS.configure;
const needsNetwork = (role: Role) => roleNeedsNetwork(role);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = (request: { ip: string }, user: { id: number; username: string }, action: AuditAction, detail: Record<string, unknown>) =>
    appendAudit(app.db, { at: app.now().toISOString(), userId: user.id, username: user.username, action, ip: request.ip, detail });

  async function resolveNetwork(role: Role, networkCode: string | null | undefined): Promise<number | null> {
    if (!needsNetwork(role)) {
      if (networkCode) throw badRequest(`A ${role} works across networks, so has no network; leave the network empty.`);
      return null;
    }
    if (!networkCode) throw badRequest(`A ${role === 'gp' ? 'GP' : 'network manager'} belongs to one network; choose it.`);
    const id = await networkIdOf(app.db, networkCode);
    if (id === null) throw badRequest(`There is no network ${networkCode}.`);
    return id;
  }

  // --- users ------------------------------------------------------------------------------------------
  app.get('/api/roles', {
    config: { access: ADMIN },
    schema: {
      tags: ['admin'],
      summary: 'The roles a user can have: label, and whether the role belongs to one network',
      response: { 200: Type.Array(RoleInfoSchema), ...errorResponses },
    },
  }, async () => roleList());

  app.get('/api/users', { config: { access: ADMIN }, schema: { tags: ['admin'], summary: 'Users', response: { 200: Type.Array(UserSchema), ...errorResponses } } }, async () => listUsers(app.db));

  app.post('/api/users', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: 'Create a user', body: NewUserSchema, response: { 201: UserSchema, ...errorResponses } },
  }, async (request, reply) => {
    const admin = requireUser(request);
    const { username, password, role, networkCode } = request.body;
    await resolveNetwork(role, networkCode);
    const problem = newPasswordProblem(password, username);
    if (problem) throw new DomainError('weak-password', problem, [{ field: 'password' }]);
    if (await findUserByUsername(app.db, username)) throw new DomainError('username-taken', `There is already a user "${username}"; choose another username.`);
    const id = await insertUser(app.db, { username, passwordHash: await hashPassword(password), role, networkCode: networkCode ?? null }, app.now().toISOString());
    await audit(request, admin, 'user-created', { userId: id, username, role, networkCode: networkCode ?? null });
    return reply.status(201).send((await findUserById(app.db, id))!);
  });

  app.patch('/api/users/:id', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: "Change a user's role or network, or disable or enable them (ends their sessions)", params: Type.Object({ id: Type.Integer() }), body: UserChangeSchema, response: { 200: UserSchema, ...errorResponses } },
  }, async (request) => {
    const admin = requireUser(request);
    const before = await findUserById(app.db, request.params.id);
    if (!before) throw notFound(`There is no user ${request.params.id}.`);
    const role = request.body.role ?? before.role;
    const networkCode = request.body.networkCode !== undefined ? request.body.networkCode : needsNetwork(role) ? before.networkCode : null;
    const disabled = request.body.disabled ?? before.disabled;
    const networkId = await resolveNetwork(role, networkCode);
    const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
    if (losesAdmin && before.id === admin.id) throw new DomainError('own-account', 'You cannot remove your own admin access or disable yourself; ask another admin.');
    if (losesAdmin && (await countActiveAdmins(app.db)) <= 1) throw new DomainError('last-admin', 'This is the last active admin; create another admin first.');
    const now = app.now().toISOString();
    await updateUser(app.db, before.id, { role, networkId, disabledAt: disabled ? now : null }, now);
    const after = (await findUserById(app.db, before.id))!;
    await audit(request, admin, disabled && !before.disabled ? 'user-disabled' : 'user-updated', { userId: before.id, username: before.username, before: { role: before.role, networkCode: before.networkCode, disabled: before.disabled }, after: { role: after.role, networkCode: after.networkCode, disabled: after.disabled } });
    return after;
  });

  app.post('/api/users/:id/password', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: "Reset a user's password (ends their sessions)", params: Type.Object({ id: Type.Integer() }), body: PasswordResetSchema, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const admin = requireUser(request);
    const user = await findUserById(app.db, request.params.id);
    if (!user) throw notFound(`There is no user ${request.params.id}.`);
    const problem = newPasswordProblem(request.body.password, user.username);
    if (problem) throw new DomainError('weak-password', problem, [{ field: 'password' }]);
    await setPassword(app.db, user.id, await hashPassword(request.body.password), app.now().toISOString());
    await audit(request, admin, 'password-reset', { userId: user.id, username: user.username });
    return reply.status(204).send(null);
  });

  // --- networks, practices, memberships ---------------------------------------------------------------
  app.post('/api/networks', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: 'Create a network', body: NewNetworkSchema, response: { 201: Type.Object({ code: Type.String(), name: Type.String() }), ...errorResponses } },
  }, async (request, reply) => {
    const admin = requireUser(request);
    if (await networkIdOf(app.db, request.body.code)) throw new DomainError('network-exists', `There is already a network ${request.body.code}.`);
    await insertNetwork(app.db, request.body.code, request.body.name.trim(), app.now().toISOString());
    await audit(request, admin, 'network-created', { ...request.body });
    return reply.status(201).send({ code: request.body.code, name: request.body.name.trim() });
  });

  app.patch('/api/networks/:code', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: 'Rename a network', params: Type.Object({ code: Type.String() }), body: NetworkRenameSchema, response: { 200: Type.Object({ code: Type.String(), name: Type.String() }), ...errorResponses } },
  }, async (request) => {
    const admin = requireUser(request);
    if (!(await renameNetwork(app.db, request.params.code, request.body.name.trim()))) throw notFound(`There is no network ${request.params.code}.`);
    await audit(request, admin, 'network-renamed', { code: request.params.code, name: request.body.name.trim() });
    return { code: request.params.code, name: request.body.name.trim() };
  });

  app.get('/api/practices', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: 'Every practice with its membership history', response: { 200: Type.Array(PracticeMembershipsSchema), ...errorResponses } },
  }, async () => listPracticesWithMemberships(app.db));

  app.post('/api/memberships', {
    config: { access: ADMIN },
    schema: {
      tags: ['admin'],
      summary: 'Move a practice into a network (or out of every network, with networkCode null) from a month',
      body: MembershipChangeSchema,
      response: { 200: Type.Object({ result: Type.String() }), ...errorResponses },
    },
  }, async (request) => {
    const admin = requireUser(request);
    const { practiceCode, networkCode, fromPeriod } = request.body;
    let result: string;
    try {
      result = changeMembership(app.sqlite, practiceCode.toUpperCase(), networkCode, fromPeriod, app.now().toISOString());
    } catch (e) {
      if (e instanceof ReferenceConflictError) throw new DomainError('membership-conflict', `${e.message}.`);
      throw e;
    }
    await audit(request, admin, 'membership-changed', { practiceCode, networkCode, fromPeriod, result });
    return { result };
  });

  // --- contract years ------------------------------------------------------------------------------------
  const rulesView = async (code: string): Promise<ContractYearRulesBody> => {
    const r = await requireYearRules(app, code);
    const names = new Map((await app.db.selectFrom('networks').select(['code', 'name']).execute()).map((n) => [n.code, n.name]));
    const indicators = await app.db.selectFrom('indicators').select(['code', 'title']).where('contract_year_id', '=', r.id).execute();
    const titles = new Map(indicators.map((i) => [i.code, i.title]));
    return {
      code: r.code, firstPeriod: r.firstPeriod, lastPeriod: r.lastPeriod, locked: r.lockedAt !== null, retrospectiveShareBp: r.retrospectiveShareBp, domainRule: r.domainRule,
      domains: r.domains,
      indicators: r.indicators.map((i) => ({ ...i, title: titles.get(i.code) ?? i.code })),
      contractValues: [...names].map(([network, name]) => ({ network, name, valuePence: r.contractValues.get(network) ?? 0 })).filter((v) => r.contractValues.has(v.network)),
    };
  };

  app.get('/api/contract-years/:code/rules', {
    config: { access: ACCESS.readRules },
    schema: { tags: ['admin'], summary: "A contract year's full rules and contract values", params: Type.Object({ code: ContractYearCodeSchema }), response: { 200: ContractYearRulesSchema, ...errorResponses } },
  }, async (request) => rulesView(request.params.code));

  app.post('/api/contract-years', {
    config: { access: ADMIN },
    schema: { tags: ['admin'], summary: 'Create a contract year, copying another year’s rules or from the default catalogue', body: NewContractYearSchema, response: { 201: ContractYearRulesSchema, ...errorResponses } },
  }, async (request, reply) => {
    const admin = requireUser(request);
    const { code, copyFrom } = request.body;
    if (!isContractYearCode(code)) throw badRequest(`"${code}" is not a contract year: write it like 2027-28.`);
    if (await loadYearRules(app.db, code)) throw new DomainError('year-exists', `Contract year ${code} already exists.`);
    const { firstPeriod, lastPeriod } = contractYearPeriods(code);
    const now = app.now().toISOString();
    if (copyFrom) {
      const from = await loadYearRules(app.db, copyFrom);
      if (!from) throw badRequest(`There is no contract year ${copyFrom} to copy.`);
      copyContractYear(app.sqlite, from.id, code, firstPeriod, lastPeriod, now);
    } else {
      insertContractYear(app.sqlite, { code, firstPeriod, lastPeriod, retrospectiveShareBp: DEFAULT_RETROSPECTIVE_SHARE_BP, domainRule: 'all-indicators', domainShares: DEFAULT_DOMAIN_SHARES_BP, indicators: DEFAULT_CATALOGUE, aliases: DEFAULT_QOF_ALIASES, contractValues: {} }, now);
    }
    await audit(request, admin, 'contract-year-created', { code, copyFrom: copyFrom ?? 'default catalogue' });
    return reply.status(201).send(await rulesView(code));
  });

  app.put('/api/contract-years/:code/rules', {
    config: { access: ADMIN },
    schema: {
      tags: ['admin'],
      summary: "Change a contract year's rules: shares, targets, thresholds, modes, weights, domain rule, contract values",
      params: Type.Object({ code: ContractYearCodeSchema }),
      body: RulesUpdateSchema,
      response: { 200: ContractYearRulesSchema, ...errorResponses },
    },
  }, async (request) => {
    const admin = requireUser(request);
    const current = await requireYearRules(app, request.params.code);
    if (current.lockedAt) throw new DomainError('year-locked', `Contract year ${current.code} was signed off by ${current.lockedBy} on ${current.lockedAt.slice(0, 10)}; its rules cannot change unless a commissioner reopens it.`);
    const body = request.body;
    const known = new Map(current.indicators.map((i) => [i.code, i]));
    const unknown = body.indicators.filter((i) => !known.has(i.code)).map((i) => i.code);
    if (unknown.length) throw badRequest(`Not indicators of ${current.code}: ${unknown.join(', ')}.`);
    const unknownDomains = body.domains.filter((d) => !current.domains.some((c) => c.code === d.code)).map((d) => d.code);
    if (unknownDomains.length) throw badRequest(`Not domains of ${current.code}: ${unknownDomains.join(', ')}.`);
    // Check the rules as they will stand: the changes on top of what is not being changed.
    const merged = {
      retrospectiveShareBp: body.retrospectiveShareBp,
      domainRule: body.domainRule,
      domains: current.domains.map((d) => body.domains.find((b) => b.code === d.code) ?? d),
      indicators: current.indicators.map((i) => ({ ...i, ...(body.indicators.find((b) => b.code === i.code) ?? {}) })),
      contractValues: body.contractValues,
    };
    const problems = checkRules(merged);
    if (problems.length) throw new DomainError('invalid-rules', `These rules cannot be saved: ${problems.map((p) => p.message).join('; ')}.`, problems);
    for (const v of body.contractValues) if ((await networkIdOf(app.db, v.network)) === null) throw badRequest(`There is no network ${v.network}.`);
    const before = await rulesView(current.code);
    updateContractYearRules(app.sqlite, current.id, { ...merged, indicators: merged.indicators.map(({ code, targetBp, lowerBp, mode, weight }) => ({ code, targetBp, lowerBp, mode, weight })) });
    const after = await rulesView(current.code);
    await audit(request, admin, 'contract-year-updated', { code: current.code, changes: diffRules(before, after) });
    return after;
  });
};

/** What changed between two versions of a year's rules, for the audit log. */
function diffRules(before: ContractYearRulesBody, after: ContractYearRulesBody): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const note = (key: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  };
  note('retrospectiveShareBp', before.retrospectiveShareBp, after.retrospectiveShareBp);
  note('domainRule', before.domainRule, after.domainRule);
  for (const d of after.domains) note(`domain ${d.code} shareBp`, before.domains.find((b) => b.code === d.code)?.shareBp, d.shareBp);
  for (const i of after.indicators) {
    const b = before.indicators.find((x) => x.code === i.code);
    note(`indicator ${i.code}`, b && { targetBp: b.targetBp, lowerBp: b.lowerBp, mode: b.mode, weight: b.weight }, { targetBp: i.targetBp, lowerBp: i.lowerBp, mode: i.mode, weight: i.weight });
  }
  for (const v of after.contractValues) note(`contract value ${v.network}`, before.contractValues.find((b) => b.network === v.network)?.valuePence ?? null, v.valuePence);
  return out;
}

export default routes;
