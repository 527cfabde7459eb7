/**
 * The one typed client for the API. Types come from the server's schemas (`import type` only, so no server
 * code reaches the browser bundle).
 */
import type { Static } from 'typebox';
import type {
  Capabilities,
  LoginBody,
  Me,
  PasswordChangeBody,
  PasswordPolicy,
  Screen,
} from '../../../../server/schemas/auth';
import type { ErrorBody, ValidationErrorBody } from '../../../../server/schemas/common';
import type {
  ContractYear,
  Indicator,
  Network,
  NetworksQuery,
  ReferenceUploadAccepted,
  RejectedUpload,
  Status,
} from '../../../../server/schemas/reference';
import type {
  AcceptedSubmission,
  MissingPracticeBody,
  MissingQuery,
  MissingResponseSchema,
  SubmissionDetail,
  SubmissionSummary,
  SubmissionUploadQuery,
  UploadSummary,
} from '../../../../server/schemas/submissions';
import type {
  Attainment,
  AttainmentQuery,
  Payments,
  PaymentsList,
  PaymentsQuery,
  ReopenBody,
  SignOffBody,
  WhatIf,
  WhatIfBody,
} from '../../../../server/schemas/statements';
import type { Overview, OverviewQuery, PracticePage, Series, SeriesQuery } from '../../../../server/schemas/dashboard';
import type { PeerComparison, PeerComparisonQuerySchema } from '../../../../server/schemas/statements';
import type { Forecast, ForecastQuery, OutlookQuery, PaymentsOutlook } from '../../../../server/schemas/forecast';
import type {
  AuditActionBody,
  AuditEntryBody,
  AuditQuery,
  ContractYearRulesBody,
  MembershipChangeBody,
  NewContractYearBody,
  NewNetworkBody,
  NewUserBody,
  PasswordResetBody,
  PracticeMembershipsBody,
  RoleInfo,
  RulesUpdateBody,
  User,
  UserChangeBody,
} from '../../../../server/schemas/admin';

// Request bodies and queries are the server's schema types (Static<typeof XSchema>), exported beside them.
export type {
  AcceptedSubmission,
  Attainment,
  AuditActionBody,
  AuditEntryBody,
  AuditQuery,
  Capabilities,
  ContractYear,
  ContractYearRulesBody,
  Indicator,
  Me,
  MembershipChangeBody,
  MissingPracticeBody,
  Network,
  NewUserBody,
  Forecast,
  Overview,
  PasswordPolicy,
  Payments,
  PaymentsList,
  PaymentsOutlook,
  WhatIf,
  WhatIfBody,
  PracticeMembershipsBody,
  PracticePage,
  ReferenceUploadAccepted,
  RejectedUpload,
  RoleInfo,
  RulesUpdateBody,
  Screen,
  Series,
  Status,
  SubmissionDetail,
  SubmissionSummary,
  SubmissionUploadQuery,
  UploadSummary,
  User,
  UserChangeBody,
  ValidationErrorBody,
};
export type MissingResponse = Static<typeof MissingResponseSchema>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as ErrorBody;
    return new ApiError(res.status, body.error.code, body.error.message, body.error.details);
  } catch {
    return new ApiError(res.status, 'http', `The server answered ${res.status} ${res.statusText}.`);
  }
}

/** Listeners told when the session has ended (401), so the app can show the sign-in screen. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/**
 * One call to the API. A request given an AbortSignal stops when it is aborted (a screen moved on to newer
 * inputs) and rejects with the signal's reason, which the screens never show (see lib/state/resource).
 */
export async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch {
    if (signal?.aborted) throw signal.reason;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (res.status === 401 && url !== '/api/auth/login') signedOutListeners.forEach((l) => l());
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A GET, stopped by the signal when one is given. */
export const get = <T>(url: string, signal?: AbortSignal): Promise<T> => request<T>('GET', url, undefined, signal);

export const query = (params: Record<string, string | number | undefined | null>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

const segment = encodeURIComponent;

export type UploadResult = ({ status: 'accepted' } & AcceptedSubmission) | ({ status: 'rejected' } & RejectedUpload);

export interface UploadProgress {
  loaded: number;
  total: number;
  /** True once every byte is sent and the server is checking the file. */
  sent: boolean;
}

/** Uploads with XMLHttpRequest, because fetch reports no upload progress. */
function upload<T>(
  url: string,
  file: File,
  fields: Record<string, string>,
  onProgress: (p: UploadProgress) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, sent: false });
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, sent: true });
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'network',
          'The upload failed before the server answered. Check your connection and try again.',
        ),
      );
    xhr.onload = () => {
      const body = xhr.response as unknown;
      if (xhr.status === 201 || xhr.status === 422) return resolve(body as T);
      if (xhr.status === 401) signedOutListeners.forEach((l) => l());
      const e = (body as ErrorBody | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          e?.code ?? 'http',
          e?.message ?? `The server answered ${xhr.status}.`,
          e?.details ?? [],
        ),
      );
    };
    xhr.send(form);
  });
}

