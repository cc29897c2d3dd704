// Hand-written mirror of the /api/v1 contract, checked by hand against apps/api/openapi.json.
// Convention 11 wants these generated from that document; until a generator is wired into
// the build, this file is the single place to change when the contract moves.

export type Locale = 'id' | 'en';

export type RoleCode =
  | 'admin'
  | 'helpdesk'
  | 'incident_data'
  | 'incident_analyst'
  | 'incident_handler'
  | 'verifier'
  | 'ra_operator'
  | 'applicant'
  | 'jks_admin'
  | 'opd_official'
  | 'backup_operator'
  | 'auditor';

/** RFC 9457 problem details, with the field errors our validation pipe adds. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

// --- auth ---------------------------------------------------------------------------

export interface Me {
  id: string;
  username: string;
  fullName: string;
  email: string;
  roles: RoleCode[];
  unitId: string | null;
  unitName: string | null;
  locale: Locale;
  mustChangePassword: boolean;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface SessionResponse {
  user: Me;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

// --- meta ---------------------------------------------------------------------------

export interface RoleInfo {
  code: RoleCode;
  labelId: string;
  labelEn: string;
}

// --- users --------------------------------------------------------------------------

export interface User {
  id: string;
  username: string;
  fullName: string;
  email: string;
  roles: RoleCode[];
  unitId: string | null;
  unitName: string | null;
  positionId: string | null;
  locale: Locale;
  active: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserListQuery extends PageQuery {
  q?: string;
  role?: RoleCode;
  unitId?: string;
}

export interface CreateUserRequest {
  username: string;
  fullName: string;
  email: string;
  roles: RoleCode[];
  unitId?: string;
  positionId?: string;
  locale?: Locale;
  password: string;
}

export interface UpdateUserRequest {
  fullName?: string;
  email?: string;
  roles?: RoleCode[];
  unitId?: string | null;
  positionId?: string | null;
  locale?: Locale;
  active?: boolean;
}

export interface ResetPasswordRequest {
  password: string;
}

// --- organisation -------------------------------------------------------------------

export const UNIT_KINDS = ['dinas', 'badan', 'kantor', 'bagian', 'bidang', 'seksi', 'kecamatan', 'lainnya'] as const;

export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Unit {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  active: boolean;
}

export interface CreateUnitRequest {
  code: string;
  name: string;
  kind: UnitKind;
  parentId?: string;
}

export interface UpdateUnitRequest {
  name?: string;
  kind?: UnitKind;
  parentId?: string | null;
  active?: boolean;
}

export interface Position {
  id: string;
  unitId: string;
  title: string;
  echelon: string | null;
}

export interface CreatePositionRequest {
  unitId: string;
  title: string;
  echelon?: string;
}

// --- audit --------------------------------------------------------------------------

export interface AuditEvent {
  /** bigint sequence, serialised as a decimal string. */
  seq: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  actorRoles: RoleCode[];
  action: string;
  entityType: string;
  entityId: string | null;
  /** Redacted {before, after, detail} of the change, as stored in the hash chain. */
  summary: AuditSummary | null;
  requestId: string | null;
  hash: string;
}

export interface AuditSummary {
  before?: unknown;
  after?: unknown;
  detail?: unknown;
  [key: string]: unknown;
}

export interface AuditEventQuery extends PageQuery {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  headHash: string | null;
  firstBroken: null | { seq: string; reason: string };
}

// --- mailbox ------------------------------------------------------------------------

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  transport: 'smtp' | 'devbox' | null;
}

// --- scheduler ----------------------------------------------------------------------

export const JOB_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRunQuery extends PageQuery {
  job?: string;
}

export interface JobRun {
  id: string;
  job: string;
  slot: string;
  instance: string;
  status: JobStatus;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}
