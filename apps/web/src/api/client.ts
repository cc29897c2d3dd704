import type {
  AuditEvent,
  AuditEventQuery,
  AuditVerifyResult,
  ChangePasswordRequest,
  CoordinationInput,
  CreatePositionRequest,
  CreateTemplateRequest,
  CreateUnitRequest,
  CreateUserRequest,
  EvidenceVerification,
  ReporterContact,
  FieldProblem,
  IncidentAction,
  IncidentActionRequest,
  IncidentDetail,
  IncidentListQuery,
  IncidentMetrics,
  IncidentSummary,
  JobRun,
  JobRunQuery,
  LoginRequest,
  Me,
  ObservableInput,
  OutboxMessage,
  Page,
  PageQuery,
  Position,
  Problem,
  PublicIncidentForm,
  RecommendationTemplate,
  ReportReceipt,
  ResetPasswordRequest,
  RoleInfo,
  SessionResponse,
  StaffReportReceipt,
  Taxonomy,
  Team,
  TeamMember,
  Tracking,
  Unit,
  UpdateTemplateRequest,
  UpdateUnitRequest,
  UpdateUserRequest,
  User,
  UserListQuery,
} from './types';

const BASE = '/api/v1';
const CSRF_COOKIE = 'sandi_csrf';
const CSRF_HEADER = 'X-CSRF-Token';
/** Calls whose 401 means "wrong credentials / no session", never "refresh and retry". */
const NO_REFRESH = new Set(['/auth/login', '/auth/refresh']);
/** Public endpoints need no session: their 401 (e.g. a wrong signing passphrase) is the answer itself. */
const isPublicPath = (path: string) => path.startsWith('/public/');

/** An RFC 9457 problem returned by the API (or synthesised for network failures, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get title(): string {
    return this.problem.title;
  }

  get detail(): string | undefined {
    return this.problem.detail;
  }

  get errors(): FieldProblem[] {
    return this.problem.errors ?? [];
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The first message for a field, matching `field` exactly or as the leaf of a dotted path. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

// --- session expiry -------------------------------------------------------------------

type SessionExpiredHandler = () => void;

let onSessionExpired: SessionExpiredHandler = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};

/** The shell installs a router-aware handler; the default does a full navigation. */
export function setSessionExpiredHandler(handler: SessionExpiredHandler): () => void {
  const previous = onSessionExpired;
  onSessionExpired = handler;
  return () => {
    onSessionExpired = previous;
  };
}

// Concurrent 401s share one refresh: the server rotates the refresh cookie, so a second
// parallel refresh would present an already-spent token and end the session.
let refreshing: Promise<boolean> | null = null;

function refreshSession(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/refresh')
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

// --- transport ------------------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** An array goes as one comma-separated parameter, as the API's list filters (e.g. `status`) take it. */
type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** multipart/form-data (file uploads); the browser sets the boundary. */
  form?: FormData;
  signal?: AbortSignal;
}

/** Same-origin URL of an API path, e.g. for downloads opened as links. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  return url(path, query);
}

function url(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
      continue;
    }
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function send(method: Method, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined && options.form === undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    // Read at send time: refresh rotates the cookie, and a retry must carry the new value.
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  try {
    return await fetch(url(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: err instanceof Error ? err.message : String(err),
    });
  }
}

async function toProblem(res: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: res.statusText || `HTTP ${res.status}`,
    status: res.status,
  };
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return fallback;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object') {
      const p = body as Partial<Problem>;
      return {
        ...fallback,
        ...p,
        title: typeof p.title === 'string' && p.title ? p.title : fallback.title,
        status: typeof p.status === 'number' ? p.status : res.status,
        errors: Array.isArray(p.errors)
          ? p.errors.filter((e): e is FieldProblem => !!e && typeof e.field === 'string' && typeof e.message === 'string')
          : undefined,
      };
    }
  } catch {
    // A non-JSON error body (proxy page, empty body) still yields a usable problem.
  }
  return fallback;
}

/** Sends a request, refreshing an expired session once; a non-2xx answer becomes an ApiError. */
async function sendChecked(method: Method, path: string, options: RequestOptions): Promise<Response> {
  let res = await send(method, path, options);

  if (res.status === 401 && !NO_REFRESH.has(path) && !isPublicPath(path)) {
    if (await refreshSession()) {
      res = await send(method, path, options);
    } else {
      onSessionExpired();
    }
  }

  if (!res.ok) throw new ApiError(await toProblem(res));
  return res;
}

