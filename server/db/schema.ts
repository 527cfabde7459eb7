/** The one Database interface Kysely is typed with. Row types never leave the repository layer. */
import type { Generated } from 'kysely';

export interface NetworkTable {
  id: Generated<number>;
  code: string;
  name: string;
  created_at: string;
}

export interface PracticeTable {
  id: Generated<number>;
  code: string;
  name: string;
  postcode: string | null;
  created_at: string;
}

export interface MembershipTable {
  id: Generated<number>;
  practice_id: number;
  network_id: number;
  from_period: string;
  to_period: string | null;
  created_at: string;
}

export interface ListSizeTable {
  practice_id: number;
  period: string;
  list_size: number;
}

export interface DomainTable {
  code: string;
  name: string;
  sort_order: number;
}

export interface ContractYearTable {
  id: Generated<number>;
  code: string;
  first_period: string;
  last_period: string;
  retrospective_share_bp: number;
  domain_rule: 'all-indicators' | 'per-indicator';
  locked_at: string | null;
  locked_by: string | null;
  created_at: string;
}

export interface ContractYearDomainTable {
  contract_year_id: number;
  domain_code: string;
  share_bp: number;
}

export interface IndicatorTable {
  id: Generated<number>;
  contract_year_id: number;
  code: string;
  domain_code: string;
  title: string;
  numerator_label: string;
  denominator_label: string;
  target_bp: number;
  lower_bp: number | null;
  mode: 'threshold' | 'sliding';
  weight: number;
  sort_order: number;
}

export interface IndicatorAliasTable {
  contract_year_id: number;
  alias: string;
  indicator_code: string;
}

export interface ContractValueTable {
  contract_year_id: number;
  network_id: number;
  value_pence: number;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: 'admin' | 'commissioner' | 'manager' | 'gp';
  network_id: number | null;
  is_demo: Generated<number>;
  disabled_at: string | null;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  ended_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** processing → accepted | rejected | interrupted (the file never fully arrived) | failed (the server could not finish it). */
export type SubmissionStatus = 'processing' | 'accepted' | 'rejected' | 'interrupted' | 'failed';

export interface SubmissionTable {
  id: Generated<number>;
  uploaded_at: string;
  user_id: number | null;
  uploader: string;
  kind: 'observations' | 'reference';
  filename: string;
  size_bytes: number;
  stored_bytes: Generated<number>;
  sha256: string | null;
  format: string | null;
  period_given: string | null;
  status: SubmissionStatus;
  summary_json: string | null;
  error_count: number;
  errors_json: string | null;
  finished_at: string | null;
}

export interface SubmissionChunkTable {
  submission_id: number;
  seq: number;
  bytes: Buffer;
}

export interface ObservationTable {
  id: Generated<number>;
  submission_id: number;
  practice_id: number;
  indicator_code: string;
  period: string;
  numerator: number;
  denominator: number;
  exceptions: number | null;
  superseded_by: number | null;
}

export interface SubmissionPeriodTable {
  period: string;
  submission_id: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  ip: string | null;
  detail: string;
  /** The hash of the entry before this one (null for the first); see server/domain/audit-chain.ts. */
  prev_hash: string | null;
  /** This entry's hash; set by appendAudit and checked by the insert trigger. */
  hash: string | null;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: string;
  outcome: 'pending' | 'failed' | 'succeeded';
}

export interface SignOffTable {
  id: Generated<number>;
  contract_year_id: number;
  period: string;
  signed_at: string;
  signed_by: string;
  override_reason: string | null;
  input_hash: string;
  statement_json: string;
  total_earned_pence: number;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_reason: string | null;
}

/** One row (id 1): moved by triggers on every change the computed figures depend on (migrations/0007). */
export interface DataVersionTable {
  id: number;
  version: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

/** A dated note on a network's indicator, optionally about one practice (SPEC 12). */
export interface AnnotationTable {
  id: Generated<number>;
  network_id: number;
  indicator_code: string;
  practice_id: number | null;
  period: string;
  text: string;
  author: string;
  author_id: number | null;
  created_at: string;
  updated_at: string;
}

/** A learning-set meeting: when it was held and the month it reviewed. */
export interface MeetingTable {
  id: Generated<number>;
  network_id: number;
  held_on: string;
  period: string;
  attendees: Generated<string>;
  notes: Generated<string>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Something a learning set decided to do, with an owner and a due date. */
export interface ActionTable {
  id: Generated<number>;
  network_id: number;
  meeting_id: number | null;
  indicator_code: string | null;
  practice_id: number | null;
  text: string;
  owner: string;
  due: string;
  status: Generated<'open' | 'done' | 'dropped'>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface RateLimitHitTable {
  key: string;
  window_started_ms: number;
  hits: number;
}

export interface Database {
  networks: NetworkTable;
  practices: PracticeTable;
  memberships: MembershipTable;
  list_sizes: ListSizeTable;
  domains: DomainTable;
  contract_years: ContractYearTable;
  contract_year_domains: ContractYearDomainTable;
  indicators: IndicatorTable;
  indicator_aliases: IndicatorAliasTable;
  contract_values: ContractValueTable;
  users: UserTable;
  sessions: SessionTable;
  submissions: SubmissionTable;
  submission_chunks: SubmissionChunkTable;
  observations: ObservationTable;
  submission_periods: SubmissionPeriodTable;
  audit_log: AuditLogTable;
  sign_in_attempts: SignInAttemptTable;
  settings: SettingTable;
  data_version: DataVersionTable;
  rate_limit_hits: RateLimitHitTable;
  sign_offs: SignOffTable;
  annotations: AnnotationTable;
  meetings: MeetingTable;
  actions: ActionTable;
}
