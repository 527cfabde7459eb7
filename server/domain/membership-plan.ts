/**
 * Membership changes, planned (SPEC section 2: practices join, move and leave mid-year). A listing loaded
 * from a period, or one practice moved by an admin, becomes a plan: which networks and practices to create
 * or rename, which open memberships end the month before and which start then, and what that counts as
 * (joined, moved, left, unchanged). The repository only applies the plan (db/repositories/reference-load.ts).
 *
 * Memberships never overlap and never change in the past of a later change: a membership that already
 * starts after the month before `fromPeriod` cannot be ended then, and the whole load is refused.
 */
import { addMonths } from './periods';
import type { ReferenceRecord } from './reference-file';
import type { ReferenceChangeCounts } from './upload-outcome';

/** What is stored now, as far as a load changes it. */
export interface CurrentReference {
  /** Network code → name. */
  networks: ReadonlyMap<string, string>;
  /** Practice code → name. */
  practices: ReadonlyMap<string, string>;
  /** Practice code → its open membership (the one with no end). */
  openMemberships: ReadonlyMap<string, { networkCode: string; fromPeriod: string }>;
}

export interface ReferencePlan {
  networksToCreate: { code: string; name: string }[];
  networksToRename: { code: string; name: string }[];
  practicesToCreate: { code: string; name: string; postcode: string | null }[];
  /** A new name, and a postcode to set when the listing gives one. */
  practicesToRename: { code: string; name: string; postcode: string | null }[];
  /** List sizes as at `fromPeriod`. */
  listSizes: { practiceCode: string; listSize: number }[];
  /** Open memberships that end at `toPeriod` (the month before `fromPeriod`). */
  closes: { practiceCode: string; toPeriod: string }[];
  /** Memberships that start at `fromPeriod`. */
  opens: { practiceCode: string; networkCode: string; fromPeriod: string }[];
  counts: ReferenceChangeCounts;
}

export type PlanOutcome<P> = { ok: true; plan: P } | { ok: false; conflict: string };

/**
 * Plans a listing loaded from `fromPeriod`. `complete` means the listing names every practice (NHS Digital's
 * national mapping file): a practice missing from it leaves its network. Otherwise only the networks the
 * listing names lose the practices it does not list.
 */
export function planReferenceLoad(
  current: CurrentReference,
  records: readonly ReferenceRecord[],
  fromPeriod: string,
  complete: boolean,
): PlanOutcome<ReferencePlan> {
  const closeAt = addMonths(fromPeriod, -1);
  const plan: ReferencePlan = {
    networksToCreate: [],
    networksToRename: [],
    practicesToCreate: [],
    practicesToRename: [],
    listSizes: [],
    closes: [],
    opens: [],
    counts: {
      networksCreated: 0,
      practicesCreated: 0,
      practicesRenamed: 0,
      joined: 0,
      moved: 0,
      left: 0,
      unchanged: 0,
      unallocated: 0,
      listSizes: 0,
    },
  };
  const { counts } = plan;
  const namedNetworks = new Set<string>();
  const practiceNames = new Map(current.practices);
  const listed = new Set<string>();
  let conflict: string | null = null;
  const end = (practiceCode: string, membership: { fromPeriod: string }) => {
    if (membership.fromPeriod > closeAt) {
      conflict ??= `a membership already starts in ${membership.fromPeriod}, after ${closeAt}; load the file from a later period`;
    }
    plan.closes.push({ practiceCode, toPeriod: closeAt });
  };

  for (const r of records) {
    // A network is created or renamed the first time the listing names it.
    if (r.networkCode && !namedNetworks.has(r.networkCode)) {
      namedNetworks.add(r.networkCode);
      const existing = current.networks.get(r.networkCode);
      if (existing === undefined) {
        plan.networksToCreate.push({ code: r.networkCode, name: r.networkName || r.networkCode });
        counts.networksCreated++;
      } else if (r.networkName && existing !== r.networkName) {
        plan.networksToRename.push({ code: r.networkCode, name: r.networkName });
      }
    }
    const name = practiceNames.get(r.practiceCode);
    if (name === undefined) {
      plan.practicesToCreate.push({ code: r.practiceCode, name: r.practiceName, postcode: r.postcode });
      counts.practicesCreated++;
    } else if (r.practiceName && name !== r.practiceName) {
      plan.practicesToRename.push({ code: r.practiceCode, name: r.practiceName, postcode: r.postcode });
      counts.practicesRenamed++;
    }
    practiceNames.set(r.practiceCode, r.practiceName || name || r.practiceCode);
    listed.add(r.practiceCode);
    if (r.listSize !== null) {
      plan.listSizes.push({ practiceCode: r.practiceCode, listSize: r.listSize });
      counts.listSizes++;
    }
    const open = current.openMemberships.get(r.practiceCode);
    if (r.networkCode === null) {
      counts.unallocated++;
      if (open) {
        end(r.practiceCode, open);
        counts.left++;
      }
    } else if (!open) {
      plan.opens.push({ practiceCode: r.practiceCode, networkCode: r.networkCode, fromPeriod });
      counts.joined++;
    } else if (open.networkCode !== r.networkCode) {
      end(r.practiceCode, open);
      plan.opens.push({ practiceCode: r.practiceCode, networkCode: r.networkCode, fromPeriod });
      counts.moved++;
    } else {
      counts.unchanged++;
    }
  }
  // Practices the listing leaves out leave their network: any network (a complete listing), or the ones it names.
  for (const [practiceCode, open] of current.openMemberships) {
    if (listed.has(practiceCode) || (!complete && !namedNetworks.has(open.networkCode))) continue;
    end(practiceCode, open);
    counts.left++;
  }
  return conflict === null ? { ok: true, plan } : { ok: false, conflict };
}

