// The e-signature certificate contract (libs/certificates) under the names the pages use, kept
// apart from types.ts so the two features can move independently. Shapes come from schema.gen.ts
// (`npm run web:api-types`); this file names them, lists enums at run time (checked by `listOf`),
// and adds what a document cannot carry (error codes, UI-only unions). A disagreement with the API is fixed in the server DTO.

import { listOf } from './enum-list';
import type { components } from './schema.gen';
import type { QueryOf } from './types';

type Schemas = components['schemas'];

export type ApplicationSummary = Schemas['ApplicationSummaryDto'];

/** The four procedures of the service standard (PROCEDURES in certificate.workflow.ts). */
export type Procedure = ApplicationSummary['procedure'];
export const PROCEDURES = listOf<Procedure>()(['issuance', 'renewal', 'update', 'revocation']);

export type RaAdapterKind = ApplicationSummary['adapter'];

export type ApplicationState = ApplicationSummary['state'];
export const APPLICATION_STATES = listOf<ApplicationState>()([
  'awaiting_identity',
  'identity_review',
  'awaiting_passphrase',
  'ra_submission',
  'ra_review',
  'completed',
  'refused',
  'cancelled',
]);

export type ApplicationAction = ApplicationSummary['myActions'][number];

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

export type WaitingOn = NonNullable<ApplicationSummary['waitingOn']>;

/** SLA_STATUSES of libs/core service-standard/sla-clock.ts. */
export type SlaStatus = ApplicationSummary['sla'];

export type CertificateView = Schemas['CertificateViewDto'];

/** RFC 5280 CRLReason names. */
export type RevocationReason = NonNullable<CertificateView['revocationReason']>;

/** What a verifier may ask for (REQUESTABLE_REVOCATION_REASONS). */
export type RequestableRevocationReason = Schemas['RevocationRequestDto']['reason'];
export const REQUESTABLE_REVOCATION_REASONS = listOf<RequestableRevocationReason>()([
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
]);

export type CertificateStatus = CertificateView['status'];

/**
 * Who keeps a certificate's private key: the platform (encrypted under the passphrase; signing on
 * /tte works), the holder (their own CSR; they sign with their own tools), or BSrE.
 */
export type KeyCustody = CertificateView['keyCustody'];

// --- applications ---------------------------------------------------------------------

export type ActionField = Schemas['CertAllowedActionDto']['required'][number];
export type AllowedAction = Schemas['CertAllowedActionDto'];
export type ApplicationTimelineEntry = Schemas['CertTimelineEntryDto'];

export type HolderView = Schemas['HolderViewDto'];
export type IdentityView = Schemas['IdentityViewDto'];
export type CertificateRef = Schemas['CertificateRefDto'];
export type ApplicationDocument = Schemas['DocumentViewDto'];
export type DocumentKind = ApplicationDocument['kind'];
/** The PKCS#10 request the applicant sent, shown while it awaits the RA. */
export type CsrView = Schemas['CsrViewDto'];

export type ApplicationDetail = Schemas['ApplicationDetailDto'];

/** Where the holder's key of an application lives: made here under the passphrase, or the applicant's own (CSR). */
export type KeySource = NonNullable<ApplicationDetail['keySource']>;

export type ApplicationScope = NonNullable<QueryOf<'CertApplicationsController_list'>['scope']>;
export type ApplicationListQuery = QueryOf<'CertApplicationsController_list'>;

export type ApplicationActionRequest = Schemas['ApplicationActionDto'];

/** Multipart fields of `POST /certificates/applications/issuance` (plus `documents`). */
export type IssuanceRequest = Schemas['IssuanceRequestDto'];
export type RenewalRequest = Schemas['RenewalRequestDto'];
export type UpdateRequest = Schemas['UpdateRequestDto'];
export type RevocationRequest = Schemas['RevocationRequestDto'];

// --- certificates ---------------------------------------------------------------------

export type CertificateListQuery = QueryOf<'CertificatesController_list'>;
export type CertificateFilter = NonNullable<CertificateListQuery['status']>;
export const CERTIFICATE_FILTERS = listOf<CertificateFilter>()(['active', 'expiring', 'expired', 'revoked']);

// --- public: applicant links, signing, verification -----------------------------------

export type LinkView = Schemas['LinkViewDto'];

/** The passphrase rules the page explains; the document types `passphraseRules` as plain strings. */
export const PASSPHRASE_RULES = ['min10', 'lettersDigits', 'notPersonal', 'notCommon'] as const;
export type PassphraseRule = (typeof PASSPHRASE_RULES)[number];

export type IdentitySubmission = Schemas['IdentitySubmissionDto'];
export type PassphraseSubmission = Schemas['PassphraseSubmissionDto'];
/** `POST /public/certificates/csr`: a PEM "CERTIFICATE REQUEST" (at most CSR_MAX_CHARS). */
export type CsrSubmission = Schemas['CsrSubmissionDto'];

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

export type StepResult = Schemas['StepResultDto'];

export type SignatureReport = Schemas['SignatureReportDto'];
export type ChainStatus = SignatureReport['chain'];
export type RevocationStatus = SignatureReport['revocation'];
export type Verdict = SignatureReport['verdict'];

export type CertificateReport = Schemas['CertificateReportDto'];
export type CertificateReportStatus = CertificateReport['status'];
/** With the bsre adapter: the certification body's own verdict on a signed PDF, beside ours. */
export type CertificationBodyReport = Schemas['CertificationBodyReportDto'];
export type VerificationReport = Schemas['VerificationReportDto'];

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
