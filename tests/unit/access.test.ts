/** Who may see and do what (server/domain/access.ts): every rule, for every role, in tables a person can check. */
import { describe, expect, it } from 'vitest';
import {
  ACCESS,
  capabilities,
  decideAccess,
  isAccess,
  learningLoopAccess,
  mayNamePracticesOf,
  mayReadLoop,
  maySeePractice,
  maySeeSubmission,
  mayUploadFor,
  mayWriteLoop,
  networkView,
  paymentNetworks,
  practicesShown,
  submissionUploader,
  visibleNetworks,
  type RoleInNetwork,
  type Role,
  type Viewer,
} from '../../server/domain/access';

// The demo's people: admin and commissioner have no network; the manager and the GP work in N1.
const admin: Viewer = { id: 1, role: 'admin', networkCode: null };
const commissioner: Viewer = { id: 2, role: 'commissioner', networkCode: null };
const manager: Viewer = { id: 3, role: 'manager', networkCode: 'N1' };
const gp: Viewer = { id: 4, role: 'gp', networkCode: 'N1' };
const PEOPLE = { admin, commissioner, manager, gp, anonymous: null } as const;
type Who = keyof typeof PEOPLE;

describe('decideAccess: the declared access of the matched route against the person', () => {
  // declared access → the decision for admin, commissioner, manager, gp, anonymous
  const TABLE: [string, unknown, string[]][] = [
    ['public', 'public', ['allow', 'allow', 'allow', 'allow', 'allow']],
    ['signed-in', 'signed-in', ['allow', 'allow', 'allow', 'allow', 'not-signed-in']],
    ['admin only', ['admin'], ['allow', 'forbidden', 'forbidden', 'forbidden', 'not-signed-in']],
    [
      'admin and commissioner',
      ['admin', 'commissioner'],
      ['allow', 'allow', 'forbidden', 'forbidden', 'not-signed-in'],
    ],
    ['managers only', ['manager'], ['forbidden', 'forbidden', 'allow', 'forbidden', 'not-signed-in']],
    [
      'nothing declared: refused to everyone',
      undefined,
      ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    ],
    ['an empty role list', [], ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']],
    ['an unknown role', ['superuser'], ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']],
    ['a misspelt keyword', 'Public', ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']],
    ['a role name as a bare string', 'admin', ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']],
  ];
  it.each(TABLE)('%s', (_name, access, expected) => {
    expect((Object.keys(PEOPLE) as Who[]).map((who) => decideAccess(access, PEOPLE[who]))).toEqual(expected);
  });

  it('isAccess accepts exactly the three forms', () => {
    expect([isAccess('public'), isAccess('signed-in'), isAccess(['gp']), isAccess(['admin', 'manager'])]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([
      isAccess(undefined),
      isAccess(null),
      isAccess([]),
      isAccess(['root']),
      isAccess('everyone'),
      isAccess({ roles: ['admin'] }),
    ]).toEqual([false, false, false, false, false, false]);
  });
});

describe('the access declarations routes use, derived from the one table of role rules', () => {
  const TABLE: [keyof typeof ACCESS, unknown][] = [
    ['public', 'public'],
    ['signedIn', 'signed-in'],
    ['configure', ['admin']],
    ['readRules', ['admin', 'commissioner']],
    ['readAudit', ['admin', 'commissioner']],
    ['upload', ['admin', 'manager']],
    ['submissions', ['admin', 'commissioner', 'manager']],
    ['payments', ['admin', 'commissioner', 'manager']],
    ['signOff', ['admin', 'commissioner']],
    ['readLearningLoop', ['admin', 'commissioner', 'manager', 'gp']],
    ['writeLearningLoop', ['admin', 'manager', 'gp']],
  ];
  it.each(TABLE)('%s → %j', (name, roles) => {
    expect(ACCESS[name]).toEqual(roles);
  });
});

describe('networks: how much of a network each role sees', () => {
  // network → view for admin, commissioner, manager (N1), gp (N1)
  const TABLE: [string, string[]][] = [
    ['N1', ['practices', 'practices', 'practices', 'practices']],
    ['N2', ['practices', 'practices', 'none', 'network-level']],
  ];
  it.each(TABLE)('%s', (network, expected) => {
    expect([admin, commissioner, manager, gp].map((v) => networkView(v, network))).toEqual(expected);
    expect([admin, commissioner, manager, gp].map((v) => mayNamePracticesOf(v, network))).toEqual(
      expected.map((e) => e === 'practices'),
    );
  });

  it('a manager or GP without a network sees no network as their own', () => {
    expect(networkView({ role: 'gp', networkCode: null }, 'N1')).toBe('network-level');
    expect(networkView({ role: 'manager', networkCode: null }, 'N1')).toBe('none');
  });

  it('lists are cut to the networks a role may see at all', () => {
    expect([admin, commissioner, manager, gp].map(visibleNetworks)).toEqual([null, null, ['N1'], null]);
    expect(visibleNetworks({ role: 'manager', networkCode: null })).toEqual([]);
  });

  it('practice codes in a figure are kept only for a network whose practices the person may name', () => {
    const missing = ['Z00006', 'Z00007'];
    expect([admin, commissioner, manager, gp].map((v) => practicesShown(v, 'N2', missing))).toEqual([
      missing,
      missing,
      [],
      [],
    ]);
    expect([admin, commissioner, manager, gp].map((v) => practicesShown(v, 'N1', ['Z00001']))).toEqual([
      ['Z00001'],
      ['Z00001'],
      ['Z00001'],
      ['Z00001'],
    ]);
  });

  it("a practice's own page: where it is now decides", () => {
    // current network of the practice → admin, commissioner, manager (N1), gp (N1)
    const TABLE: [string | null, boolean[]][] = [
      ['N1', [true, true, true, true]],
      ['N2', [true, true, false, false]],
      [null, [true, true, false, false]],
    ];
    for (const [network, expected] of TABLE)
      expect([admin, commissioner, manager, gp].map((v) => maySeePractice(v, network))).toEqual(expected);
  });
});

describe('payments, uploads and uploaded files', () => {
  it('payment statements: every network, their own, or none', () => {
    expect([admin, commissioner, manager, gp].map(paymentNetworks)).toEqual([null, null, ['N1'], []]);
  });

  it('uploads: an admin for any network, a manager for their own network only, nobody else', () => {
    // practice's network at the row's period → admin, commissioner, manager (N1), gp (N1)
    const TABLE: [string, boolean[]][] = [
      ['N1', [true, false, true, false]],
      ['N2', [true, false, false, false]],
    ];
    for (const [network, expected] of TABLE)
      expect([admin, commissioner, manager, gp].map((v) => mayUploadFor(v, network))).toEqual(expected);
  });

  it('uploaded files: all for admins and commissioners, a manager their own, a GP none', () => {
    expect([admin, commissioner, manager, gp].map(submissionUploader)).toEqual([null, null, 3, 'none']);
    const byManager = { userId: 3 };
    const byOther = { userId: 7 };
    const bySeed = { userId: null };
    const roles: Role[] = [];
    for (const v of [admin, commissioner, manager, gp]) {
      roles.push(v.role);
      expect(
        [maySeeSubmission(v, byManager), maySeeSubmission(v, byOther), maySeeSubmission(v, bySeed)],
        v.role,
      ).toEqual(
        {
          admin: [true, true, true],
          commissioner: [true, true, true],
          manager: [true, false, false],
          gp: [false, false, false],
        }[v.role],
      );
    }
    expect(roles).toEqual(['admin', 'commissioner', 'manager', 'gp']);
  });
});

describe('who may read and change a network’s learning-set items', () => {
  const admin: RoleInNetwork = { role: 'admin', networkCode: null };
  const commissioner: RoleInNetwork = { role: 'commissioner', networkCode: null };
  const manager: RoleInNetwork = { role: 'manager', networkCode: 'N1' };
  const gp: RoleInNetwork = { role: 'gp', networkCode: 'N1' };
  const orphan: RoleInNetwork = { role: 'gp', networkCode: null };
  it.each([
    // user, network, operation, target, decision
    [admin, 'N2', 'read', 'network', 'allowed'],
    [admin, 'N2', 'write', 'item', 'allowed'],
    [commissioner, 'N1', 'read', 'network', 'allowed'],
    [commissioner, 'N2', 'read', 'item', 'allowed'],
    [commissioner, 'N1', 'write', 'network', 'forbidden'],
    [commissioner, 'N1', 'write', 'item', 'forbidden'],
    [manager, 'N1', 'read', 'network', 'allowed'],
    [manager, 'N1', 'write', 'item', 'allowed'],
    [manager, 'N2', 'read', 'network', 'forbidden'],
    [manager, 'N2', 'write', 'network', 'forbidden'],
    [manager, 'N2', 'read', 'item', 'not-found'],
    [manager, 'N2', 'write', 'item', 'not-found'],
    [gp, 'N1', 'write', 'network', 'allowed'],
    [gp, 'N1', 'read', 'item', 'allowed'],
    [gp, 'N2', 'read', 'network', 'forbidden'],
    [gp, 'N2', 'read', 'item', 'not-found'],
    [gp, 'N2', 'write', 'item', 'not-found'],
    [orphan, 'N1', 'read', 'network', 'forbidden'],
  ] as const)('%o on %s, %s %s: %s', (user, network, operation, target, decision) => {
    expect(learningLoopAccess(user, network, operation, target)).toBe(decision);
  });

  it('reads and writes follow from it: the commissioner reads all and writes none', () => {
    expect([mayReadLoop(commissioner, 'N5'), mayWriteLoop(commissioner, 'N5')]).toEqual([true, false]);
    expect([mayReadLoop(gp, 'N1'), mayWriteLoop(gp, 'N1'), mayReadLoop(gp, 'N2'), mayWriteLoop(gp, 'N2')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([mayReadLoop(admin, 'N8'), mayWriteLoop(admin, 'N8')]).toEqual([true, true]);
  });
});

describe('capabilities: what the web app offers each person, from the same table', () => {
  const orphanManager: RoleInNetwork = { role: 'manager', networkCode: null };
  const ALL = ['overview', 'learning-set', 'practice', 'payments', 'uploads', 'audit', 'admin'];
  // person → screens, then upload, viewUploads, viewPayments, signOff, reopen, administer, readAudit, writeLearningLoop
  const TABLE: [string, RoleInNetwork, string[], boolean[]][] = [
    ['admin', admin, ALL, [true, true, true, true, true, true, true, true]],
    ['commissioner', commissioner, ALL.slice(0, 6), [false, true, true, true, true, false, true, false]],
    ['manager (N1)', manager, ALL.slice(0, 5), [true, true, true, false, false, false, false, true]],
    ['gp (N1)', gp, ALL.slice(0, 3), [false, false, false, false, false, false, false, true]],
    [
      'manager with no network',
      orphanManager,
      [...ALL.slice(0, 3), 'uploads'],
      [false, true, false, false, false, false, false, false],
    ],
  ];
  it.each(TABLE)('%s', (_name, who, screens, flags) => {
    const c = capabilities(who);
    expect(c.screens).toEqual(screens);
    expect([
      c.upload,
      c.viewUploads,
      c.viewPayments,
      c.signOff,
      c.reopen,
      c.administer,
      c.readAudit,
      c.writeLearningLoop,
    ]).toEqual(flags);
  });

  it('agrees with the access declarations the routes use', () => {
    for (const who of [admin, commissioner, manager, gp]) {
      const c = capabilities(who);
      expect(c.administer).toBe(ACCESS.configure.includes(who.role));
      expect(c.readAudit).toBe(ACCESS.readAudit.includes(who.role));
      expect(c.signOff).toBe(ACCESS.signOff.includes(who.role));
      expect(c.viewUploads).toBe(ACCESS.submissions.includes(who.role));
      expect(c.upload).toBe(ACCESS.upload.includes(who.role));
      expect(c.viewPayments).toBe(ACCESS.payments.includes(who.role));
      expect(c.writeLearningLoop).toBe(ACCESS.writeLearningLoop.includes(who.role));
    }
  });
});
