/**
 * The four procedures of the e-signature service standard (Standar Pelayanan "Tandatangan /
 * Sertifikat Elektronik") as ONE table of (procedure, adapter, state, action, actor) → next state.
 * The service decides every step with it, the API derives the viewer's `allowedActions` from it, and
 * the web UI shows only those.
 *
 * Issuance (penerbitan):
 *   1. the Verifikator enters the applicant's data and uploads the recommendation letter
 *      (the application starts in awaiting_identity and the applicant gets an identity link);
 *   2. the applicant fills in the identity data through that link (→ identity_review);
 *   3. the Verifikator verifies it: approve, or send back with a reason (→ awaiting_identity, new link);
 *   4. the applicant sets a passphrase through a second link (→ ra_review; with the local CA the key
 *      pair is generated then and the private key is kept only encrypted under the passphrase), or
 *      submits a PKCS#10 request for a key pair of their own (submit_csr; signing then happens in
 *      their own tools, not on the platform);
 *   5. the Registration Authority verifies the request (ra_approve → completed, ra_refuse → refused);
 *   6. the applicant is told the certificate is issued, or why it was refused.
 * Renewal (pembaruan masa berlaku): the issuance steps again for a holder who has a certificate; on
 *   completion the new certificate replaces the old one (revoked as superseded).
 * Update of data (perubahan data): the Verifikator submits the change with supporting documents →
 *   RA verifies → the certificate is re-issued for the same key with the new data.
 * Revocation (pencabutan): the Verifikator submits an RFC 5280 reason with supporting documents → RA
 *   verifies → the certificate is revoked, the CRL re-issued, the holder told.
 *
 * With the `bsre` adapter the certification body has no public API for these steps: the Verifikator
 * submits on the body's portal and records it here (record_submission with the portal reference, in
 * ra_submission); the passphrase is set on the body's side, so there is no awaiting_passphrase; the
 * decision is followed by polling the holder status (actor `system`) or recorded by the Verifikator
 * from the portal (ra_approve / ra_refuse by `verifier`).
 */
export const PROCEDURES = ['issuance', 'update', 'renewal', 'revocation'] as const;
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
export const OPEN_APPLICATION_STATES: readonly ApplicationState[] = APPLICATION_STATES.filter((s) => !FINAL_APPLICATION_STATES.includes(s));

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

export function isApplicationAction(value: string): value is ApplicationAction {
  return (APPLICATION_ACTIONS as readonly string[]).includes(value);
}

/** Who acts: a staff role, the applicant (holder of a single-use link), or the scheduler. */
export type ApplicationActor = 'verifier' | 'ra_operator' | 'applicant' | 'system';

/** Payload fields an action needs; the API publishes them with the allowed actions. */
export type ActionField = 'identity' | 'reason' | 'passphrase' | 'csr' | 'reference' | 'note';

export interface ApplicationTransition {
  procedures: readonly Procedure[];
  adapters: readonly RaAdapterKind[];
  from: ApplicationState;
  action: ApplicationAction;
  actors: readonly ApplicationActor[];
  to: ApplicationState;
  required?: readonly ActionField[];
  optional?: readonly ActionField[];
}

const ENROL: readonly Procedure[] = ['issuance', 'renewal'];
const ALL: readonly Procedure[] = PROCEDURES;
const LOCAL: readonly RaAdapterKind[] = ['local'];
const BSRE: readonly RaAdapterKind[] = ['bsre'];
const BOTH: readonly RaAdapterKind[] = RA_ADAPTERS;

