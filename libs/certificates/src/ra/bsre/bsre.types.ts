import { z } from 'zod';

/*
 * The BSrE eSign Client Service contract (API v2) as public integrations use it. Field names are the
 * body's own, typos included (`timestampInfomation`, `signatureAlgoritm`). Sources, by what they show:
 * - request shapes: the BSrE "Esign-Client for User 2.2.0" Postman collection as summarised in public
 *   integration notes (sign: nik|email + passphrase|totp + signatureProperties[] + file[]; status: nik|email;
 *   chain: identity in the path; verify: file (+ password));
 * - response shapes observed live and published sanitised: status `{status_code, message, status}`,
 *   sign `{time, file[]}`, verify `{conclusion, description, signatureCount, signatureInformations[]}`,
 *   chain `{success, data[]}`, bad Basic credentials 401 `{timestamp, status, error, path}`, an empty or
 *   invalid PDF 500, an unknown chain id 400 with a body that is not JSON;
 * - refusals `{error, status_code}` with HTTP 400 (2031 "Passphrase anda salah" in several clients,
 *   2011 user not registered, 2021 no certificate).
 * See the module README for what is confirmed and what is only inferred.
 */

/** Paths of the four endpoints, relative to the service's base URL. */
export const BSRE_PATHS = {
  status: '/api/v2/user/check/status',
  chain: '/api/v2/user/certificate/chain/',
  sign: '/api/v2/sign/pdf',
  verify: '/api/v2/verify/pdf',
} as const;

/** A holder status as the status endpoint names it. The first five are the ones seen live. */
export const BSRE_HOLDER_STATUSES = [
  'ISSUE',
  'REVOKE',
  'EXPIRED',
  'NOT_REGISTERED',
  'NO_CERTIFICATE',
  'SUSPEND',
  'RENEW',
  'NEW',
  'WAITING_FOR_VERIFICATION',
] as const;
export type BsreHolderStatus = (typeof BSRE_HOLDER_STATUSES)[number];

/**
 * Application status codes in the bodies. 1111/2011/2021 come with the status endpoint's answer;
 * 2011/2021/2031 with sign refusals (seen in public clients and live notes). The 2022–2025 and 2041
 * meanings come from a single public client and are not confirmed by the body: we map them, and the
 * test server uses them, but nothing depends on them beyond a clearer refusal code.
 */
export const BSRE_CODES = {
  HAS_CERTIFICATE: 1111,
  NOT_REGISTERED: 2011,
  NO_CERTIFICATE: 2021,
  CERTIFICATE_EXPIRED: 2022,
  CERTIFICATE_RENEWING: 2023,
  CERTIFICATE_SUSPENDED: 2024,
  CERTIFICATE_REVOKED: 2025,
  WRONG_PASSPHRASE: 2031,
  INVALID_DOCUMENT: 2041,
} as const;

/** Who a call is about: the holder's NIK or the e-mail address registered with the body. */
export type BsreIdentity = { nik: string; email?: undefined } | { email: string; nik?: undefined };

export interface BsreClientConfig {
  /** Base URL of the eSign Client Service, e.g. `https://esign.example.go.id` (no credentials in it). */
  baseUrl: string;
  /** HTTP Basic user name issued to the integrator. */
  username: string;
  /** HTTP Basic password issued to the integrator (secret: never logged, never in an error). */
  password: string;
  /** Per-attempt time limit of the status and chain calls. */
  timeoutMs: number;
  /** Time limit of a sign call, and of verify (a many-signature PDF takes tens of seconds to verify). */
  signTimeoutMs: number;
}

/** The holder's status as the body answered it. */
export interface BsreStatusResult {
  status: BsreHolderStatus;
  /** The body's `status_code` (1111 with a certificate, 2011 not registered, 2021 no certificate). */
  statusCode?: number;
  message?: string;
}

/**
 * One element of `signatureProperties`. `tampilan` is VISIBLE or INVISIBLE; a visible signature is placed
 * on `page` (1-based) at `originX`/`originY` with `width`/`height` in PDF points, showing `imageBase64`.
 * Undefined members are left out of the request.
 */
export interface BsreSignatureProperties {
  tampilan: 'VISIBLE' | 'INVISIBLE';
  imageBase64?: string;
  page?: number;
  originX?: number;
  originY?: number;
  width?: number;
  height?: number;
  location?: string;
  reason?: string;
  contactInfo?: string;
}

export type BsreSignPdfRequest = BsreIdentity & {
  passphrase: string;
  /** One element for all files, or one per file (the body pairs them by position). */
  properties: BsreSignatureProperties[];
  files: Uint8Array[];
};

/** Why the body refused to sign. */
export type BsreRefusalCode =
  'WRONG_PASSPHRASE' | 'NOT_REGISTERED' | 'NO_CERTIFICATE' | 'CERTIFICATE_NOT_ACTIVE' | 'INVALID_DOCUMENT' | 'REJECTED';

/** Why we cannot tell whether the body signed: the request left us and no usable answer came back. */
export type BsreUnknownCause = 'TIMEOUT' | 'CONNECTION_LOST' | 'UPSTREAM_ERROR' | 'BAD_RESPONSE';

/** Why nothing was sent at all: the document was certainly not signed. */
export type BsreFailureCode = 'UNREACHABLE' | 'INVALID_REQUEST';

