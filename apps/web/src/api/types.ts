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

// --- SOC incidents (libs/incidents) ---------------------------------------------------
// Mirrors libs/incidents/src/dto/*.ts and the constants of incident.workflow.ts, taxonomy.ts,
// tlp.ts and priority.policy.ts.

/** A text in both UI languages, as the API gives labels. */
export interface LabelText {
  id: string;
  en: string;
}

export const INCIDENT_STATES = [
  'reported',
  'returned_to_reporter',
  'rejected',
  'validated',
  'recorded',
  'in_analysis',
  'in_handling',
  'resolved',
  'closed',
  'reporter_closed',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const INCIDENT_ACTIONS = [
  'validate',
  'return_incomplete',
  'reject_out_of_scope',
  'supplement',
  'record',
  'start_analysis',
  'send_initial_recommendation',
  'hand_over',
  'record_coordination',
  'submit_resolution',
  'close',
  'close_reporter_status',
  'reclassify',
  'assign',
  'comment',
  'add_observable',
  'remove_observable',
  'add_evidence',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const TEAMS = ['helpdesk', 'data', 'analysis', 'handling'] as const;
export type Team = (typeof TEAMS)[number];

export const INCIDENT_SOURCES = ['public', 'staff', 'api'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const IMPACTS = ['low', 'medium', 'high', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];
export const URGENCIES = ['low', 'medium', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SLA_TARGETS = ['recommendation', 'resolution', 'closure'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export const SLA_CLOCK_STATUSES = ['on_track', 'due_soon', 'breached', 'met', 'missed'] as const;
export type SlaClockStatus = (typeof SLA_CLOCK_STATUSES)[number];

export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

export const OBSERVABLE_TYPES = ['ipv4', 'ipv6', 'domain', 'hostname', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve', 'asn'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export const COORDINATION_PARTY_KINDS = ['csirt', 'agency', 'vendor', 'isp', 'other'] as const;
export type CoordinationPartyKind = (typeof COORDINATION_PARTY_KINDS)[number];

export const STAFF_CHANNELS = ['phone', 'letter', 'email', 'walk_in', 'other'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export interface PersonRef {
  id: string;
  name: string;
}

export interface NextDue {
  target: SlaTarget;
  team: Team;
  dueAt: string;
  status: Extract<SlaClockStatus, 'on_track' | 'due_soon' | 'breached'>;
}

/**
 * One field of a step's payload, as the API derives it from the workflow table and its DTOs:
 * `category` takes an RSIT code (taxonomy), `org_unit` an OPD unit id, `user` a team member's id.
 */
export type ActionFieldType = 'text' | 'enum' | 'datetime' | 'uuid' | 'file' | 'category' | 'org_unit' | 'user';

export interface ActionField {
  /** Payload path: a part (`recommendation`) or a field of an object part (`coordination.partyName`). */
  name: string;
  part: string;
  type: ActionFieldType;
  required: boolean;
  /** `null` is a value here (no assignee, no OPD unit). */
  nullable: boolean;
  maxLength?: number;
  options?: string[];
  maxBytes?: number;
  maxFiles?: number;
}

/** A step the viewer may take now, with where it goes and the payload it takes. */
export interface AllowedAction {
  action: IncidentAction;
  /** The state after the step (the current one for steps that stay). */
  to: IncidentState;
  method: 'POST' | 'DELETE';
  /** Under /api/v1; `{id}` the incident, `{observableId}` one of its observables. */
  path: string;
  encoding: 'json' | 'multipart';
  /** Payload parts the step requires; an object part of optional fields needs at least one of them. */
  requiredParts: string[];
  fields: ActionField[];
}

export interface TeamMember {
  id: string;
  name: string;
}

/** GET /public/incidents/form: what the report form must respect before it uploads. */
export interface PublicIncidentForm {
  evidenceField: string;
  maxEvidenceBytes: number;
  maxEvidenceFiles: number;
}

/** The reporter's contact in full (each reveal is audited). */
export interface ReporterContact {
  phone: string | null;
  email: string | null;
  name: string;
}

export interface EvidenceVerification {
  evidenceId: string;
  fileName: string;
  sha256: string;
  size: number;
  status: 'intact' | 'mismatch' | 'missing';
  actualSha256: string | null;
  actualSize: number | null;
  checkedAt: string;
}

export interface IncidentSummary {
  id: string;
  ticket: string;
  status: IncidentState;
  /** Whose queue holds it now. */
  team: Team | null;
  source: IncidentSource;
  title: string;
  category: string;
  categoryLabel: LabelText;
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  tlp: TlpLabel;
  opdUnitId: string | null;
  opdUnitName: string | null;
  reporterName: string;
  reporterOrganisation: string | null;
  reportedAt: string;
  recommendationDueAt: string;
  resolutionDueAt: string;
  closureDueAt: string;
  /** Past a due date it has not met. */
  overdue: boolean;
  /** What is due next, by which team and when; null once every clock has stopped. */
  nextDue: NextDue | null;
  slaBreaches: SlaTarget[];
  escalatedAt: string | null;
  assignees: Record<Team, PersonRef | null>;
  updatedAt: string;
}

export interface TimelineEntry {
  id: string;
  at: string;
  /** An action name, or reported / supplemented / sla_warning / sla_breach / escalated / evidence_downloaded. */
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorKind: 'staff' | 'reporter' | 'system';
  actorName: string | null;
  body: string | null;
  detail: Record<string, unknown>;
  visibleToReporter: boolean;
}

export interface Evidence {
  id: string;
  sha256: string;
  size: number;
  fileName: string;
  contentType: string;
  uploader: 'reporter' | 'staff';
  uploadedByName: string | null;
  uploadedAt: string;
}

export interface Observable {
  id: string;
  type: ObservableType;
  value: string;
  fromReporter: boolean;
  createdAt: string;
}

export interface CoordinationView {
  id: string;
  partyName: string;
  partyKind: CoordinationPartyKind;
  contact: string | null;
  contactedAt: string;
  theirReference: string | null;
  notes: string | null;
  recordedByName: string | null;
}

export interface CorrelatedIncident {
  id: string;
  ticket: string;
  status: IncidentState;
  title: string;
  reportedAt: string;
  shared: Array<{ type: ObservableType; value: string }>;
}

export interface SlaClock {
  dueAt: string;
  metAt: string | null;
  status: SlaClockStatus;
}

export interface IncidentMilestones {
  validatedAt: string | null;
  recordedAt: string | null;
  analysisStartedAt: string | null;
  recommendedAt: string | null;
  handedOverAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reporterClosedAt: string | null;
  rejectedAt: string | null;
}

export interface IncidentDetail extends IncidentSummary {
  reporterEmail: string | null;
  /** Masked; the full number through `api.incidents.reporterContact` (audited). */
  reporterPhoneMasked: string | null;
  reporterUnit: string | null;
  reporterLocale: Locale;
  description: string;
  occurredAt: string | null;
  affectedSystems: string[];
  returnMessage: string | null;
  rejectionReason: string | null;
  recommendation: string | null;
  recommendationSentAt: string | null;
  resolutionReport: string | null;
  closureRecord: string | null;
  closedAutomatically: boolean;
  milestones: IncidentMilestones;
  sla: { startedAt: string } & Record<SlaTarget, SlaClock>;
  timeline: TimelineEntry[];
  evidence: Evidence[];
  observables: Observable[];
  coordinations: CoordinationView[];
  correlated: CorrelatedIncident[];
  /** What the caller's roles may do now (the workflow table), each with the payload it takes. */
  allowedActions: AllowedAction[];
}

export interface IncidentListQuery extends PageQuery {
  team?: Team;
  /** One or more states, comma-separated. */
  status?: string;
  priority?: Priority;
  category?: string;
  opdUnitId?: string;
  overdue?: boolean;
  assignedToMe?: boolean;
  q?: string;
}

export interface ObservableInput {
  type: ObservableType;
  value: string;
}

export interface Classification {
  category?: string;
  impact?: Impact;
  urgency?: Urgency;
  tlp?: TlpLabel;
  opdUnitId?: string | null;
}

export interface CoordinationInput {
  partyName: string;
  partyKind: CoordinationPartyKind;
  contact?: string;
  contactedAt: string;
  theirReference?: string;
  notes?: string;
}

/** The payload of a workflow step; each action takes some of these parts (see the workflow table). */
export interface IncidentActionRequest {
  note?: string;
  message?: string;
  reason?: string;
  recommendation?: string;
  resolutionReport?: string;
  closureRecord?: string;
  classification?: Classification;
  coordination?: CoordinationInput;
  assignment?: { team: Team; userId: string | null };
  comment?: string;
}

export interface ReportReceipt {
  ticket: string;
  /** The secret tracking link; shown once, never stored by the server (only its hash). */
  trackingUrl: string;
}

export interface StaffReportReceipt {
  incident: IncidentDetail;
  trackingUrl: string;
}

export interface TrackingMilestone {
  at: string;
  kind: string;
  label: LabelText;
  /** A message meant for the reporter (what to add, why rejected, closing words). */
  message: string | null;
}

export interface Tracking {
  ticket: string;
  status: IncidentState;
  statusLabel: LabelText;
  title: string;
  reportedAt: string;
  tlp: TlpLabel;
  /** Withheld under TLP:RED. */
  category: LabelText | null;
  milestones: TrackingMilestone[];
  recommendation: { text: string; sentAt: string } | null;
  recommendationWithheld: boolean;
  canSupplement: boolean;
  closedAt: string | null;
}

export interface Taxonomy {
  rsitVersion: number;
  classes: Array<{ code: string; label: LabelText; types: Array<{ code: string; label: LabelText }> }>;
  quickPicks: Array<{ key: string; label: LabelText; hint: LabelText; category: string }>;
  tlp: Array<{ label: TlpLabel; description: LabelText }>;
  impacts: Impact[];
  urgencies: Urgency[];
  observableTypes: ObservableType[];
}

export interface DurationStats {
  count: number;
  averageHours: number | null;
  medianHours: number | null;
  maxHours: number | null;
}

export interface Compliance {
  met: number;
  missed: number;
  percent: number | null;
}

export interface IncidentMetrics {
  from: string;
  to: string;
  total: number;
  rejected: number;
  open: number;
  timeToValidate: DurationStats;
  timeToInitialRecommendation: DurationStats;
  timeToResolution: DurationStats;
  slaCompliance: Record<SlaTarget | 'overall', Compliance>;
  byMonth: Array<{
    month: string;
    total: number;
    byCategory: Record<string, number>;
    byPriority: Record<string, number>;
    byOpd: Array<{ unitId: string | null; unitName: string | null; count: number }>;
  }>;
}

export interface RecommendationTemplate {
  id: string;
  title: string;
  bodyId: string;
  bodyEn: string;
  categoryCodes: string[];
  active: boolean;
  updatedAt: string;
}

export interface CreateTemplateRequest {
  title: string;
  bodyId: string;
  bodyEn: string;
  categoryCodes?: string[];
}

export interface UpdateTemplateRequest {
  title?: string;
  bodyId?: string;
  bodyEn?: string;
  categoryCodes?: string[];
  active?: boolean;
}
