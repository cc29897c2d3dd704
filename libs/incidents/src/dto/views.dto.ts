import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COORDINATION_PARTY_KINDS, type CoordinationPartyKind } from '../entities/incident-coordination.entity.js';
import { INCIDENT_SOURCES, type IncidentSource } from '../entities/incident.entity.js';
import { INCIDENT_ACTIONS, INCIDENT_STATES, TEAMS, type IncidentAction, type IncidentState, type Team } from '../incident.workflow.js';
import { OBSERVABLE_TYPES, type ObservableType } from '../observable.policy.js';
import {
  IMPACTS,
  PRIORITIES,
  SLA_TARGETS,
  URGENCIES,
  type Impact,
  type Priority,
  type SlaTarget,
  type Urgency,
} from '../priority.policy.js';
import { TLP_LABELS, type TlpLabel } from '../tlp.js';

export class LabelDto {
  @ApiProperty() id: string;
  @ApiProperty() en: string;
}

export class PersonRefDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class AssigneesDto {
  @ApiProperty({ type: PersonRefDto, nullable: true }) helpdesk: PersonRefDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) data: PersonRefDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) analysis: PersonRefDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) handling: PersonRefDto | null;
}

export class NextDueDto {
  @ApiProperty({ enum: SLA_TARGETS, description: 'The first service-level clock still running' }) target: SlaTarget;
  @ApiProperty({ enum: TEAMS, description: 'The team whose work stops that clock' }) team: Team;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ['on_track', 'due_soon', 'breached'] }) status: 'on_track' | 'due_soon' | 'breached';
}

export class IncidentSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'INC-2026-000001' }) ticket: string;
  @ApiProperty({ enum: INCIDENT_STATES }) status: IncidentState;
  @ApiProperty({ enum: TEAMS, nullable: true, description: 'Whose queue holds it now' }) team: Team | null;
  @ApiProperty({ enum: INCIDENT_SOURCES }) source: IncidentSource;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'availability/ddos' }) category: string;
  @ApiProperty({ type: LabelDto }) categoryLabel: LabelDto;
  @ApiProperty({ enum: IMPACTS }) impact: Impact;
  @ApiProperty({ enum: URGENCIES }) urgency: Urgency;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({ enum: TLP_LABELS }) tlp: TlpLabel;
  @ApiProperty({ nullable: true, type: String }) opdUnitId: string | null;
  @ApiProperty({ nullable: true, type: String }) opdUnitName: string | null;
  @ApiProperty() reporterName: string;
  @ApiProperty({ nullable: true, type: String }) reporterOrganisation: string | null;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
  @ApiProperty({ format: 'date-time' }) recommendationDueAt: string;
  @ApiProperty({ format: 'date-time' }) resolutionDueAt: string;
  @ApiProperty({ format: 'date-time' }) closureDueAt: string;
  @ApiProperty({ description: 'Past a due date it has not met' }) overdue: boolean;
  @ApiProperty({ type: NextDueDto, nullable: true, description: 'What is due next, by whom and when; null once every clock has stopped' })
  nextDue: NextDueDto | null;
  @ApiProperty({ enum: SLA_TARGETS, isArray: true }) slaBreaches: SlaTarget[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) escalatedAt: string | null;
  @ApiProperty({ type: AssigneesDto }) assignees: AssigneesDto;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentSummaryDto] }) items: IncidentSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class TimelineEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({
    example: 'validate',
    description: 'An action name, or reported / supplemented / sla_warning / sla_breach / escalated / evidence_downloaded',
  })
  kind: string;
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatus: string | null;
  @ApiProperty({ enum: ['staff', 'reporter', 'system'] }) actorKind: string;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ nullable: true, type: String }) body: string | null;
  @ApiProperty({ type: Object }) detail: Record<string, unknown>;
  @ApiProperty() visibleToReporter: boolean;
}

export class EvidenceDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'SHA-256 of the stored bytes: the file id and the custody fingerprint' }) sha256: string;
  @ApiProperty() size: number;
  @ApiProperty() fileName: string;
  @ApiProperty({ description: 'As declared by the uploader; the file is always served as application/octet-stream' }) contentType: string;
  @ApiProperty({ enum: ['reporter', 'staff'] }) uploader: 'reporter' | 'staff';
  @ApiProperty({ nullable: true, type: String }) uploadedByName: string | null;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
}

export class ObservableDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: OBSERVABLE_TYPES }) type: ObservableType;
  @ApiProperty() value: string;
  @ApiProperty({ description: 'Given by the reporter (else by staff)' }) fromReporter: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CoordinationViewDto {
  @ApiProperty() id: string;
  @ApiProperty() partyName: string;
  @ApiProperty({ enum: COORDINATION_PARTY_KINDS }) partyKind: CoordinationPartyKind;
  @ApiProperty({ nullable: true, type: String }) contact: string | null;
  @ApiProperty({ format: 'date-time' }) contactedAt: string;
  @ApiProperty({ nullable: true, type: String }) theirReference: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedByName: string | null;
}