export type BsreSignResult =
  /** The signed PDFs, in the order of the request's files. `time` is the body's own figure. */
  | { outcome: 'signed'; files: Uint8Array[]; time?: number }
  /** The body answered and did not sign. `statusCode` is its application code when it gave one. */
  | { outcome: 'refused'; code: BsreRefusalCode; statusCode?: number; httpStatus: number; message: string }
  /** The request was sent (or may have been): the document may or may not have been signed. */
  | { outcome: 'unknown'; cause: BsreUnknownCause; reason: string; httpStatus?: number }
  /** Certainly not sent (DNS failure, connection refused, invalid input): certainly not signed. */
  | { outcome: 'failed'; code: BsreFailureCode; reason: string };

export interface BsreCertificateDetail {
  id: string | null;
  commonName: string | null;
  issuerName: string | null;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  signatureAlgorithm: string | null;
  keyUsages: string[];
}

export interface BsreSignatureInformation {
  id: string | null;
  fieldName: string | null;
  signerName: string | null;
  /** ISO 8601 as the body gives it. */
  signatureDate: string | null;
  reason: string | null;
  location: string | null;
  /** e.g. PAdES-BASELINE-T, PAdES-BASELINE-LT. */
  signatureFormat: string | null;
  integrityValid: boolean;
  certificateTrusted: boolean;
  ltv: boolean | null;
  modified: boolean | null;
  /** The body sets this false even on the only signature: do not use it to find the newest one. */
  lastSignature: boolean | null;
  certLevelCode: number | null;
  signatureAlgorithm: string | null;
  digestAlgorithm: string | null;
  timestamp: { id: string | null; signerName: string | null; timestampDate: string | null } | null;
  certificates: BsreCertificateDetail[];
}

/** What the verify endpoint concluded. Known conclusions: VALID, INVALID, WARNING, NO_SIGNATURE. */
export interface BsreVerifyResult {
  conclusion: string;
  description: string | null;
  signatureCount: number;
  signatures: BsreSignatureInformation[];
  documentName: string | null;
  warnings: string[];
}

/* ---------------------------------------------------------------------------------------------- */
/* Wire shapes: the JSON bodies as they travel. The client parses with these; the test server     */
/* builds its answers against them, so both speak one contract.                                   */
/* ---------------------------------------------------------------------------------------------- */

const text = z.string().nullish();
/** Codes arrive as numbers, and in some answers as numeric strings. */
const code = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

export const bsreWireStatusResponse = z.object({
  status_code: code.nullish(),
  message: text,
  status: z.string(),
});
export type BsreWireStatusResponse = z.input<typeof bsreWireStatusResponse>;

/** An application refusal: `{ error, status_code }`, with HTTP 400 on the sign endpoint. */
export const bsreWireError = z.object({ error: z.string(), status_code: code.nullish() });
export type BsreWireError = z.input<typeof bsreWireError>;

/** Spring Boot's default error body (401 on bad Basic credentials, 500 on an empty PDF). */
export interface BsreWireSpringError {
  timestamp: string;
  status: number;
  error: string;
  message?: string;
  path: string;
}

export const bsreWireChainResponse = z.object({
  success: z.boolean(),
  data: z.array(z.string()).nullish(),
  message: text,
});
export type BsreWireChainResponse = z.input<typeof bsreWireChainResponse>;

export interface BsreWireSignRequest {
  nik?: string;
  email?: string;
  passphrase?: string;
  totp?: string;
  signatureProperties: BsreSignatureProperties[];
  file: string[];
}

export const bsreWireSignResponse = z.object({
  time: z.number().nullish(),
  file: z.array(z.string()),
});
export type BsreWireSignResponse = z.input<typeof bsreWireSignResponse>;

export interface BsreWireVerifyRequest {
  file: string;
  password?: string;
}

const wireCertificateDetail = z.object({
  id: text,
  commonName: text,
  issuerName: text,
  serialNumber: z.union([z.string(), z.number()]).nullish(),
  notBeforeDate: text,
  notAfterDate: text,
  signatureAlgoritm: text,
  keyUsages: z.array(z.string()).nullish(),
});

const wireSignatureInformation = z.object({
  id: text,
  signatureFormat: text,
  signerName: text,
  signatureDate: text,
  fieldName: text,
  reason: text,
  location: text,
  certLevelCode: z.number().nullish(),
  signatureAlgorithm: text,
  digestAlgorithm: text,
  timestampInfomation: z.object({ id: text, signerName: text, timestampDate: text }).nullish(),
  certificateDetails: z.array(wireCertificateDetail).nullish(),
  integrityValid: z.boolean().nullish(),
  certificateTrusted: z.boolean().nullish(),
  lastSignature: z.boolean().nullish(),
  ltv: z.boolean().nullish(),
  modified: z.boolean().nullish(),
});

export const bsreWireVerifyResponse = z.object({
  documentName: text,
  conclusion: z.string(),
  description: text,
  signatureCount: z.number().int().nonnegative().nullish(),
  signatureInformations: z.array(wireSignatureInformation).nullish(),
  warning: z.array(z.string()).nullish(),
});
export type BsreWireVerifyResponse = z.input<typeof bsreWireVerifyResponse>;
export type BsreWireSignatureInformation = z.input<typeof wireSignatureInformation>;