/** Every call; the reads take an optional AbortSignal last. */
export const api = {
  status: (signal?: AbortSignal) => get<Status>('/api/status', signal),
  me: (signal?: AbortSignal) => get<Me>('/api/auth/me', signal),
  login: (body: LoginBody) => request<Me>('POST', '/api/auth/login', body),
  logout: () => request<void>('POST', '/api/auth/logout'),
  passwordPolicy: (signal?: AbortSignal) => get<PasswordPolicy>('/api/auth/password-policy', signal),
  changePassword: (body: PasswordChangeBody) => request<void>('POST', '/api/auth/password', body),
  networks: (q: NetworksQuery = {}, signal?: AbortSignal) => get<Network[]>(`/api/networks${query(q)}`, signal),
  contractYears: (signal?: AbortSignal) => get<ContractYear[]>('/api/contract-years', signal),
  indicators: (year: string, signal?: AbortSignal) =>
    get<Indicator[]>(`/api/contract-years/${segment(year)}/indicators`, signal),
  submissions: (limit = 50, signal?: AbortSignal) =>
    get<SubmissionSummary[]>(`/api/submissions${query({ limit })}`, signal),
  submission: (id: number, signal?: AbortSignal) => get<SubmissionDetail>(`/api/submissions/${id}`, signal),
  missing: (q: MissingQuery, signal?: AbortSignal) =>
    get<MissingResponse>(`/api/submissions/missing${query(q)}`, signal),
  series: (q: SeriesQuery, signal?: AbortSignal) => get<Series>(`/api/series${query(q)}`, signal),
  overview: (q: OverviewQuery, signal?: AbortSignal) => get<Overview>(`/api/overview${query(q)}`, signal),
  practicePage: (code: string, signal?: AbortSignal) =>
    get<PracticePage>(`/api/practices/${segment(code)}/series`, signal),
  attainment: (q: AttainmentQuery, signal?: AbortSignal) => get<Attainment>(`/api/attainment${query(q)}`, signal),
  peerComparison: (q: Static<typeof PeerComparisonQuerySchema>, signal?: AbortSignal) =>
    get<PeerComparison>(`/api/peer-comparison${query(q)}`, signal),
  /** Every network's statement in brief. */
  payments: (q: Omit<PaymentsQuery, 'network'>, signal?: AbortSignal) =>
    get<PaymentsList>(`/api/payments${query(q)}`, signal),
  /** One network's statement with all its evidence. */
  paymentStatement: (q: PaymentsQuery & { network: string }, signal?: AbortSignal) =>
    get<Payments>(`/api/payments${query(q)}`, signal),
  paymentsOutlook: (q: OutlookQuery, signal?: AbortSignal) =>
    get<PaymentsOutlook>(`/api/payments/outlook${query(q)}`, signal),
  whatIf: (body: WhatIfBody) => request<WhatIf>('POST', '/api/payments/what-if', body),
  forecast: (q: ForecastQuery, signal?: AbortSignal) => get<Forecast>(`/api/forecast${query(q)}`, signal),
  signOff: (year: string, body: SignOffBody) =>
    request<Payments>('POST', `/api/payments/${segment(year)}/sign-off`, body),
  reopen: (year: string, body: ReopenBody) =>
    request<{ year: string; locked: boolean }>('POST', `/api/payments/${segment(year)}/reopen`, body),
  users: (signal?: AbortSignal) => get<User[]>('/api/users', signal),
  roles: (signal?: AbortSignal) => get<RoleInfo[]>('/api/roles', signal),
  createUser: (body: NewUserBody) => request<User>('POST', '/api/users', body),
  updateUser: (id: number, body: UserChangeBody) => request<User>('PATCH', `/api/users/${id}`, body),
  resetPassword: (id: number, body: PasswordResetBody) => request<void>('POST', `/api/users/${id}/password`, body),
  practices: (signal?: AbortSignal) => get<PracticeMembershipsBody[]>('/api/practices', signal),
  changeMembership: (body: MembershipChangeBody) => request<{ result: string }>('POST', '/api/memberships', body),
  createNetwork: (body: NewNetworkBody) => request<{ code: string; name: string }>('POST', '/api/networks', body),
  rules: (year: string, signal?: AbortSignal) =>
    get<ContractYearRulesBody>(`/api/contract-years/${segment(year)}/rules`, signal),
  updateRules: (year: string, body: RulesUpdateBody) =>
    request<ContractYearRulesBody>('PUT', `/api/contract-years/${segment(year)}/rules`, body),
  createContractYear: (body: NewContractYearBody) =>
    request<ContractYearRulesBody>('POST', '/api/contract-years', body),
  audit: (q: AuditQuery, signal?: AbortSignal) => get<AuditEntryBody[]>(`/api/audit${query(q)}`, signal),
  auditActions: (signal?: AbortSignal) => get<AuditActionBody[]>('/api/audit/actions', signal),
  uploadReference: (file: File, fromPeriod: string | undefined, onProgress: (p: UploadProgress) => void) =>
    upload<({ status: 'accepted' } & ReferenceUploadAccepted) | RejectedUpload>(
      '/api/reference/practices',
      file,
      { fromPeriod: fromPeriod ?? '' },
      onProgress,
    ),
  uploadSubmission: (file: File, fields: SubmissionUploadQuery, onProgress: (p: UploadProgress) => void) =>
    upload<UploadResult>(
      '/api/submissions',
      file,
      { period: fields.period ?? '', format: fields.format ?? '' },
      onProgress,
    ),
};

export type AttainmentIndicator = Attainment['indicators'][number];
export type SeriesIndicator = Series['indicators'][number];

export type { PeerComparison };
