// The /api/v1 contract (core + incidents) under the names the pages use. The shapes come from
// schema.gen.ts, generated from apps/api/openapi.json (`npm run web:api-types`); this file only
// names them, lists enums at run time (checked against the generated unions by `listOf`), and
// adds what a document cannot carry (the problem type, page wrappers). Where the document and the API disagree, fix the server DTO, not this file.

import { listOf } from './enum-list';
import type { components, operations } from './schema.gen';

type Schemas = components['schemas'];
/** The query parameters of an operation, by its operationId. */
export type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type Locale = Schemas['UserDto']['locale'];
export type RoleCode = Schemas['UserDto']['roles'][number];

/** RFC 9457 problem details, with the field errors our validation pipe adds (not in the document). */
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

/** The shape of every `*PageDto`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type PageQuery = QueryOf<'MailboxController_list'>;

// --- auth ---------------------------------------------------------------------------

export type Me = Schemas['MeDto'];
export type LoginRequest = Schemas['LoginDto'];
export type SessionResponse = Schemas['SessionResponseDto'];
export type ChangePasswordRequest = Schemas['ChangePasswordDto'];

// --- meta ---------------------------------------------------------------------------

export type RoleInfo = Schemas['RoleOptionDto'];

// --- users --------------------------------------------------------------------------

export type User = Schemas['UserDto'];
export type UserListQuery = QueryOf<'UsersController_list'>;

export type CreateUserRequest = Schemas['CreateUserDto'];
export type UpdateUserRequest = Schemas['UpdateUserDto'];
export type ResetPasswordRequest = Schemas['ResetPasswordDto'];

// --- organisation -------------------------------------------------------------------

export type UnitKind = Schemas['UnitDto']['kind'];
export const UNIT_KINDS = listOf<UnitKind>()(['dinas', 'badan', 'kantor', 'bagian', 'bidang', 'seksi', 'kecamatan', 'lainnya']);

export type Unit = Schemas['UnitDto'];
export type CreateUnitRequest = Schemas['CreateUnitDto'];
export type UpdateUnitRequest = Schemas['UpdateUnitDto'];
export type Position = Schemas['PositionDto'];
export type CreatePositionRequest = Schemas['CreatePositionDto'];

// --- audit --------------------------------------------------------------------------

export type AuditEvent = Schemas['AuditEventDto'];
/** Redacted {before, after, detail} of the change, as stored in the hash chain. */
export type AuditSummary = AuditEvent['summary'];
export type AuditEventQuery = QueryOf<'AuditController_events'>;
export type AuditVerifyResult = Schemas['AuditVerifyDto'];

// --- mailbox ------------------------------------------------------------------------

export type OutboxMessage = Schemas['OutboxMessageDto'];
export type MailStatus = OutboxMessage['status'];

// --- scheduler ----------------------------------------------------------------------

export type JobRun = Schemas['JobRunDto'];
export type JobStatus = JobRun['status'];
export type JobRunQuery = QueryOf<'JobsController_runs'>;

// --- SOC incidents (libs/incidents) ---------------------------------------------------

/** A text in both UI languages, as the API gives labels. */
export type LabelText = Schemas['LabelDto'];

export type IncidentSummary = Schemas['IncidentSummaryDto'];
export type IncidentDetail = Schemas['IncidentDetailDto'];

export type IncidentState = IncidentSummary['status'];
export const INCIDENT_STATES = listOf<IncidentState>()([
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
]);

/** A step the viewer may take now, with where it goes and the payload it takes. */
export type AllowedAction = Schemas['AllowedActionDto'];
export type IncidentAction = AllowedAction['action'];
export const INCIDENT_ACTIONS = listOf<IncidentAction>()([
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
]);

export type Team = NonNullable<IncidentSummary['team']>;
export const TEAMS = listOf<Team>()(['helpdesk', 'data', 'analysis', 'handling']);