/** A JSON call; feature modules (e.g. features/certificates/api.ts) build their endpoints on it. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await sendChecked(method, path, options);
  if (res.status === 204 || res.headers.get('Content-Length') === '0') return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the API answers with (e.g. a signed PDF): its bytes and the name from Content-Disposition. */
export interface FileResponse {
  blob: Blob;
  fileName: string | null;
}

export async function requestFile(method: Method, path: string, options: RequestOptions = {}): Promise<FileResponse> {
  const res = await sendChecked(method, path, options);
  return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('Content-Disposition')) };
}

/** The file name of an RFC 6266 Content-Disposition header, preferring the RFC 8187 `filename*`. */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || null;
}

// --- endpoints ------------------------------------------------------------------------

type Opts = { signal?: AbortSignal };

/**
 * Makes sure the session cookie is fresh before the browser follows a plain download link (which
 * cannot refresh an expired access token itself). False when nobody is signed in any more.
 */
export async function ensureSession(): Promise<boolean> {
  try {
    await request<Me>('GET', '/auth/me');
    return true;
  } catch {
    return false;
  }
}

const incidentPath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

export const api = {
  auth: {
    login: (body: LoginRequest) => request<SessionResponse>('POST', '/auth/login', { body }),
    refresh: () => request<SessionResponse>('POST', '/auth/refresh'),
    logout: () => request<void>('POST', '/auth/logout'),
    me: (o: Opts = {}) => request<Me>('GET', '/auth/me', o),
    changePassword: (body: ChangePasswordRequest) => request<void>('POST', '/auth/password', { body }),
  },
  meta: {
    roles: (o: Opts = {}) => request<RoleInfo[]>('GET', '/meta/roles', o),
  },
  users: {
    list: (query: UserListQuery, o: Opts = {}) => request<Page<User>>('GET', '/users', { ...o, query: { ...query } }),
    create: (body: CreateUserRequest) => request<User>('POST', '/users', { body }),
    update: (id: string, body: UpdateUserRequest) => request<User>('PATCH', `/users/${encodeURIComponent(id)}`, { body }),
    unlock: (id: string) => request<User>('POST', `/users/${encodeURIComponent(id)}/unlock`),
    resetPassword: (id: string, body: ResetPasswordRequest) =>
      request<void>('POST', `/users/${encodeURIComponent(id)}/reset-password`, { body }),
  },
  units: {
    list: (o: Opts = {}) => request<Unit[]>('GET', '/units', o),
    create: (body: CreateUnitRequest) => request<Unit>('POST', '/units', { body }),
    update: (id: string, body: UpdateUnitRequest) => request<Unit>('PATCH', `/units/${encodeURIComponent(id)}`, { body }),
  },
  positions: {
    list: (unitId: string, o: Opts = {}) => request<Position[]>('GET', '/positions', { ...o, query: { unitId } }),
    create: (body: CreatePositionRequest) => request<Position>('POST', '/positions', { body }),
  },
  audit: {
    events: (query: AuditEventQuery, o: Opts = {}) => request<Page<AuditEvent>>('GET', '/audit/events', { ...o, query: { ...query } }),
    verify: (o: Opts = {}) => request<AuditVerifyResult>('GET', '/audit/verify', o),
  },
  mailbox: {
    list: (query: PageQuery, o: Opts = {}) => request<Page<OutboxMessage>>('GET', '/mailbox', { ...o, query: { ...query } }),
  },
  jobs: {
    runs: (query: JobRunQuery, o: Opts = {}) => request<Page<JobRun>>('GET', '/jobs/runs', { ...o, query: { ...query } }),
  },
  /** Public side of the SOC service: no account needed. */
  publicIncidents: {
    taxonomy: (o: Opts = {}) => request<Taxonomy>('GET', '/incident-taxonomy', o),
    form: (o: Opts = {}) => request<PublicIncidentForm>('GET', '/public/incidents/form', o),
    /** multipart: the report fields plus `evidence` files. */
    report: (form: FormData) => request<ReportReceipt>('POST', '/public/incidents', { form }),
    track: (ticket: string, token: string, o: Opts = {}) =>
      request<Tracking>('GET', '/public/incidents/track', { ...o, query: { ticket, token } }),
    /** multipart: ticket, token, message, optional observables (JSON) and `evidence` files. */
    supplement: (form: FormData) => request<Tracking>('POST', '/public/incidents/supplement', { form }),
  },
  incidents: {
    list: (query: IncidentListQuery, o: Opts = {}) => request<Page<IncidentSummary>>('GET', '/incidents', { ...o, query: { ...query } }),
    get: (id: string, o: Opts = {}) => request<IncidentDetail>('GET', incidentPath(id), o),
    /** A report taken by the helpdesk (multipart with optional `evidence` files). */
    report: (form: FormData) => request<StaffReportReceipt>('POST', '/incidents', { form }),
    act: (id: string, action: IncidentAction, body: IncidentActionRequest) =>
      request<IncidentDetail>('POST', `${incidentPath(id)}/actions/${encodeURIComponent(action)}`, { body }),
    comment: (id: string, comment: string) => request<IncidentDetail>('POST', `${incidentPath(id)}/comments`, { body: { comment } }),
    assign: (id: string, team: Team, userId: string | null) =>
      request<IncidentDetail>('PUT', `${incidentPath(id)}/assignees/${encodeURIComponent(team)}`, { body: { userId } }),
    coordinate: (id: string, body: CoordinationInput) => request<IncidentDetail>('POST', `${incidentPath(id)}/coordinations`, { body }),
    addObservable: (id: string, body: ObservableInput) => request<IncidentDetail>('POST', `${incidentPath(id)}/observables`, { body }),
    removeObservable: (id: string, observableId: string) =>
      request<IncidentDetail>('DELETE', `${incidentPath(id)}/observables/${encodeURIComponent(observableId)}`),
    addEvidence: (id: string, form: FormData) => request<IncidentDetail>('POST', `${incidentPath(id)}/evidence`, { form }),
    metrics: (query: { from: string; to: string }, o: Opts = {}) => request<IncidentMetrics>('GET', '/incidents/metrics', { ...o, query }),
    /** Downloads: always attachments, opened as links after ensureSession(). */
    evidenceUrl: (id: string, evidenceId: string) => url(`${incidentPath(id)}/evidence/${encodeURIComponent(evidenceId)}`),
    /** The reporter's full phone number (the detail shows it masked); audited on the server. */
    reporterContact: (id: string) => request<ReporterContact>('POST', `${incidentPath(id)}/reporter-contact`),
    verifyEvidence: (id: string, evidenceId: string) =>
      request<EvidenceVerification>('POST', `${incidentPath(id)}/evidence/${encodeURIComponent(evidenceId)}/verify`),
    members: (team: Team, o: Opts = {}) => request<TeamMember[]>('GET', `/incidents/teams/${encodeURIComponent(team)}/members`, o),
    stixUrl: (id: string) => url(`${incidentPath(id)}/stix`),
    reportPdfUrl: (id: string) => url(`${incidentPath(id)}/report.pdf`),
    csvUrl: (query: { from?: string; to?: string }) => url('/incidents.csv', query),
    monthlyReportUrl: (month: string) => url('/incidents/monthly-report.pdf', { month }),
  },
  recommendationTemplates: {
    list: (query: { category?: string; includeInactive?: boolean }, o: Opts = {}) =>
      request<RecommendationTemplate[]>('GET', '/incident-recommendation-templates', { ...o, query: { ...query } }),
    create: (body: CreateTemplateRequest) => request<RecommendationTemplate>('POST', '/incident-recommendation-templates', { body }),
    update: (id: string, body: UpdateTemplateRequest) =>
      request<RecommendationTemplate>('PATCH', `/incident-recommendation-templates/${encodeURIComponent(id)}`, { body }),
  },
};