export interface MembershipChangePlan {
  result: 'moved' | 'joined' | 'left' | 'unchanged';
  /** The period the open membership ends, or null when none ends. */
  closeAt: string | null;
  /** Whether a membership of `networkCode` starts at `fromPeriod`. */
  open: boolean;
}

/**
 * Plans moving one practice into a network (or out of every network, with null) from a period: its open
 * membership ends the month before, and a new one starts. Refused when its memberships already change at or
 * after then. `spans` are all of the practice's memberships.
 */
export function planMembershipChange(
  spans: readonly { networkCode: string; fromPeriod: string; toPeriod: string | null }[],
  networkCode: string | null,
  fromPeriod: string,
  practiceCode: string,
): PlanOutcome<MembershipChangePlan> {
  const latest = spans
    .flatMap((s) => [s.fromPeriod, ...(s.toPeriod ? [s.toPeriod] : [])])
    .sort()
    .at(-1);
  if (latest !== undefined && latest >= fromPeriod) {
    return { ok: false, conflict: `${practiceCode}'s membership already changes in ${latest}; choose a later month` };
  }
  const open = spans.find((s) => s.toPeriod === null);
  if (open && networkCode !== null && open.networkCode === networkCode) {
    return { ok: true, plan: { result: 'unchanged', closeAt: null, open: false } };
  }
  const result = networkCode !== null ? (open ? 'moved' : 'joined') : open ? 'left' : 'unchanged';
  return { ok: true, plan: { result, closeAt: open ? addMonths(fromPeriod, -1) : null, open: networkCode !== null } };
}

/**
 * The month a listing takes effect from when the uploader gives none: with no memberships yet, the first
 * contract year's first month (so earlier months can be loaded); later, the current month.
 */
export function defaultListingStart(
  hasMemberships: boolean,
  firstContractPeriod: string | null,
  currentPeriod: string,
): string {
  return !hasMemberships && firstContractPeriod !== null ? firstContractPeriod : currentPeriod;
}

/** Why a listing cannot take effect from `fromPeriod`, or null: memberships already change at or after it. */
export function listingStartProblem(fromPeriod: string, latestChange: string | null): string | null {
  if (latestChange === null || fromPeriod > latestChange) return null;
  return `memberships already change in ${latestChange}; give a fromPeriod after it, the month the changes in this file take effect`;
}
