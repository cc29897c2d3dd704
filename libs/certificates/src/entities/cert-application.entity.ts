import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApplicationState, Procedure, RaAdapterKind, RevocationReason } from '../certificate.workflow.js';

/** What an update asks to change in the holder's certificate data. */
export interface HolderChanges {
  fullName?: string;
  email?: string;
  nip?: string | null;
  positionTitle?: string;
  orgUnitId?: string;
}

/** One run of a procedure of the service standard (issuance, update, renewal, revocation). */
@Entity('cert_applications')
export class CertApplicationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 20 }) number: string;
  @Column({ type: 'varchar', length: 12 }) procedure: Procedure;
  @Column({ type: 'varchar', length: 10 }) adapter: RaAdapterKind;
  @Column({ type: 'varchar', length: 24 }) state: ApplicationState;
  @Column({ name: 'holder_id', type: 'uuid' }) holderId: string;
  @Column({ name: 'verifier_id', type: 'uuid' }) verifierId: string;
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true }) certificateId: string | null;
  @Column({ name: 'issued_certificate_id', type: 'uuid', nullable: true }) issuedCertificateId: string | null;
  @Column({ name: 'revocation_reason', type: 'varchar', length: 30, nullable: true }) revocationReason: RevocationReason | null;
  @Column({ type: 'jsonb', nullable: true }) changes: HolderChanges | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ name: 'return_reason', type: 'text', nullable: true }) returnReason: string | null;
  @Column({ name: 'decision_reason', type: 'text', nullable: true }) decisionReason: string | null;
  @Column({ name: 'ra_reference', type: 'varchar', length: 100, nullable: true }) raReference: string | null;
  @Column({ name: 'ra_submitted_at', type: 'timestamptz', nullable: true }) raSubmittedAt: Date | null;
  @Column({ name: 'ra_submitted_by', type: 'uuid', nullable: true }) raSubmittedBy: string | null;
  @Column({ name: 'ra_decided_at', type: 'timestamptz', nullable: true }) raDecidedAt: Date | null;
  @Column({ name: 'ra_decided_by', type: 'uuid', nullable: true }) raDecidedBy: string | null;
  @Column({ name: 'ra_last_polled_at', type: 'timestamptz', nullable: true }) raLastPolledAt: Date | null;
  @Column({ name: 'ra_last_status', type: 'varchar', length: 30, nullable: true }) raLastStatus: string | null;
  @Column({ name: 'pending_private_key', type: 'text', nullable: true }) pendingPrivateKey: string | null;
  @Column({ name: 'pending_public_key', type: 'text', nullable: true }) pendingPublicKey: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz' }) submittedAt: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'overdue_notified_at', type: 'timestamptz', nullable: true }) overdueNotifiedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
