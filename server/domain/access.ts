/**
 * Who may see and do what (SPEC section 8), as pure rules. Routes declare their access with the names here;
 * one hook (plugins/access.ts) decides on the route that matched, and every route that filters data by
 * role asks these functions rather than looking at the role itself.
 *
 * The whole policy is the ROLE_RULES table: one row per role. Everything else is derived from it.
 */

export const ROLES = ['admin', 'commissioner', 'manager', 'gp'] as const;
export type Role = (typeof ROLES)[number];

/** What a route declares in `config.access`: anyone, anyone signed in, or the roles listed. */
export type Access = 'public' | 'signed-in' | readonly Role[];

/** The signed-in person a rule is asked about (null: nobody is signed in). */
export interface Viewer {
  id: number;
  role: Role;
  networkCode: string | null;
}

/** A role and network, for the rules that do not depend on who exactly the person is. */
export type RoleInNetwork = Pick<Viewer, 'role' | 'networkCode'>;

/**
 * How much of a network a role sees:
 * - `practices`: the network and its practices by code and name, practice-level figures included;
 * - `network-level`: the network's pooled figures and counts only, never a practice's code or name;
 * - `none`: nothing of it (a request for it is refused).
 */
export type NetworkView = 'practices' | 'network-level' | 'none';

export interface RoleRules {
  /** Their own network (managers and GPs have one). */
  ownNetwork: NetworkView;
  /** Every other network. */
  otherNetworks: NetworkView;
  /** Payment statements: every network's, their own network's, or none. */
  payments: 'all' | 'own-network' | 'none';
  /** Upload figures: for any network's practices, for their own network's, or not at all. */
  upload: 'any-network' | 'own-network' | 'none';
  /** Uploaded files and their reports: all of them, the ones they uploaded, or none. */
  submissions: 'all' | 'own-uploads' | 'none';
  /** Sign off and reopen contract years. */
  signOff: boolean;
  /** Read contract years' full rules and contract values. */
  readRules: boolean;
  /** Read the audit log. */
  readAudit: boolean;
  /** Change configuration and users; load practice listings. */
  configure: boolean;
  /**
   * The learning-set loop's annotations, meetings and actions: read and write every network's, their own
   * network's, or (write only) none.
   */
  learningLoop: { read: 'all' | 'own-network'; write: 'all' | 'own-network' | 'none' };
}

export const ROLE_RULES: Readonly<Record<Role, RoleRules>> = {
  admin: {
    ownNetwork: 'practices', otherNetworks: 'practices', payments: 'all', upload: 'any-network', submissions: 'all',
    signOff: true, readRules: true, readAudit: true, configure: true, learningLoop: { read: 'all', write: 'all' },
  },
  commissioner: {
    ownNetwork: 'practices', otherNetworks: 'practices', payments: 'all', upload: 'none', submissions: 'all',
    signOff: true, readRules: true, readAudit: true, configure: false, learningLoop: { read: 'all', write: 'none' },
  },
  manager: {
    ownNetwork: 'practices', otherNetworks: 'none', payments: 'own-network', upload: 'own-network', submissions: 'own-uploads',
    signOff: false, readRules: false, readAudit: false, configure: false, learningLoop: { read: 'own-network', write: 'own-network' },
  },
  gp: {
    ownNetwork: 'practices', otherNetworks: 'network-level', payments: 'none', upload: 'none', submissions: 'none',
    signOff: false, readRules: false, readAudit: false, configure: false, learningLoop: { read: 'own-network', write: 'own-network' },
  },
};

const rolesWhere = (test: (rules: RoleRules) => boolean): readonly Role[] =>
  Object.freeze(ROLES.filter((r) => test(ROLE_RULES[r])));

/** The access declarations routes use, derived from the table so a route and the data rules cannot disagree. */
export const ACCESS = Object.freeze({
  public: 'public',
  signedIn: 'signed-in',
  configure: rolesWhere((r) => r.configure),
  readRules: rolesWhere((r) => r.readRules),
  readAudit: rolesWhere((r) => r.readAudit),
  upload: rolesWhere((r) => r.upload !== 'none'),
  submissions: rolesWhere((r) => r.submissions !== 'none'),
  payments: rolesWhere((r) => r.payments !== 'none'),
  signOff: rolesWhere((r) => r.signOff),
  readLearningLoop: rolesWhere(() => true),
  writeLearningLoop: rolesWhere((r) => r.learningLoop.write !== 'none'),
} as const satisfies Record<string, Access>);

