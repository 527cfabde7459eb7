/**
 * A network's members at a period from its membership spans (SPEC: a practice counts for the networks whose
 * span covers the month): the overview reads every membership once and takes from it the members at the
 * period, at the period before and each network's spans (for "no members since"), rather than asking the
 * database three times.
 */
import { spanCovers } from './periods';

export interface MembershipOf {
  network: string;
  /** The practice's code and name. */
  code: string;
  name: string;
  fromPeriod: string;
  toPeriod: string | null;
}

/**
 * Each network (in the order given, with no members when none cover the period) and its members at `period`,
 * in the order of `memberships`; a membership of a network not given is left out.
 */
export function membersAt(
  networks: readonly { code: string; name: string }[],
  memberships: readonly MembershipOf[],
  period: string,
): { code: string; name: string; practices: { code: string; name: string }[] }[] {
  const byNetwork = new Map(
    networks.map((n) => [n.code, { code: n.code, name: n.name, practices: [] as { code: string; name: string }[] }]),
  );
  for (const m of memberships) {
    if (spanCovers(m, period)) byNetwork.get(m.network)?.practices.push({ code: m.code, name: m.name });
  }
  return [...byNetwork.values()];
}

/** Each network's membership spans. */
export function spansByNetwork(
  memberships: readonly MembershipOf[],
): Map<string, { fromPeriod: string; toPeriod: string | null }[]> {
  const spans = new Map<string, { fromPeriod: string; toPeriod: string | null }[]>();
  for (const m of memberships) {
    let list = spans.get(m.network);
    if (!list) spans.set(m.network, (list = []));
    list.push({ fromPeriod: m.fromPeriod, toPeriod: m.toPeriod });
  }
  return spans;
}
