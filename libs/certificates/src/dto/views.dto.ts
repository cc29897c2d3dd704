import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLA_STATUSES, type SlaStatus } from '@sandi/core';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  PROCEDURES,
  RA_ADAPTERS,
  REVOCATION_REASONS,
  type ActionField,
  type ApplicationAction,
  type ApplicationState,
  type Procedure,
  type RaAdapterKind,
  type RevocationReason,
} from '../certificate.workflow.js';

export class CertAllowedActionDto {
  @ApiProperty({ enum: APPLICATION_ACTIONS }) action: ApplicationAction;
  @ApiProperty({ enum: ['identity', 'reason', 'passphrase', 'csr', 'reference', 'note'], isArray: true }) required: ActionField[];
  @ApiProperty({ enum: ['identity', 'reason', 'passphrase', 'csr', 'reference', 'note'], isArray: true }) optional: ActionField[];
}

export class ApplicationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'TTE-2026-000001' }) number: string;
  @ApiProperty({ enum: PROCEDURES }) procedure: Procedure;
  @ApiProperty({ enum: RA_ADAPTERS }) adapter: RaAdapterKind;
  @ApiProperty({ enum: APPLICATION_STATES }) state: ApplicationState;
  @ApiProperty({ enum: ['verifier', 'applicant', 'ra'], nullable: true, type: String }) waitingOn: 'verifier' | 'applicant' | 'ra' | null;
  @ApiProperty() holderName: string;
  @ApiProperty() holderEmail: string;
  @ApiProperty({ example: '3174********0001' }) nikMasked: string;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty() submittedAt: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ enum: SLA_STATUSES }) sla: SlaStatus;
  @ApiProperty({ enum: APPLICATION_ACTIONS, isArray: true }) myActions: ApplicationAction[];
}

export class ApplicationPageDto {
  @ApiProperty({ type: [ApplicationSummaryDto] }) items: ApplicationSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class HolderViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() nikMasked: string;
  @ApiProperty({ nullable: true, type: String }) nip: string | null;
  @ApiProperty() positionTitle: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
}

export class IdentityViewDto {
  @ApiProperty() fullNameOnId: string;
  @ApiProperty() birthPlace: string;
  @ApiProperty() birthDate: string;
  @ApiProperty() address: string;
  @ApiProperty() phone: string;
  @ApiProperty() submittedAt: string;
}

export class CertificateRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() serial: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired', 'not_yet_valid'] }) status: string;
  @ApiProperty() notBefore: string;
  @ApiProperty() notAfter: string;
}

export class DocumentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['recommendation_letter', 'supporting_document'] }) kind: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty() uploadedAt: string;
}

export class CertTimelineEntryDto {
  @ApiProperty() at: string;
  @ApiProperty({ enum: ['user', 'applicant', 'system'] }) actorKind: string;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) fromState: string | null;
  @ApiProperty({ nullable: true, type: String }) toState: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

export class CsrViewDto {
  @ApiProperty({ description: 'Subject as requested (not copied into the certificate)' }) requestedSubject: string;
  @ApiProperty({ type: [String] }) requestedEmails: string[];
  @ApiProperty({ example: 'EC P-256' }) key: string;
  @ApiProperty({ example: 'ecdsa-with-SHA256' }) signatureAlgorithm: string;
  @ApiProperty() pem: string;
}

export class ApplicationDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ enum: PROCEDURES }) procedure: Procedure;
  @ApiProperty({ enum: RA_ADAPTERS }) adapter: RaAdapterKind;
  @ApiProperty({ enum: APPLICATION_STATES }) state: ApplicationState;
  @ApiProperty({ enum: ['verifier', 'applicant', 'ra'], nullable: true, type: String }) waitingOn: 'verifier' | 'applicant' | 'ra' | null;
  @ApiProperty({ type: HolderViewDto }) holder: HolderViewDto;
  @ApiPropertyOptional({ type: IdentityViewDto, nullable: true, description: 'Only for verifiers and RA operators' })
  identity: IdentityViewDto | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) changes: Record<string, unknown> | null;
  @ApiProperty({ enum: REVOCATION_REASONS, nullable: true, type: String }) revocationReason: RevocationReason | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String }) returnReason: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason: string | null;
  @ApiProperty({ nullable: true, type: String }) raReference: string | null;
  @ApiProperty({ nullable: true, type: String }) raSubmittedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) raDecidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) raLastStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) raLastPolledAt: string | null;
  @ApiProperty({
    enum: ['platform', 'csr'],
    nullable: true,
    type: String,
    description: "Where the holder's key lives: made by the platform under the passphrase, or the applicant's own (CSR)",
  })
  keySource: 'platform' | 'csr' | null;
  @ApiProperty({ type: CsrViewDto, nullable: true, description: 'The PKCS#10 request the applicant sent, while it awaits the RA' })
  csr: CsrViewDto | null;
  @ApiProperty({ type: CertificateRefDto, nullable: true }) certificate: CertificateRefDto | null;
  @ApiProperty({ type: CertificateRefDto, nullable: true }) issuedCertificate: CertificateRefDto | null;
  @ApiProperty() submittedAt: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ enum: SLA_STATUSES }) sla: SlaStatus;
  @ApiProperty({ type: [DocumentViewDto] }) documents: DocumentViewDto[];
  @ApiProperty({ type: [CertTimelineEntryDto] }) timeline: CertTimelineEntryDto[];
  @ApiProperty({ type: [CertAllowedActionDto] }) allowedActions: CertAllowedActionDto[];
}

export class LinkViewDto {
  @ApiProperty({ enum: ['identity', 'passphrase'] }) purpose: 'identity' | 'passphrase';
  @ApiProperty() number: string;
  @ApiProperty({ enum: PROCEDURES }) procedure: Procedure;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() nikMasked: string;
  @ApiProperty() positionTitle: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) returnReason: string | null;
  @ApiProperty({ type: [String] }) passphraseRules: string[];
  @ApiProperty({ description: 'Passphrase links: the applicant may send their own PKCS#10 request instead' }) csrAccepted: boolean;
}

export class StepResultDto {
  @ApiProperty() number: string;
  @ApiProperty({ enum: APPLICATION_STATES }) state: ApplicationState;
}

export class CertificateViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() serial: string;
  @ApiProperty() subject: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: RA_ADAPTERS }) adapter: RaAdapterKind;
  @ApiProperty() keyAlgorithm: string;
  @ApiProperty() notBefore: string;
  @ApiProperty() notAfter: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired', 'not_yet_valid'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ enum: REVOCATION_REASONS, nullable: true, type: String }) revocationReason: RevocationReason | null;
  @ApiProperty() fingerprint: string;
  @ApiProperty({
    enum: ['platform', 'holder', 'bsre'],
    description:
      'Who keeps the private key: the platform (encrypted under the passphrase; signing here works), the holder (their own CSR), or BSrE',
  })
  keyCustody: 'platform' | 'holder' | 'bsre';
  @ApiProperty({ description: 'Days until notAfter (negative once expired)' }) daysLeft: number;
  @ApiProperty({ description: 'Active and expiring within 30 days: due for renewal' }) dueForRenewal: boolean;
  @ApiProperty({ format: 'uuid' }) holderId: string;
  @ApiProperty() holderName: string;
  @ApiProperty() nikMasked: string;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
}

export class CertificatePageDto {
  @ApiProperty({ type: [CertificateViewDto] }) items: CertificateViewDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
