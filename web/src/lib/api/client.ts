/**
 * The one typed client for the API. Types come from the server's schemas (`import type` only, so no server
 * code reaches the browser bundle).
 */
import type { Me, PasswordPolicy } from '../../../../server/schemas/auth';
import type { ErrorBody, ValidationErrorBody } from '../../../../server/schemas/common';
import type { ContractYear, Indicator, Network, RejectedUpload, Status } from '../../../../server/schemas/reference';
import type { AcceptedSubmission, MissingPracticeBody, SubmissionDetail, SubmissionSummary } from '../../../../server/schemas/submissions';
import type { Attainment, Payments } from '../../../../server/schemas/statements';
import type { Overview, PracticePage, Series } from '../../../../server/schemas/dashboard';
import type { AuditEntryBody, ContractYearRulesBody, PracticeMembershipsBody, RulesUpdateBody, User } from '../../../../server/schemas/admin';

export type { PasswordPolicy, Overview, PracticePage, Series, AuditEntryBody, ContractYearRulesBody, PracticeMembershipsBody, RulesUpdateBody, User, Attainment, Payments, AcceptedSubmission, ContractYear, Indicator, Me, MissingPracticeBody, Network, RejectedUpload, Status, SubmissionDetail, SubmissionSummary, ValidationErrorBody };

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

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (res.status === 401 && url !== '/api/auth/login') signedOutListeners.forEach((l) => l());
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

const query = (params: Record<string, string | number | undefined | null>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export type UploadResult = ({ status: 'accepted' } & AcceptedSubmission) | ({ status: 'rejected' } & RejectedUpload);

export interface UploadProgress {
  loaded: number;
  total: number;
  /** True once every byte is sent and the server is checking the file. */
  sent: boolean;
}

/** Uploads with XMLHttpRequest, because fetch reports no upload progress. */
function upload<T>(url: string, file: File, fields: Record<string, string>, onProgress: (p: UploadProgress) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, sent: false });
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, sent: true });
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed before the server answered. Check your connection and try again.'));
    xhr.onload = () => {
      const body = xhr.response as unknown;
      if (xhr.status === 201 || xhr.status === 422) return resolve(body as T);
      if (xhr.status === 401) signedOutListeners.forEach((l) => l());
      const e = (body as ErrorBody | null)?.error;
      reject(new ApiError(xhr.status, e?.code ?? 'http', e?.message ?? `The server answered ${xhr.status}.`, e?.details ?? []));
    };
    xhr.send(form);
  });
}

export const api = {
  status: () => request<Status>('GET', '/api/status'),
  me: () => request<Me>('GET', '/api/auth/me'),
  login: (username: string, password: string) => request<Me>('POST', '/api/auth/login', { username, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  passwordPolicy: () => request<PasswordPolicy>('GET', '/api/auth/password-policy'),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),
  networks: (period?: string) => request<Network[]>('GET', `/api/networks${query({ period })}`),
  contractYears: () => request<ContractYear[]>('GET', '/api/contract-years'),
  indicators: (year: string) => request<Indicator[]>('GET', `/api/contract-years/${encodeURIComponent(year)}/indicators`),
  submissions: (limit = 50) => request<SubmissionSummary[]>('GET', `/api/submissions${query({ limit })}`),
  submission: (id: number) => request<SubmissionDetail>('GET', `/api/submissions/${id}`),
  missing: (period?: string) => request<{ period: string | null; missing: MissingPracticeBody[] }>('GET', `/api/submissions/missing${query({ period })}`),
  series: (network: string, indicator?: string, recalculateFrom?: string) => request<Series>('GET', `/api/series${query({ network, indicator, recalculateFrom })}`),
  overview: (period?: string) => request<Overview>('GET', `/api/overview${query({ period })}`),
  practicePage: (code: string) => request<PracticePage>('GET', `/api/practices/${encodeURIComponent(code)}/series`),
  attainment: (network: string, period?: string) => request<Attainment>('GET', `/api/attainment${query({ network, period })}`),
  payments: (year: string, period?: string) => request<Payments>('GET', `/api/payments${query({ year, period })}`),
  signOff: (year: string, overrideReason?: string) => request<Payments>('POST', `/api/payments/${encodeURIComponent(year)}/sign-off`, overrideReason ? { overrideReason } : {}),
  reopen: (year: string, reason: string) => request<{ year: string; locked: boolean }>('POST', `/api/payments/${encodeURIComponent(year)}/reopen`, { reason }),
  users: () => request<User[]>('GET', '/api/users'),
  createUser: (u: { username: string; password: string; role: User['role']; networkCode: string | null }) => request<User>('POST', '/api/users', u),
  updateUser: (id: number, change: { role?: User['role']; networkCode?: string | null; disabled?: boolean }) => request<User>('PATCH', `/api/users/${id}`, change),
  resetPassword: (id: number, password: string) => request<void>('POST', `/api/users/${id}/password`, { password }),
  practices: () => request<PracticeMembershipsBody[]>('GET', '/api/practices'),
  changeMembership: (practiceCode: string, networkCode: string | null, fromPeriod: string) => request<{ result: string }>('POST', '/api/memberships', { practiceCode, networkCode, fromPeriod }),
  createNetwork: (code: string, name: string) => request<{ code: string; name: string }>('POST', '/api/networks', { code, name }),
  rules: (year: string) => request<ContractYearRulesBody>('GET', `/api/contract-years/${encodeURIComponent(year)}/rules`),
  updateRules: (year: string, body: RulesUpdateBody) => request<ContractYearRulesBody>('PUT', `/api/contract-years/${encodeURIComponent(year)}/rules`, body),
  createContractYear: (code: string, copyFrom?: string) => request<ContractYearRulesBody>('POST', '/api/contract-years', copyFrom ? { code, copyFrom } : { code }),
  audit: (filter: { action?: string; username?: string; from?: string; to?: string; limit?: number }) => request<AuditEntryBody[]>('GET', `/api/audit${query(filter)}`),
  uploadReference: (file: File, fromPeriod: string | undefined, onProgress: (p: UploadProgress) => void) =>
    upload<{ status: 'accepted'; [k: string]: unknown } | RejectedUpload>('/api/reference/practices', file, { fromPeriod: fromPeriod ?? '' }, onProgress),
  uploadSubmission: (file: File, fields: { period?: string; format?: string }, onProgress: (p: UploadProgress) => void) =>
    upload<UploadResult>('/api/submissions', file, { period: fields.period ?? '', format: fields.format ?? '' }, onProgress),
};

export type AttainmentIndicator = Attainment['indicators'][number];
export type SeriesIndicator = Series['indicators'][number];
