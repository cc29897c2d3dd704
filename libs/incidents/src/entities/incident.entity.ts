import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { IncidentState } from '../incident.workflow.js';
import type { Impact, Priority, SlaTarget, Urgency } from '../priority.policy.js';
import type { TlpLabel } from '../tlp.js';

export const INCIDENT_SOURCES = ['public', 'staff', 'api'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

@Entity('incidents')
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 20 }) ticket: string;
  @Column({ type: 'varchar', length: 30 }) status: IncidentState;
  @Column({ type: 'varchar', length: 10 }) source: IncidentSource;
  @Column({ name: 'reporter_name', type: 'varchar', length: 200 }) reporterName: string;
  @Column({ name: 'reporter_organisation', type: 'varchar', length: 200, nullable: true }) reporterOrganisation: string | null;
  @Column({ name: 'reporter_unit', type: 'varchar', length: 200, nullable: true }) reporterUnit: string | null;
  @Column({ name: 'reporter_email', type: 'varchar', length: 254, nullable: true }) reporterEmail: string | null;
  /** Legacy clear phone of rows written before encryption at rest; emptied by the backfill. Read through `IncidentService.phoneOf`. */
  @Column({ name: 'reporter_phone', type: 'varchar', length: 50, nullable: true }) reporterPhone: string | null;
  /** The phone sealed with DataCipher (purpose `incident.reporter_phone`). */
  @Column({ name: 'reporter_phone_sealed', type: 'text', nullable: true }) reporterPhoneSealed: string | null;
  @Column({ name: 'reporter_locale', type: 'varchar', length: 2 }) reporterLocale: 'id' | 'en';
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) description: string;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt: Date | null;
  @Column({ name: 'affected_systems', type: 'text', array: true }) affectedSystems: string[];
  @Column({ name: 'category_code', type: 'varchar', length: 100 }) categoryCode: string;
  @Column({ type: 'varchar', length: 10 }) impact: Impact;
  @Column({ type: 'varchar', length: 10 }) urgency: Urgency;
  @Column({ type: 'varchar', length: 2 }) priority: Priority;
  @Column({ type: 'varchar', length: 12 }) tlp: TlpLabel;
  @Column({ name: 'opd_unit_id', type: 'uuid', nullable: true }) opdUnitId: string | null;
  @Column({ name: 'assignee_helpdesk_id', type: 'uuid', nullable: true }) assigneeHelpdeskId: string | null;
  @Column({ name: 'assignee_data_id', type: 'uuid', nullable: true }) assigneeDataId: string | null;
  @Column({ name: 'assignee_analyst_id', type: 'uuid', nullable: true }) assigneeAnalystId: string | null;
  @Column({ name: 'assignee_handler_id', type: 'uuid', nullable: true }) assigneeHandlerId: string | null;
  @Column({ name: 'return_message', type: 'text', nullable: true }) returnMessage: string | null;
  @Column({ name: 'rejection_reason', type: 'text', nullable: true }) rejectionReason: string | null;
  @Column({ type: 'text', nullable: true }) recommendation: string | null;
  @Column({ name: 'recommendation_sent_at', type: 'timestamptz', nullable: true }) recommendationSentAt: Date | null;
  @Column({ name: 'resolution_report', type: 'text', nullable: true }) resolutionReport: string | null;
  @Column({ name: 'closure_record', type: 'text', nullable: true }) closureRecord: string | null;
  @Column({ name: 'closed_automatically', type: 'boolean', default: false }) closedAutomatically: boolean;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column({ name: 'reported_at', type: 'timestamptz' }) reportedAt: Date;
  @Column({ name: 'sla_started_at', type: 'timestamptz' }) slaStartedAt: Date;
  @Column({ name: 'recommendation_due_at', type: 'timestamptz' }) recommendationDueAt: Date;
  @Column({ name: 'resolution_due_at', type: 'timestamptz' }) resolutionDueAt: Date;
  @Column({ name: 'closure_due_at', type: 'timestamptz' }) closureDueAt: Date;
  @Column({ name: 'sla_breached_at', type: 'timestamptz', nullable: true }) slaBreachedAt: Date | null;
  @Column({ name: 'sla_breaches', type: 'text', array: true }) slaBreaches: SlaTarget[];
  @Column({ name: 'sla_warnings_sent', type: 'text', array: true }) slaWarningsSent: SlaTarget[];
  @Column({ name: 'validated_at', type: 'timestamptz', nullable: true }) validatedAt: Date | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true }) recordedAt: Date | null;
  @Column({ name: 'analysis_started_at', type: 'timestamptz', nullable: true }) analysisStartedAt: Date | null;
  @Column({ name: 'recommended_at', type: 'timestamptz', nullable: true }) recommendedAt: Date | null;
  @Column({ name: 'handed_over_at', type: 'timestamptz', nullable: true }) handedOverAt: Date | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'reporter_closed_at', type: 'timestamptz', nullable: true }) reporterClosedAt: Date | null;
  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true }) rejectedAt: Date | null;
  @Column({ name: 'tracking_token_hash', type: 'char', length: 64 }) trackingTokenHash: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