export class SharedObservableDto {
  @ApiProperty({ enum: OBSERVABLE_TYPES }) type: ObservableType;
  @ApiProperty() value: string;
}

export class CorrelatedIncidentDto {
  @ApiProperty() id: string;
  @ApiProperty() ticket: string;
  @ApiProperty({ enum: INCIDENT_STATES }) status: IncidentState;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
  @ApiProperty({ type: [SharedObservableDto] }) shared: SharedObservableDto[];
}

export class SlaClockDto {
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) metAt: string | null;
  @ApiProperty({ enum: ['on_track', 'due_soon', 'breached', 'met', 'missed'] }) status: string;
}

export class SlaDto {
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: SlaClockDto }) recommendation: SlaClockDto;
  @ApiProperty({ type: SlaClockDto }) resolution: SlaClockDto;
  @ApiProperty({ type: SlaClockDto }) closure: SlaClockDto;
}

export class MilestonesDto {
  @ApiProperty({ nullable: true, type: String }) validatedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) analysisStartedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) recommendedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) handedOverAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reporterClosedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectedAt: string | null;
}

export class ActionFieldDto {
  @ApiProperty({ example: 'coordination.partyName', description: 'Payload path: a part, or a field of an object part' }) name: string;
  @ApiProperty({ example: 'coordination' }) part: string;
  @ApiProperty({
    enum: ['text', 'enum', 'datetime', 'uuid', 'file', 'category', 'org_unit', 'user'],
    description:
      'category: an RSIT code (GET /incident-taxonomy); org_unit: an OPD unit id; user: a member of the team (GET /incidents/teams/{team}/members)',
  })
  type: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ description: 'null is a value here (e.g. no assignee, no OPD unit)' }) nullable: boolean;
  @ApiPropertyOptional() maxLength?: number;
  @ApiPropertyOptional({ type: [String], description: 'The values of an enum field' }) options?: string[];
  @ApiPropertyOptional({ description: 'file: largest file accepted, in bytes' }) maxBytes?: number;
  @ApiPropertyOptional({ description: 'file: most files in one upload' }) maxFiles?: number;
}

export class AllowedActionDto {
  @ApiProperty({ enum: INCIDENT_ACTIONS }) action: IncidentAction;
  @ApiProperty({ enum: INCIDENT_STATES, description: 'The state after the step (the current one for steps that stay)' }) to: IncidentState;
  @ApiProperty({ enum: ['POST', 'DELETE'] }) method: 'POST' | 'DELETE';
  @ApiProperty({
    example: '/incidents/{id}/actions/validate',
    description: 'Under /api/v1; {id} is the incident, {observableId} one of its observables',
  })
  path: string;
  @ApiProperty({ enum: ['json', 'multipart'] }) encoding: 'json' | 'multipart';
  @ApiProperty({ type: [String], description: 'Payload parts the step requires (an object part of optional fields: at least one of them)' })
  requiredParts: string[];
  @ApiProperty({ type: [ActionFieldDto], description: 'The payload the step takes, from the workflow table and the DTOs' })
  fields: ActionFieldDto[];
}

export class IncidentDetailDto extends IncidentSummaryDto {
  @ApiProperty({ nullable: true, type: String }) reporterEmail: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '+62 *********7890',
    description:
      'Masked; the full number through POST /incidents/{id}/reporter-contact (audited). Encrypted at rest, never in lists, exports or the tracking page',
  })
  reporterPhoneMasked: string | null;
  @ApiProperty({ nullable: true, type: String }) reporterUnit: string | null;
  @ApiProperty({ enum: ['id', 'en'] }) reporterLocale: 'id' | 'en';
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) occurredAt: string | null;
  @ApiProperty({ type: [String] }) affectedSystems: string[];
  @ApiProperty({ nullable: true, type: String }) returnMessage: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason: string | null;
  @ApiProperty({ nullable: true, type: String }) recommendation: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) recommendationSentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolutionReport: string | null;
  @ApiProperty({ nullable: true, type: String }) closureRecord: string | null;
  @ApiProperty() closedAutomatically: boolean;
  @ApiProperty({ type: MilestonesDto }) milestones: MilestonesDto;
  @ApiProperty({ type: SlaDto }) sla: SlaDto;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [EvidenceDto] }) evidence: EvidenceDto[];
  @ApiProperty({ type: [ObservableDto] }) observables: ObservableDto[];
  @ApiProperty({ type: [CoordinationViewDto] }) coordinations: CoordinationViewDto[];
  @ApiProperty({ type: [CorrelatedIncidentDto], description: 'Other incidents sharing an observable' }) correlated: CorrelatedIncidentDto[];
  @ApiProperty({
    type: [AllowedActionDto],
    description: "What the caller's roles may do now (the workflow table), each with the payload it takes",
  })
  allowedActions: AllowedActionDto[];
}