/** Whether a value is a valid access declaration (used at start-up: a route without one is refused). */
export function isAccess(value: unknown): value is Access {
  if (value === 'public' || value === 'signed-in') return true;
  return Array.isArray(value) && value.length > 0 && value.every((r) => (ROLES as readonly unknown[]).includes(r));
}

export type Decision = 'allow' | 'not-signed-in' | 'forbidden';

/**
 * The decision for a route's declared access and the viewer. Anything that is not a valid declaration is
 * refused to everyone, signed in or not (deny by default).
 */
export function decideAccess(access: unknown, viewer: Viewer | null): Decision {
  if (!isAccess(access)) return 'forbidden';
  if (access === 'public') return 'allow';
  if (!viewer) return 'not-signed-in';
  if (access === 'signed-in') return 'allow';
  return access.includes(viewer.role) ? 'allow' : 'forbidden';
}

/** How much of a network the viewer sees. */
export function networkView(viewer: RoleInNetwork, networkCode: string): NetworkView {
  const rules = ROLE_RULES[viewer.role];
  return viewer.networkCode !== null && viewer.networkCode === networkCode ? rules.ownNetwork : rules.otherNetworks;
}

/** Whether the viewer may see a network's practices (codes, names and practice-level figures). */
export function mayNamePracticesOf(viewer: RoleInNetwork, networkCode: string): boolean {
  return networkView(viewer, networkCode) === 'practices';
}

/**
 * The networks a viewer's lists are cut to: `null` for no cut (every network, each shown as networkView
 * allows), or the codes of the only networks they may see.
 */
export function visibleNetworks(viewer: RoleInNetwork): string[] | null {
  if (ROLE_RULES[viewer.role].otherNetworks !== 'none') return null;
  return viewer.networkCode ? [viewer.networkCode] : [];
}

/** The networks whose payment statements the viewer may see: `null` for all, else the codes (maybe none). */
export function paymentNetworks(viewer: RoleInNetwork): string[] | null {
  const scope = ROLE_RULES[viewer.role].payments;
  if (scope === 'all') return null;
  if (scope === 'own-network' && viewer.networkCode) return [viewer.networkCode];
  return [];
}

/** Whether the viewer may upload figures for a practice that belongs to `practiceNetwork` at the row's period. */
export function mayUploadFor(viewer: RoleInNetwork, practiceNetwork: string): boolean {
  const scope = ROLE_RULES[viewer.role].upload;
  if (scope === 'any-network') return true;
  return scope === 'own-network' && viewer.networkCode !== null && viewer.networkCode === practiceNetwork;
}

/** The uploads a viewer's submission lists are cut to: `null` for all, else the uploader's user id (or nothing). */
export function submissionUploader(viewer: Viewer): number | null | 'none' {
  const scope = ROLE_RULES[viewer.role].submissions;
  return scope === 'all' ? null : scope === 'own-uploads' ? viewer.id : 'none';
}

/** Whether the viewer may see one uploaded file and its report. */
export function maySeeSubmission(viewer: Viewer, submission: { userId: number | null }): boolean {
  const uploader = submissionUploader(viewer);
  return uploader === null || (uploader !== 'none' && submission.userId === uploader);
}

/**
 * Whether the viewer may open a practice's own page: only where they may name its practices, judged by the
 * network the practice belongs to now (null: none).
 */
export function maySeePractice(viewer: RoleInNetwork, currentNetwork: string | null): boolean {
  if (currentNetwork === null) return ROLE_RULES[viewer.role].otherNetworks === 'practices';
  return mayNamePracticesOf(viewer, currentNetwork);
}

/** Practice codes in a figure the viewer sees: kept where they may name the network's practices, else none. */
export function practicesShown<T>(viewer: RoleInNetwork, networkCode: string, practices: readonly T[]): T[] {
  return mayNamePracticesOf(viewer, networkCode) ? [...practices] : [];
}