export type IncidentSource = IncidentSummary['source'];

export type Impact = IncidentSummary['impact'];
export const IMPACTS = listOf<Impact>()(['low', 'medium', 'high', 'critical']);
export type Urgency = IncidentSummary['urgency'];
export const URGENCIES = listOf<Urgency>()(['low', 'medium', 'high']);
export type Priority = IncidentSummary['priority'];
export const PRIORITIES = listOf<Priority>()(['P1', 'P2', 'P3', 'P4']);

export type NextDue = Schemas['NextDueDto'];
export type SlaTarget = NextDue['target'];
export const SLA_TARGETS = listOf<SlaTarget>()(['recommendation', 'resolution', 'closure']);
export type SlaClock = Schemas['SlaClockDto'];
export type SlaClockStatus = SlaClock['status'];

export type TlpLabel = IncidentSummary['tlp'];
export const TLP_LABELS = listOf<TlpLabel>()(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']);

export type Observable = Schemas['ObservableDto'];
export type ObservableType = Observable['type'];
export const OBSERVABLE_TYPES = listOf<ObservableType>()([
  'ipv4',
  'ipv6',
  'domain',
  'hostname',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'cve',
  'asn',
]);

export type CoordinationView = Schemas['CoordinationViewDto'];
export type CoordinationPartyKind = CoordinationView['partyKind'];

export type StaffChannel = Schemas['StaffReportDto']['channel'];
export const STAFF_CHANNELS = listOf<StaffChannel>()(['phone', 'letter', 'email', 'walk_in', 'other']);

export type PersonRef = Schemas['PersonRefDto'];

/**
 * One field of a step's payload, as the API derives it from the workflow table and its DTOs:
 * `category` takes an RSIT code (taxonomy), `org_unit` an OPD unit id, `user` a team member's id.
 */
export type ActionField = Schemas['ActionFieldDto'];
export type ActionFieldType = ActionField['type'];

export type TeamMember = Schemas['TeamMemberDto'];
/** GET /public/incidents/form: what the report form must respect before it uploads. */
export type PublicIncidentForm = Schemas['PublicFormDto'];
/** The reporter's contact in full (each reveal is audited). */
export type ReporterContact = Schemas['ReporterContactDto'];
export type EvidenceVerification = Schemas['EvidenceVerificationDto'];
export type TimelineEntry = Schemas['TimelineEntryDto'];
export type Evidence = Schemas['EvidenceDto'];
export type CorrelatedIncident = Schemas['CorrelatedIncidentDto'];
export type IncidentMilestones = Schemas['MilestonesDto'];

export type IncidentListQuery = QueryOf<'IncidentsController_list'>;
export type ObservableInput = Schemas['ObservableInputDto'];
export type Classification = Schemas['ClassificationDto'];
export type CoordinationInput = Schemas['CoordinationDto'];
/** The payload of a workflow step; each action takes some of these parts (see the workflow table). */
export type IncidentActionRequest = Schemas['IncidentActionDto'];

export type ReportReceipt = Schemas['ReportReceiptDto'];
export type StaffReportReceipt = Schemas['StaffReportReceiptDto'];
export type TrackingMilestone = Schemas['TrackingMilestoneDto'];
export type Tracking = Schemas['TrackingDto'];
export type Taxonomy = Schemas['TaxonomyDto'];

export type DurationStats = Schemas['DurationStatsDto'];
export type Compliance = Schemas['ComplianceDto'];
export type IncidentMetrics = Schemas['IncidentMetricsDto'];
export type IncidentMetricsQuery = QueryOf<'IncidentReportsController_metrics'>;

export type RecommendationTemplate = Schemas['TemplateDto'];
export type TemplateListQuery = QueryOf<'RecommendationTemplatesController_list'>;
export type CreateTemplateRequest = Schemas['CreateTemplateDto'];
export type UpdateTemplateRequest = Schemas['UpdateTemplateDto'];
