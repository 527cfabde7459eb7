/**
 * Networks, practices and memberships: the networks a person may see at a period, and the admin's changes
 * (create or rename a network, move one practice from a month). Loading a whole listing is the upload
 * worker's (services/submit/reference.ts).
 */
import { applyMembershipChange } from '../db/repositories/reference-load';
import {
  findNetwork,
  findPractice,
  insertNetwork,
  listNetworksAt,
  listPracticeMemberships,
  listPracticesWithMemberships,
  renameNetwork,
} from '../db/repositories/networks';
import { practicesShown, visibleNetworks, type RoleInNetwork } from '../domain/access';
import { DomainError, notFound } from '../domain/errors';
import { planMembershipChange } from '../domain/membership-plan';
import { periodOfDate } from '../domain/periods';
import type { MembershipChangeBody, NewNetworkBody, PracticeMembershipsBody } from '../schemas/admin';
import type { Network } from '../schemas/reference';
import { audit, type Actor, type Deps } from './context';

/** Networks and their members at a period (default: this month), as far as the viewer may see them. */
export async function listNetworksFor(deps: Deps, viewer: RoleInNetwork, period?: string): Promise<Network[]> {
  const scope = visibleNetworks(viewer);
  const networks = await listNetworksAt(
    deps.db,
    period ?? periodOfDate(deps.now()),
    scope?.length === 1 ? scope[0] : undefined,
  );
  return networks
    .filter((n) => !scope || scope.includes(n.code))
    .map((n) => ({ ...n, practices: practicesShown(viewer, n.code, n.practices) }));
}

export async function createNetwork(
  deps: Deps,
  actor: Actor,
  body: NewNetworkBody,
): Promise<{ code: string; name: string }> {
  const name = body.name.trim();
  if (await findNetwork(deps.db, body.code))
    throw new DomainError('network-exists', `There is already a network ${body.code}.`);
  await insertNetwork(deps.db, body.code, name, deps.now().toISOString());
  await audit(deps, actor, 'network-created', { code: body.code, name: body.name });
  return { code: body.code, name };
}

export async function renameNetworkTo(
  deps: Deps,
  actor: Actor,
  code: string,
  newName: string,
): Promise<{ code: string; name: string }> {
  const name = newName.trim();
  if (!(await renameNetwork(deps.db, code, name))) throw notFound(`There is no network ${code}.`);
  await audit(deps, actor, 'network-renamed', { code, name });
  return { code, name };
}

export async function listPractices(deps: Deps): Promise<PracticeMembershipsBody[]> {
  return listPracticesWithMemberships(deps.db);
}

/**
 * Moves a practice into a network (or out of every network, with null) from a month, as planned by
 * planMembershipChange, in one transaction with its audit entry.
 */
export async function changeMembership(
  deps: Deps,
  actor: Actor,
  body: MembershipChangeBody,
): Promise<{ result: string }> {
  const practiceCode = body.practiceCode.toUpperCase();
  const { networkCode, fromPeriod } = body;
  const conflict = (message: string) => new DomainError('membership-conflict', `${message}.`);
  return deps.db.transaction().execute(async (trx) => {
    const practice = await findPractice(trx, practiceCode);
    if (!practice) throw conflict(`there is no practice ${practiceCode}`);
    const network = networkCode ? await findNetwork(trx, networkCode) : null;
    if (networkCode && !network) throw conflict(`there is no network ${networkCode}`);
    const spans = (await listPracticeMemberships(trx, practiceCode)).map((s) => ({ ...s, networkCode: s.network }));
    const planned = planMembershipChange(spans, networkCode, fromPeriod, practiceCode);
    if (!planned.ok) throw conflict(planned.conflict);
    const now = deps.now().toISOString();
    await applyMembershipChange(
      trx,
      { practiceId: practice.id, networkId: network?.id ?? null, fromPeriod, plan: planned.plan },
      now,
    );
    const result = planned.plan.result;
    await audit(
      deps,
      actor,
      'membership-changed',
      { practiceCode: body.practiceCode, networkCode, fromPeriod, result },
      trx,
    );
    return { result };
  });
}