/** The reporter's contact in full, for calling them back; each reveal is an audit event. */
export class ReporterContactDto {
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() name: string;
}

export class EvidenceVerificationDto {
  @ApiProperty() evidenceId: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ description: 'Fingerprint taken at upload (the custody record)' }) sha256: string;
  @ApiProperty({ description: 'Size recorded at upload' }) size: number;
  @ApiProperty({
    enum: ['intact', 'mismatch', 'missing'],
    description: 'intact: the stored bytes still hash to the fingerprint; mismatch: they were altered; missing: no stored file',
  })
  status: 'intact' | 'mismatch' | 'missing';
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the bytes found now (null when missing)' }) actualSha256:
    string | null;
  @ApiProperty({ nullable: true, type: Number }) actualSize: number | null;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class TeamMemberDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class PublicFormDto {
  @ApiProperty({ example: 'evidence', description: 'The multipart field of evidence files' }) evidenceField: string;
  @ApiProperty({ description: 'Largest evidence file accepted, in bytes (INCIDENT_EVIDENCE_MAX_BYTES)' }) maxEvidenceBytes: number;
  @ApiProperty({ description: 'Most evidence files in one report or upload (INCIDENT_EVIDENCE_MAX_FILES)' }) maxEvidenceFiles: number;
}

export class StaffReportReceiptDto {
  @ApiProperty({ type: IncidentDetailDto }) incident: IncidentDetailDto;
  @ApiProperty({ description: 'Private tracking link for the reporter; shown once, never stored (only its hash is)' }) trackingUrl: string;
}

export class TrackingMilestoneDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() kind: string;
  @ApiProperty({ type: LabelDto }) label: LabelDto;
  @ApiProperty({ nullable: true, type: String, description: 'A message meant for the reporter (what to add, why rejected, closing words)' })
  message: string | null;
}

export class TrackingRecommendationDto {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
}

export class TrackingDto {
  @ApiProperty() ticket: string;
  @ApiProperty({ enum: INCIDENT_STATES }) status: IncidentState;
  @ApiProperty({ type: LabelDto }) statusLabel: LabelDto;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
  @ApiProperty({ enum: TLP_LABELS }) tlp: TlpLabel;
  @ApiProperty({ type: LabelDto, nullable: true, description: 'Withheld under TLP:RED' }) category: LabelDto | null;
  @ApiProperty({ type: [TrackingMilestoneDto] }) milestones: TrackingMilestoneDto[];
  @ApiProperty({ type: TrackingRecommendationDto, nullable: true }) recommendation: TrackingRecommendationDto | null;
  @ApiProperty({ description: 'A recommendation exists but TLP:RED keeps it off this page' }) recommendationWithheld: boolean;
  @ApiProperty({ description: 'The helpdesk asked for more information; answer with POST /public/incidents/supplement' })
  canSupplement: boolean;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
}

export class QuickPickDto {
  @ApiProperty() key: string;
  @ApiProperty({ type: LabelDto }) label: LabelDto;
  @ApiProperty({ type: LabelDto }) hint: LabelDto;
  @ApiProperty() category: string;
}

export class TaxonomyTypeDto {
  @ApiProperty() code: string;
  @ApiProperty({ type: LabelDto }) label: LabelDto;
}

export class TaxonomyClassDto {
  @ApiProperty() code: string;
  @ApiProperty({ type: LabelDto }) label: LabelDto;
  @ApiProperty({ type: [TaxonomyTypeDto] }) types: TaxonomyTypeDto[];
}

export class TlpOptionDto {
  @ApiProperty({ enum: TLP_LABELS }) label: TlpLabel;
  @ApiProperty({ type: LabelDto }) description: LabelDto;
}

export class TaxonomyDto {
  @ApiProperty({ example: 1003 }) rsitVersion: number;
  @ApiProperty({ type: [TaxonomyClassDto] }) classes: TaxonomyClassDto[];
  @ApiProperty({ type: [QuickPickDto] }) quickPicks: QuickPickDto[];
  @ApiProperty({ type: [TlpOptionDto] }) tlp: TlpOptionDto[];
  @ApiProperty({ enum: IMPACTS, isArray: true }) impacts: Impact[];
  @ApiProperty({ enum: URGENCIES, isArray: true }) urgencies: Urgency[];
  @ApiProperty({ enum: OBSERVABLE_TYPES, isArray: true }) observableTypes: ObservableType[];
}
