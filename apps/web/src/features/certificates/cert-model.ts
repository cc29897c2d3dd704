import {
  APPLICATION_STATES,
  CSR_PROBLEM_REASONS,
  PROCEDURES,
  STAFF_ACTIONS,
  type ApplicationState,
  type CertificateReportStatus,
  type CertificateStatus,
  type ChainStatus,
  type CsrProblemReason,
  type Procedure,
  type RevocationStatus,
  type SignatureReport,
  type SlaStatus,
  type StaffAction,
  type Verdict,
} from '../../api/certificates.types';
import { isApiError } from '../../api/client';

/**
 * What the certificate screens need beyond what the API says per application. The API decides who
 * may do what (`allowedActions`, from libs/certificates/src/certificate.workflow.ts); this file only
 * knows how each step looks, how states are coloured, and the client-side mirrors of the identity
 * and passphrase checks that give early hints (the server stays the authority).
 */

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export function isProcedure(v: string | null | undefined): v is Procedure {
  return !!v && (PROCEDURES as readonly string[]).includes(v);
}

export function isApplicationState(v: string | null | undefined): v is ApplicationState {
  return !!v && (APPLICATION_STATES as readonly string[]).includes(v);
}

export function isStaffAction(v: string): v is StaffAction {
  return (STAFF_ACTIONS as readonly string[]).includes(v);
}

export function stateTone(state: ApplicationState): Tone {
  switch (state) {
    case 'awaiting_identity':
    case 'awaiting_passphrase':
      return 'muted';
    case 'identity_review':
    case 'ra_submission':
    case 'ra_review':
      return 'info';
    case 'completed':
      return 'ok';
    case 'refused':
      return 'error';
    case 'cancelled':
      return 'warn';
  }
}

/** Same colours as the incident queue's SLA badges. */
export function slaTone(status: SlaStatus): Tone {
  switch (status) {
    case 'on_track':
      return 'info';
    case 'due_soon':
      return 'warn';
    case 'breached':
    case 'missed':
      return 'error';
    case 'met':
      return 'ok';
  }
}

export function certificateTone(status: CertificateStatus, dueForRenewal = false): Tone {
  switch (status) {
    case 'active':
      return dueForRenewal ? 'warn' : 'ok';
    case 'revoked':
      return 'error';
    case 'expired':
      return 'muted';
    case 'not_yet_valid':
      return 'info';
  }
}

export function verdictTone(verdict: Verdict): Tone {
  switch (verdict) {
    case 'valid':
      return 'ok';
    case 'invalid':
      return 'error';
    case 'indeterminate':
      return 'warn';
  }
}

export function chainTone(chain: ChainStatus): Tone {
  return chain === 'trusted' ? 'ok' : chain === 'invalid' ? 'error' : 'warn';
}

export function revocationTone(status: RevocationStatus): Tone {
  return status === 'good' ? 'ok' : status === 'revoked' ? 'error' : 'warn';
}

export function certReportTone(status: CertificateReportStatus): Tone {
  switch (status) {
    case 'valid':
      return 'ok';
    case 'revoked':
      return 'error';
    case 'expired':
    case 'not_yet_valid':
    case 'untrusted':
      return 'warn';
  }
}

/** The verdict of a whole document: every signature valid, any invalid, or otherwise undecided. */
export function overallVerdict(signatures: readonly SignatureReport[]): Verdict | null {
  if (signatures.length === 0) return null;
  if (signatures.some((s) => s.verdict === 'invalid')) return 'invalid';
  if (signatures.every((s) => s.verdict === 'valid')) return 'valid';
  return 'indeterminate';
}

// --- staff steps -------------------------------------------------------------------------

export interface StepLook {
  tone: 'primary' | 'secondary' | 'danger';
  /** Ask again before sending: the step ends the application or refuses it. */
  confirm: boolean;
}

export const STEP_LOOK: Record<StaffAction, StepLook> = {
  approve_identity: { tone: 'primary', confirm: false },
  return_identity: { tone: 'secondary', confirm: false },
  record_submission: { tone: 'primary', confirm: false },
  ra_approve: { tone: 'primary', confirm: false },
  ra_refuse: { tone: 'danger', confirm: true },
  resend_link: { tone: 'secondary', confirm: false },
  cancel: { tone: 'danger', confirm: true },
};

// --- identity numbers --------------------------------------------------------------------

/** Digits only: blanks, dots and dashes people type between groups are dropped (as the server does). */
export function digitsOf(raw: string): string {
  return raw.replace(/[\s.-]/g, '');
}

export const isNikFormat = (raw: string) => /^\d{16}$/.test(digitsOf(raw));
export const isNipFormat = (raw: string) => /^\d{18}$/.test(digitsOf(raw));

/** Day, month and two-digit year of birth encoded in a NIK (women: day + 40), or null. */
export function nikBirth(raw: string): { day: number; month: number; yy: number } | null {
  const nik = digitsOf(raw);
  if (!/^\d{16}$/.test(nik)) return null;
  let day = Number(nik.slice(6, 8));
  if (day > 40) day -= 40;
  return { day, month: Number(nik.slice(8, 10)), yy: Number(nik.slice(10, 12)) };
}

