// Hand-written mirror of the e-signature certificate contract (libs/certificates/src/dto/*.ts,
// certificate.workflow.ts), kept apart from types.ts so the two features can move independently.

import type { PageQuery } from './types';

/** The four procedures of the service standard (PROCEDURES in certificate.workflow.ts). */
export const PROCEDURES = ['issuance', 'renewal', 'update', 'revocation'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const RA_ADAPTERS = ['local', 'bsre'] as const;
export type RaAdapterKind = (typeof RA_ADAPTERS)[number];

export const APPLICATION_STATES = [
  'awaiting_identity',
  'identity_review',
  'awaiting_passphrase',
  'ra_submission',
  'ra_review',
  'completed',
  'refused',
  'cancelled',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const FINAL_APPLICATION_STATES: readonly ApplicationState[] = ['completed', 'refused', 'cancelled'];

export const APPLICATION_ACTIONS = [
  'submit_identity',
  'approve_identity',
  'return_identity',
  'set_passphrase',
  'submit_csr',
  'record_submission',
  'ra_approve',
  'ra_refuse',
  'resend_link',
  'cancel',
] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

/** The staff steps `POST /certificates/applications/:id/actions/:action` accepts. */
export const STAFF_ACTIONS = [
  'approve_identity',
  'return_identity',
  'record_submission',
  'ra_approve',
  'ra_refuse',
  'resend_link',
  'cancel',
] as const satisfies readonly ApplicationAction[];
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** `csr` only for the applicant's submit_csr; staff never see it. */
export type ActionField = 'identity' | 'reason' | 'passphrase' | 'csr' | 'reference' | 'note';

export type WaitingOn = 'verifier' | 'applicant' | 'ra';

/** SLA_STATUSES of libs/core service-standard/sla-clock.ts. */
export type SlaStatus = 'on_track' | 'due_soon' | 'breached' | 'met' | 'missed';

/** RFC 5280 CRLReason names. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** What a verifier may ask for (REQUESTABLE_REVOCATION_REASONS). */
export const REQUESTABLE_REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const satisfies readonly RevocationReason[];
export type RequestableRevocationReason = (typeof REQUESTABLE_REVOCATION_REASONS)[number];

export type CertificateStatus = 'active' | 'revoked' | 'expired' | 'not_yet_valid';

/**
 * Who keeps a certificate's private key: the platform (encrypted under the passphrase; signing on
 * /tte works), the holder (their own CSR; they sign with their own tools), or BSrE.
 */
export const KEY_CUSTODIES = ['platform', 'holder', 'bsre'] as const;
export type KeyCustody = (typeof KEY_CUSTODIES)[number];

// --- applications ---------------------------------------------------------------------

export interface AllowedAction {
  action: ApplicationAction;
  required: ActionField[];
  optional: ActionField[];
}

export interface ApplicationSummary {
  id: string;
  number: string;
  procedure: Procedure;
  adapter: RaAdapterKind;
  state: ApplicationState;
  waitingOn: WaitingOn | null;
  holderName: string;
  holderEmail: string;
  nikMasked: string;
  unitName: string | null;
  submittedAt: string;
  dueAt: string;
  sla: SlaStatus;
  myActions: ApplicationAction[];
}

export interface HolderView {
  id: string;
  fullName: string;
  email: string;
  nikMasked: string;
  nip: string | null;
  positionTitle: string;
  orgUnitId: string;
  unitName: string | null;
}

export interface IdentityView {
  fullNameOnId: string;
  birthPlace: string;
  birthDate: string;
  address: string;
  phone: string;
  submittedAt: string;
}

export interface CertificateRef {
  id: string;
  serial: string;
  status: CertificateStatus;
  notBefore: string;
  notAfter: string;
}

export type DocumentKind = 'recommendation_letter' | 'supporting_document';

export interface ApplicationDocument {
  id: string;
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

export interface ApplicationTimelineEntry {
  at: string;
  actorKind: 'user' | 'applicant' | 'system';
  actorName: string | null;
  /** An ApplicationAction, or `submitted` for the verifier's submission. */
  action: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
}

/** Where the holder's key of an application lives: made here under the passphrase, or the applicant's own (CSR). */
export type KeySource = 'platform' | 'csr';

/** The PKCS#10 request the applicant sent (CsrViewDto), shown while it awaits the RA. */
export interface CsrView {
  /** As requested; NOT copied into the certificate, which carries the verified identity. */
  requestedSubject: string;
  requestedEmails: string[];
  /** e.g. `EC P-256`, `RSA 3072` */
  key: string;
  /** e.g. `ecdsa-with-SHA256` */
  signatureAlgorithm: string;
  pem: string;
}

export interface ApplicationDetail {
  id: string;
  number: string;
  procedure: Procedure;
  adapter: RaAdapterKind;
  state: ApplicationState;
  waitingOn: WaitingOn | null;
  holder: HolderView;
  /** Only for verifiers and RA operators, once the applicant submitted it. */
  identity: IdentityView | null;
  /** Update procedure: the fields that change. */
  changes: Record<string, unknown> | null;
  revocationReason: RevocationReason | null;
  note: string | null;
  returnReason: string | null;
  decisionReason: string | null;
  raReference: string | null;
  raSubmittedAt: string | null;
  raDecidedAt: string | null;
  raLastStatus: string | null;
  raLastPolledAt: string | null;
  /** Null until the applicant chose at the passphrase step (and for procedures without that step). */
  keySource: KeySource | null;
  /** The applicant's request, while it awaits the RA. */
  csr: CsrView | null;
  /** The certificate the procedure starts from (renewal, update, revocation). */
  certificate: CertificateRef | null;
  /** The certificate the procedure issued. */
  issuedCertificate: CertificateRef | null;
  submittedAt: string;
  dueAt: string;
  finishedAt: string | null;
  sla: SlaStatus;
  documents: ApplicationDocument[];
  timeline: ApplicationTimelineEntry[];
  allowedActions: AllowedAction[];
}

export type ApplicationScope = 'open' | 'finished' | 'all';

export interface ApplicationListQuery extends PageQuery {
  scope?: ApplicationScope;
  procedure?: Procedure;
  state?: ApplicationState;
  q?: string;
}

export interface ApplicationActionRequest {
  reason?: string;
  reference?: string;
  note?: string;
}

/** Multipart fields of `POST /certificates/applications/issuance` (plus `documents`). */
export interface IssuanceRequest {
  fullName: string;
  email: string;
  nik: string;
  nip?: string;
  positionTitle: string;
  orgUnitId: string;
  note?: string;
}

export interface RenewalRequest {
  certificateId: string;
  note?: string;
}

export interface UpdateRequest extends RenewalRequest {
  fullName?: string;
  email?: string;
  nip?: string;
  positionTitle?: string;
  orgUnitId?: string;
}

export interface RevocationRequest extends RenewalRequest {
  reason: RequestableRevocationReason;
}

// --- certificates ---------------------------------------------------------------------

export interface CertificateView {
  id: string;
  serial: string;
  subject: string;
  email: string;
  adapter: RaAdapterKind;
  keyAlgorithm: string;
  notBefore: string;
  notAfter: string;
  status: CertificateStatus;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  fingerprint: string;
  keyCustody: KeyCustody;
  /** Days until notAfter (negative once expired). */
  daysLeft: number;
  /** Active and expiring within 30 days. */
  dueForRenewal: boolean;
  holderId: string;
  holderName: string;
  nikMasked: string;
  unitName: string | null;
}

export const CERTIFICATE_FILTERS = ['active', 'expiring', 'expired', 'revoked'] as const;
export type CertificateFilter = (typeof CERTIFICATE_FILTERS)[number];

export interface CertificateListQuery extends PageQuery {
  status?: CertificateFilter;
  q?: string;
}

// --- public: applicant links, signing, verification -----------------------------------

export type PassphraseRule = 'min10' | 'lettersDigits' | 'notPersonal' | 'notCommon';

export interface LinkView {
  purpose: 'identity' | 'passphrase';
  number: string;
  procedure: Procedure;
  fullName: string;
  email: string;
  nikMasked: string;
  positionTitle: string;
  expiresAt: string;
  returnReason: string | null;
  passphraseRules: PassphraseRule[];
  /** Passphrase links of the local CA: the applicant may send their own PKCS#10 request instead. */
  csrAccepted: boolean;
}

export interface IdentitySubmission {
  token: string;
  nik: string;
  fullNameOnId: string;
  birthPlace: string;
  /** YYYY-MM-DD */
  birthDate: string;
  address: string;
  phone: string;
}

export interface PassphraseSubmission {
  token: string;
  passphrase: string;
  passphraseConfirmation: string;
}

/** `POST /public/certificates/csr`: a PEM "CERTIFICATE REQUEST" (at most CSR_MAX_CHARS). */
export interface CsrSubmission {
  token: string;
  csr: string;
}

/** The `reason` of a `certificates.malformed_csr` problem. */
export const CSR_PROBLEM_REASONS = [
  'MALFORMED_CSR',
  'BAD_CSR_SIGNATURE',
  'WEAK_KEY',
  'UNSUPPORTED_KEY',
  'UNSUPPORTED_ALGORITHM',
  'EMAIL_MISMATCH',
] as const;
export type CsrProblemReason = (typeof CSR_PROBLEM_REASONS)[number];

export interface StepResult {
  number: string;
  state: ApplicationState;
}

export type ChainStatus = 'trusted' | 'untrusted' | 'invalid';
export type RevocationStatus = 'good' | 'revoked' | 'unknown';
export type Verdict = 'valid' | 'invalid' | 'indeterminate';

export interface SignatureReport {
  fieldName: string;
  signerName: string | null;
  signerEmail: string | null;
  serial: string | null;
  signingTime: string | null;
  reason: string | null;
  location: string | null;
  /** The signed bytes are unchanged and the signature verifies. */
  intact: boolean;
  /** Nothing was added to the document after this signature. */
  coversWholeDocument: boolean;
  chain: ChainStatus;
  chainProblem: string | null;
  revocation: RevocationStatus;
  revokedAt: string | null;
  /** The certificate was in its period and not revoked when it signed. */
  validAtSigning: boolean;
  verdict: Verdict;
}

export type CertificateReportStatus = 'valid' | 'expired' | 'not_yet_valid' | 'revoked' | 'untrusted';

export interface CertificateReport {
  subject: string;
  issuer: string;
  serial: string;
  email: string | null;
  notBefore: string;
  notAfter: string;
  fingerprint: string;
  chainSubjects: string[];
  chain: ChainStatus;
  chainProblem: string | null;
  revocation: RevocationStatus;
  revokedAt: string | null;
  revocationReason: string | null;
  status: CertificateReportStatus;
}

/** With the bsre adapter: the certification body's own verdict on a signed PDF, beside ours. */
export interface CertificationBodyReport {
  checked: boolean;
  conclusion: string | null;
  description: string | null;
  signatures: Array<{ signerName: string | null; signatureDate: string | null; integrityValid: boolean; certificateTrusted: boolean }>;
  problem: string | null;
}

export interface VerificationReport {
  kind: 'pdf' | 'certificate';
  certificate?: CertificateReport;
  signatures?: SignatureReport[];
  certificationBody?: CertificationBodyReport;
  checkedAt: string;
}

/** Error codes of libs/certificates certificate.exception.ts the pages react to (problem `code`). */
export const CERT_ERROR = {
  linkInvalid: 'certificates.link_invalid',
  linkUsed: 'certificates.link_used',
  linkExpired: 'certificates.link_expired',
  identityMismatch: 'certificates.identity_mismatch',
  weakPassphrase: 'certificates.weak_passphrase',
  noSigningCertificate: 'certificates.no_signing_certificate',
  certificateNotActive: 'certificates.certificate_not_active',
  wrongPassphrase: 'certificates.wrong_passphrase',
  signingLocked: 'certificates.signing_locked',
  signingOutcomeUnknown: 'certificates.signing_outcome_unknown',
  signingRefused: 'certificates.signing_refused',
  invalidPdf: 'certificates.invalid_pdf',
  invalidNik: 'certificates.invalid_nik',
  unrecognisedFile: 'certificates.unrecognised_file',
  malformedCertificate: 'certificates.malformed_certificate',
  malformedCsr: 'certificates.malformed_csr',
  raUnavailable: 'certificates.ra_unavailable',
} as const;
