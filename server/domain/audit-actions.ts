/**
 * Every action the audit log records, with the label the screens show for it. The writers of the log take
 * their action names from here (appendAudit accepts only these), and GET /api/audit/actions lists them, so
 * the audit screen's filter always offers exactly what can be found.
 */
export const AUDIT_ACTIONS = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-in-throttled': 'Sign-in refused: too many failed attempts',
  'sign-out': 'Signed out',
  'password-changed': 'Changed own password',
  'password-change-failed': 'Password change failed: wrong current password',
  'password-change-throttled': 'Password change refused: too many failed attempts',
  'password-reset': "Reset a user's password",
  'upload-accepted': 'Upload accepted',
  'upload-rejected': 'Upload rejected',
  'upload-interrupted': 'Upload interrupted',
  'upload-failed': 'Upload failed on the server',
  'reference-accepted': 'Practice listing accepted',
  'reference-rejected': 'Practice listing rejected',
  'reference-interrupted': 'Practice listing interrupted',
  'reference-failed': 'Practice listing failed on the server',
  'sign-off': 'Signed off a contract year',
  reopen: 'Reopened a contract year',
  'user-created': 'Created a user',
  'user-updated': 'Changed a user',
  'user-disabled': 'Disabled a user',
  'network-created': 'Created a network',
  'network-renamed': 'Renamed a network',
  'membership-changed': "Changed a practice's membership",
  'contract-year-created': 'Created a contract year',
  'contract-year-updated': "Changed a contract year's rules",
  'annotation-created': 'Added an annotation',
  'annotation-updated': 'Changed an annotation',
  'annotation-deleted': 'Deleted an annotation',
  'meeting-created': 'Recorded a meeting',
  'meeting-updated': 'Changed a meeting',
  'action-created': 'Recorded an action',
  'action-updated': 'Changed an action',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Actions that record something going wrong (a refusal, a failure, work cut short): the screens flag them. */
export const PROBLEM_ACTIONS: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'sign-in-failed',
  'sign-in-throttled',
  'password-change-failed',
  'password-change-throttled',
  'upload-rejected',
  'upload-interrupted',
  'upload-failed',
  'reference-rejected',
  'reference-interrupted',
  'reference-failed',
]);

/** The actions in the order above, each with its label and whether it records a problem. */
export function auditActionList(): { action: AuditAction; label: string; problem: boolean }[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).map((action) => ({
    action,
    label: AUDIT_ACTIONS[action],
    problem: PROBLEM_ACTIONS.has(action),
  }));
}