/** False when a YYYY-MM-DD birth date clearly differs from the one in the NIK. */
export function birthDateMatchesNik(nik: string, birthDate: string): boolean {
  const b = nikBirth(nik);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!b || !m) return true;
  return Number(m[3]) === b.day && Number(m[2]) === b.month && Number(m[1]) % 100 === b.yy;
}

// --- passphrase --------------------------------------------------------------------------

export const PASSPHRASE_MIN = 10;
export const PASSPHRASE_MAX = 128;
/** Mirrors COMMON in libs/certificates/src/identity.policy.ts. */
const COMMON_WORDS = ['password', 'passphrase', 'qwerty', '12345678', 'indonesia', 'bismillah', 'sandi', 'rahasia', 'admin'];

export interface PassphraseCheck {
  min10: boolean;
  lettersDigits: boolean;
  /** Name and e-mail only: the NIK is checked by the server, which alone knows it in full. */
  notPersonal: boolean;
  notCommon: boolean;
}

export function checkPassphrase(passphrase: string, personal: { name: string; email: string }): PassphraseCheck {
  const lower = passphrase.toLowerCase();
  const parts = [personal.email.split('@')[0] ?? '', ...personal.name.split(/[\s.,]+/)].filter((p) => p.length >= 4);
  return {
    min10: passphrase.length >= PASSPHRASE_MIN && passphrase.length <= PASSPHRASE_MAX,
    lettersDigits: /[A-Za-z]/.test(passphrase) && /\d/.test(passphrase),
    notPersonal: !parts.some((p) => lower.includes(p.toLowerCase())),
    notCommon: new Set(passphrase).size >= 5 && !COMMON_WORDS.some((w) => lower.includes(w)),
  };
}

export type Strength = 'weak' | 'fair' | 'good' | 'strong';

/** A rough guessing-resistance hint: length and character variety, zero when a rule fails. */
export function passphraseStrength(passphrase: string, check: PassphraseCheck): { score: number; label: Strength } {
  if (!passphrase) return { score: 0, label: 'weak' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(passphrase)).length;
  const unique = new Set(passphrase).size;
  let score = Math.min(passphrase.length, 24) / 24 + (classes - 1) / 6 + Math.min(unique, 16) / 32;
  if (!Object.values(check).every(Boolean)) score = Math.min(score, 0.3);
  score = Math.max(0, Math.min(1, score));
  const label: Strength = score < 0.35 ? 'weak' : score < 0.6 ? 'fair' : score < 0.85 ? 'good' : 'strong';
  return { score, label };
}

// --- the applicant's own key (CSR) -------------------------------------------------------

/** CsrSubmissionDto's MaxLength: a PEM request of any accepted key fits in a few KiB. */
export const CSR_MAX_CHARS = 16384;
/** A picked file larger than this is not read at all (a request is 1–3 KiB). */
export const CSR_FILE_MAX_BYTES = 16 * 1024;

export function isCsrProblemReason(v: unknown): v is CsrProblemReason {
  return typeof v === 'string' && (CSR_PROBLEM_REASONS as readonly string[]).includes(v);
}

/**
 * A private key pasted or picked by mistake (`-----BEGIN … PRIVATE KEY-----`, PuTTY's or OpenSSH's
 * formats): it must never leave the applicant's computer, so the page refuses to send it.
 */
export function looksLikePrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File/.test(text);
}

// --- links, files ------------------------------------------------------------------------

/** The single-use token of an applicant's link (`…#token=…`); the fragment never reaches a server log. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : null;
}

/** The problem `code` of an API error (e.g. `certificates.link_used`), if any. */
export function problemCode(err: unknown): string | undefined {
  return isApiError(err) && typeof err.problem.code === 'string' ? err.problem.code : undefined;
}

/** A Blob saved as a file through a temporary link (the object URL is revoked by the caller). */
export function saveBlob(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Matches what the server accepts as a document: a PDF by name or type (it checks the bytes). */
export function looksLikePdf(file: File): boolean {
  return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
}

/** CERT_DOCUMENT_MAX_BYTES default; the server enforces the configured value. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** A4 portrait in points and the signature box of the signing service (DEFAULT_BOX). */
const PAGE = { width: 595, height: 842 };
const BOX = { width: 220, height: 64, margin: 56 };
export const SIGNATURE_POSITIONS = {
  'bottom-left': { x: BOX.margin, y: BOX.margin },
  'bottom-right': { x: PAGE.width - BOX.margin - BOX.width, y: BOX.margin },
  'top-left': { x: BOX.margin, y: PAGE.height - BOX.margin - BOX.height },
  'top-right': { x: PAGE.width - BOX.margin - BOX.width, y: PAGE.height - BOX.margin - BOX.height },
} as const;
export type SignaturePosition = keyof typeof SIGNATURE_POSITIONS | 'custom';
export const SIGNATURE_POSITION_KEYS = [...(Object.keys(SIGNATURE_POSITIONS) as (keyof typeof SIGNATURE_POSITIONS)[]), 'custom'] as const;

/** Timeline entries with a label of their own; others show their code. `overdue` is the scheduler's SLA reminder. */
export const TIMELINE_ACTIONS = ['submitted', 'submit_identity', 'set_passphrase', 'submit_csr', ...STAFF_ACTIONS, 'overdue'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
export function isTimelineAction(a: string): a is TimelineAction {
  return (TIMELINE_ACTIONS as readonly string[]).includes(a);
}