export const APPLICATION_TRANSITIONS: readonly ApplicationTransition[] = [
  // 2. The applicant fills in the identity data.
  {
    procedures: ENROL,
    adapters: BOTH,
    from: 'awaiting_identity',
    action: 'submit_identity',
    actors: ['applicant'],
    to: 'identity_review',
    required: ['identity'],
  },
  // 3. The verifier verifies it.
  {
    procedures: ENROL,
    adapters: LOCAL,
    from: 'identity_review',
    action: 'approve_identity',
    actors: ['verifier'],
    to: 'awaiting_passphrase',
    optional: ['note'],
  },
  {
    procedures: ENROL,
    adapters: BSRE,
    from: 'identity_review',
    action: 'approve_identity',
    actors: ['verifier'],
    to: 'ra_submission',
    optional: ['note'],
  },
  {
    procedures: ENROL,
    adapters: BOTH,
    from: 'identity_review',
    action: 'return_identity',
    actors: ['verifier'],
    to: 'awaiting_identity',
    required: ['reason'],
  },
  // 4. The applicant sets a passphrase (local CA only: with BSrE it is set on the body's side).
  {
    procedures: ENROL,
    adapters: LOCAL,
    from: 'awaiting_passphrase',
    action: 'set_passphrase',
    actors: ['applicant'],
    to: 'ra_review',
    required: ['passphrase'],
  },
  //    …or, instead, submits a PKCS#10 request for a key pair they keep themselves (the platform then holds no key and cannot sign for them).
  {
    procedures: ENROL,
    adapters: LOCAL,
    from: 'awaiting_passphrase',
    action: 'submit_csr',
    actors: ['applicant'],
    to: 'ra_review',
    required: ['csr'],
  },
  // BSrE: the verifier records the submission made on the body's portal.
  {
    procedures: ALL,
    adapters: BSRE,
    from: 'ra_submission',
    action: 'record_submission',
    actors: ['verifier'],
    to: 'ra_review',
    required: ['reference'],
    optional: ['note'],
  },
  // 5. The Registration Authority decides.
  {
    procedures: ALL,
    adapters: LOCAL,
    from: 'ra_review',
    action: 'ra_approve',
    actors: ['ra_operator'],
    to: 'completed',
    optional: ['note'],
  },
  {
    procedures: ALL,
    adapters: LOCAL,
    from: 'ra_review',
    action: 'ra_refuse',
    actors: ['ra_operator'],
    to: 'refused',
    required: ['reason'],
  },
  {
    procedures: ALL,
    adapters: BSRE,
    from: 'ra_review',
    action: 'ra_approve',
    actors: ['system', 'verifier'],
    to: 'completed',
    optional: ['note'],
  },
  { procedures: ALL, adapters: BSRE, from: 'ra_review', action: 'ra_refuse', actors: ['verifier'], to: 'refused', required: ['reason'] },
  // The verifier may send a fresh link (the previous one stops working) or withdraw the application.
  { procedures: ENROL, adapters: BOTH, from: 'awaiting_identity', action: 'resend_link', actors: ['verifier'], to: 'awaiting_identity' },
  {
    procedures: ENROL,
    adapters: LOCAL,
    from: 'awaiting_passphrase',
    action: 'resend_link',
    actors: ['verifier'],
    to: 'awaiting_passphrase',
  },
  ...(['awaiting_identity', 'identity_review', 'awaiting_passphrase', 'ra_submission'] as const).map((from): ApplicationTransition => ({
    procedures: ALL,
    adapters: BOTH,
    from,
    action: 'cancel',
    actors: ['verifier'],
    to: 'cancelled',
    required: ['reason'],
  })),
];

/** The state an application starts in when the verifier submits it. */
export function initialState(procedure: Procedure, adapter: RaAdapterKind): ApplicationState {
  if (procedure === 'issuance' || procedure === 'renewal') return 'awaiting_identity';
  return adapter === 'bsre' ? 'ra_submission' : 'ra_review';
}

export interface ApplicationFacts {
  procedure: Procedure;
  adapter: RaAdapterKind;
  state: ApplicationState;
}

function matches(t: ApplicationTransition, f: ApplicationFacts): boolean {
  return t.from === f.state && t.procedures.includes(f.procedure) && t.adapters.includes(f.adapter);
}

/** The transition `actors` may take for `action` now, or undefined. */
export function findTransition(
  f: ApplicationFacts,
  action: ApplicationAction,
  actors: readonly string[],
): ApplicationTransition | undefined {
  return APPLICATION_TRANSITIONS.find((t) => matches(t, f) && t.action === action && t.actors.some((a) => actors.includes(a)));
}

/** The actions `actors` may take now, in table order, without duplicates. */
export function allowedApplicationActions(f: ApplicationFacts, actors: readonly string[]): ApplicationAction[] {
  const out: ApplicationAction[] = [];
  for (const t of APPLICATION_TRANSITIONS) {
    if (matches(t, f) && t.actors.some((a) => actors.includes(a)) && !out.includes(t.action)) out.push(t.action);
  }
  return out;
}

/** Whether the action exists in this state at all (for anyone): tells 403 (wrong actor) from 409 (wrong step). */
export function actionExistsNow(f: ApplicationFacts, action: ApplicationAction): boolean {
  return APPLICATION_TRANSITIONS.some((t) => matches(t, f) && t.action === action);
}

/** Payload fields of an action in this state, for the API's allowed-action descriptions. */
export function fieldsOf(f: ApplicationFacts, action: ApplicationAction): { required: ActionField[]; optional: ActionField[] } {
  const t = APPLICATION_TRANSITIONS.find((x) => matches(x, f) && x.action === action);
  return { required: [...(t?.required ?? [])], optional: [...(t?.optional ?? [])] };
}

/** Who is expected to act next, for queues: the verifier, the applicant, the RA, or nobody. */
export function waitingOn(f: ApplicationFacts): 'verifier' | 'applicant' | 'ra' | null {
  switch (f.state) {
    case 'awaiting_identity':
    case 'awaiting_passphrase':
      return 'applicant';
    case 'identity_review':
    case 'ra_submission':
      return 'verifier';
    case 'ra_review':
      return 'ra';
    case 'completed':
    case 'refused':
    case 'cancelled':
      return null;
  }
}

/** Service time of the standard: 1–3 (working) days from the verifier's submission. */
export const SERVICE_WORKING_DAYS = 3;

/** RFC 5280 CRLReason names (value 7 is unused in the standard). */
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
/** What a verifier may ask for: certificateHold/removeFromCRL (suspension) and CA-level reasons are not offered. */
export const REQUESTABLE_REVOCATION_REASONS: readonly RevocationReason[] = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
];