// --- the learning-set loop --------------------------------------------------------------------------------

/** 'allowed'; 'forbidden' (403); 'not-found' (404, so an item id says nothing about another network). */
export type LoopDecision = 'allowed' | 'forbidden' | 'not-found';

/**
 * Whether a user may read or write a network's learning-set items (annotations, meetings, actions), from the
 * `learningLoop` column of ROLE_RULES:
 *
 *   admin                  reads and writes every network's items
 *   commissioner           reads every network's items; writes none (403)
 *   manager, GP            read and write their own network's items;
 *                          another network's item, named by its id, is 404 (ids reveal nothing);
 *                          another network's list, or a new item for it, is 403: network codes are public
 *                          (GET /api/networks), so refusing plainly reveals nothing and says why
 */
export function learningLoopAccess(
  viewer: RoleInNetwork,
  network: string,
  operation: 'read' | 'write',
  target: 'network' | 'item',
): LoopDecision {
  const scope = ROLE_RULES[viewer.role].learningLoop[operation];
  if (scope === 'all') return 'allowed';
  if (scope === 'none') return 'forbidden';
  if (viewer.networkCode !== null && viewer.networkCode === network) return 'allowed';
  return target === 'item' ? 'not-found' : 'forbidden';
}

/** Whether a network's items (and its overdue-action count) are shown to the user at all. */
export function mayReadLoop(viewer: RoleInNetwork, network: string): boolean {
  return learningLoopAccess(viewer, network, 'read', 'network') === 'allowed';
}

/** Whether the user may add to or change a network's items: the screens show their buttons from this. */
export function mayWriteLoop(viewer: RoleInNetwork, network: string): boolean {
  return learningLoopAccess(viewer, network, 'write', 'network') === 'allowed';
}

// --- what the screens offer ---------------------------------------------------------------------------------

/** The web app's screens, in the order its navigation lists them. */
export const SCREENS = ['overview', 'learning-set', 'practice', 'payments', 'uploads', 'audit', 'admin'] as const;
export type Screen = (typeof SCREENS)[number];

/** What a signed-in person may do, as the web app needs it to decide what to offer (GET /api/auth/me). */
export interface Capabilities {
  /** The screens they may open, in navigation order. */
  screens: Screen[];
  /** Upload figures (for some network's practices). */
  upload: boolean;
  /** See uploaded files and their reports (all of them, or their own). */
  viewUploads: boolean;
  /** See payment statements (every network's, or their own network's). */
  viewPayments: boolean;
  /** Sign off contract years. */
  signOff: boolean;
  /** Reopen signed-off contract years. */
  reopen: boolean;
  /** Change configuration and users. */
  administer: boolean;
  /** Read the audit log. */
  readAudit: boolean;
  /** Create and change learning-set annotations, meetings and actions: for their own network (admins: for all). */
  writeLearningLoop: boolean;
}

/**
 * The capabilities of a role in a network, from ROLE_RULES: the same table the access hook decides by. A
 * scope limited to their own network counts only when they have one.
 */
export function capabilities(viewer: RoleInNetwork): Capabilities {
  const rules = ROLE_RULES[viewer.role];
  const hasNetwork = viewer.networkCode !== null;
  const caps = {
    upload: rules.upload === 'any-network' || (rules.upload === 'own-network' && hasNetwork),
    viewUploads: rules.submissions !== 'none',
    viewPayments: rules.payments === 'all' || (rules.payments === 'own-network' && hasNetwork),
    signOff: rules.signOff,
    reopen: rules.signOff,
    administer: rules.configure,
    readAudit: rules.readAudit,
    writeLearningLoop: rules.learningLoop.write === 'all' || (rules.learningLoop.write === 'own-network' && hasNetwork),
  };
  const shown: Record<Screen, boolean> = {
    overview: true,
    'learning-set': true,
    practice: true,
    payments: caps.viewPayments,
    uploads: caps.viewUploads,
    audit: caps.readAudit,
    admin: caps.administer,
  };
  return { screens: SCREENS.filter((s) => shown[s]), ...caps };
}
