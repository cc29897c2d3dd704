/**
 * The SOC incident workflow of the service standard (Standar Pelayanan "Layanan Security Operation
 * Center"), as ONE table of (state, action, actor) → next state. The service decides every step with
 * it, the API derives the viewer's `allowedActions` from it, and the web UI reads the same table.
 *
 *   1. Helpdesk receives the report, validates it, forwards it to Incident Data Management
 *      (reported → validated; or back to the reporter for missing information; or rejected).
 *   2. Data team records and documents it, forwards it to Incident Analysis (validated → recorded).
 *   3. Analysis team investigates (recorded → in_analysis), sends the reporter an initial
 *      recommendation (stays in_analysis), and hands over to Incident Handling (→ in_handling), which
 *      needs a recommendation to have been sent.
 *   4. Handling team handles it, records its coordination with other CSIRTs / agencies (stays), and
 *      returns the recommendation and resolution report to the Data team (→ resolved).
 *   5. By ten working days after the report the Data team closes and documents it (→ closed, with a
 *      closure record). The SLA job closes resolved incidents at that mark and escalates unresolved
 *      ones; it never closes an unresolved incident.
 *   6. Helpdesk closes the reporter's status (→ reporter_closed) and tells the reporter.
 *
 * Refinements beyond the standard's text, and why:
 * - `returned_to_reporter`: the helpdesk "validates" the report, so it needs a way to ask for what is
 *   missing; the reporter answers through the secret tracking link (`supplement`, actor `reporter`)
 *   and the SLA clock restarts then (the report is only complete from that moment).
 * - `rejected`: out-of-scope reports (not a cyber incident, not an OPD system) end here, with a reason
 *   sent to the reporter.
 * - `reclassify`: the analysis identifies what the incident really is; the team that owns the current
 *   state may correct category, impact, urgency, TLP and OPD (priority and due dates follow).
 * - `assign`, `comment`, observables and evidence are staff operations at every active state. They are
 *   in the table so that one function answers "may this person do this now".
 */
export const INCIDENT_STATES = [
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
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** States nothing leaves. */
export const FINAL_STATES: readonly IncidentState[] = ['rejected', 'reporter_closed'];
/** Every state in which staff still work on the incident. */
export const ACTIVE_STATES: readonly IncidentState[] = INCIDENT_STATES.filter((s) => !FINAL_STATES.includes(s));
/** States in which the incident is still open for the SLA (not yet resolved). */
export const UNRESOLVED_STATES: readonly IncidentState[] = [
  'reported',
  'returned_to_reporter',
  'validated',
  'recorded',
  'in_analysis',
  'in_handling',
];

export const INCIDENT_ACTIONS = [
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
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export function isIncidentAction(value: string): value is IncidentAction {
  return (INCIDENT_ACTIONS as readonly string[]).includes(value);
}

/** The staff roles of the four SOC teams. */
export const STAFF_ROLES = ['helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Who can act: a staff role, the reporter (holder of the tracking link), or the SLA job. */
export type IncidentActor = StaffRole | 'reporter' | 'system';

export const TEAMS = ['helpdesk', 'data', 'analysis', 'handling'] as const;
export type Team = (typeof TEAMS)[number];
export const TEAM_ROLE: Record<Team, StaffRole> = {
  helpdesk: 'helpdesk',
  data: 'incident_data',
  analysis: 'incident_analyst',
  handling: 'incident_handler',
};
export function teamOfRole(role: string): Team | undefined {
  return TEAMS.find((t) => TEAM_ROLE[t] === role);
}

/** The team whose queue holds an incident in each state (null: nobody's). */
export const TEAM_OF_STATE: Record<IncidentState, Team | null> = {
  reported: 'helpdesk',
  returned_to_reporter: 'helpdesk',
  rejected: null,
  validated: 'data',
  recorded: 'analysis',
  in_analysis: 'analysis',
  in_handling: 'handling',
  resolved: 'data',
  closed: 'helpdesk',
  reporter_closed: null,
};

/** Parts of an action's payload. `classification` = category, impact, urgency, TLP, OPD unit. */
export type PayloadPart =
  | 'note'
  | 'message'
  | 'reason'
  | 'recommendation'
  | 'resolutionReport'
  | 'closureRecord'
  | 'coordination'
  | 'classification'
  | 'assignment'
  | 'comment';

export type Guard = 'recommendation_sent';

export interface Transition {
  from: IncidentState;
  action: IncidentAction;
  actors: readonly IncidentActor[];
  /** Next state; equal to `from` for steps that stay. */
  to: IncidentState;
  required?: readonly PayloadPart[];
  optional?: readonly PayloadPart[];
  guards?: readonly Guard[];
}

const STAFF = STAFF_ROLES;

/** Staff operations allowed at every active state. */
function everywhere(action: IncidentAction, actors: readonly IncidentActor[], required: PayloadPart[]): Transition[] {
  return ACTIVE_STATES.map((from) => ({ from, action, actors, to: from, required }));
}

export const INCIDENT_TRANSITIONS: readonly Transition[] = [
  // 1. Helpdesk
  { from: 'reported', action: 'validate', actors: ['helpdesk'], to: 'validated', optional: ['classification', 'note'] },
  { from: 'reported', action: 'return_incomplete', actors: ['helpdesk'], to: 'returned_to_reporter', required: ['message'] },
  { from: 'reported', action: 'reject_out_of_scope', actors: ['helpdesk'], to: 'rejected', required: ['reason'] },
  { from: 'returned_to_reporter', action: 'supplement', actors: ['reporter'], to: 'reported', required: ['message'] },
  { from: 'returned_to_reporter', action: 'reject_out_of_scope', actors: ['helpdesk'], to: 'rejected', required: ['reason'] },
  // 2. Incident data management
  { from: 'validated', action: 'record', actors: ['incident_data'], to: 'recorded', optional: ['classification', 'note'] },
  // 3. Incident analysis
  { from: 'recorded', action: 'start_analysis', actors: ['incident_analyst'], to: 'in_analysis', optional: ['note'] },
  {
    from: 'in_analysis',
    action: 'send_initial_recommendation',
    actors: ['incident_analyst'],
    to: 'in_analysis',
    required: ['recommendation'],
  },
  {
    from: 'in_analysis',
    action: 'hand_over',
    actors: ['incident_analyst'],
    to: 'in_handling',
    optional: ['note'],
    guards: ['recommendation_sent'],
  },
  // 4. Incident handling
  { from: 'in_handling', action: 'record_coordination', actors: ['incident_handler'], to: 'in_handling', required: ['coordination'] },
  { from: 'in_handling', action: 'submit_resolution', actors: ['incident_handler'], to: 'resolved', required: ['resolutionReport'] },
  // 5. Data team closes (the SLA job too, at ten working days, only once resolved)
  { from: 'resolved', action: 'close', actors: ['incident_data', 'system'], to: 'closed', required: ['closureRecord'] },
  // 6. Helpdesk closes the reporter's status
  { from: 'closed', action: 'close_reporter_status', actors: ['helpdesk'], to: 'reporter_closed', optional: ['message'] },
  // Corrections of the classification by the team that holds the incident
  { from: 'reported', action: 'reclassify', actors: ['helpdesk'], to: 'reported', required: ['classification'], optional: ['note'] },
  { from: 'validated', action: 'reclassify', actors: ['incident_data'], to: 'validated', required: ['classification'], optional: ['note'] },
  {
    from: 'recorded',
    action: 'reclassify',
    actors: ['incident_data', 'incident_analyst'],
    to: 'recorded',
    required: ['classification'],
    optional: ['note'],
  },
  {
    from: 'in_analysis',
    action: 'reclassify',
    actors: ['incident_analyst'],
    to: 'in_analysis',
    required: ['classification'],
    optional: ['note'],
  },
  {
    from: 'in_handling',
    action: 'reclassify',
    actors: ['incident_handler'],
    to: 'in_handling',
    required: ['classification'],
    optional: ['note'],
  },
  // Staff operations at any active state (assign additionally needs the team's role: see canAssign)
  ...everywhere('assign', STAFF, ['assignment']),
  ...everywhere('comment', STAFF, ['comment']),
  ...everywhere('add_observable', STAFF, []),
  ...everywhere('remove_observable', STAFF, []),
  ...everywhere('add_evidence', STAFF, []),
];

/** What the table needs to know about an incident besides its state. */
export interface IncidentFacts {
  status: IncidentState;
  recommendationSent: boolean;
}

function guardHolds(guard: Guard, facts: IncidentFacts): boolean {
  switch (guard) {
    case 'recommendation_sent':
      return facts.recommendationSent;
  }
}

const mayAct = (t: Transition, actors: readonly string[]) => t.actors.some((a) => actors.includes(a));
const guardsHold = (t: Transition, facts: IncidentFacts) => (t.guards ?? []).every((g) => guardHolds(g, facts));

/** The steps `actors` may take now, in table order, one per action. */
export function allowedTransitions(facts: IncidentFacts, actors: readonly string[]): Transition[] {
  const out: Transition[] = [];
  for (const t of INCIDENT_TRANSITIONS) {
    if (t.from === facts.status && mayAct(t, actors) && guardsHold(t, facts) && !out.some((o) => o.action === t.action)) out.push(t);
  }
  return out;
}

/** The actions `actors` may take now, in table order, without duplicates. */
export function allowedActions(facts: IncidentFacts, actors: readonly string[]): IncidentAction[] {
  return allowedTransitions(facts, actors).map((t) => t.action);
}

export type Decision =
  | { ok: true; transition: Transition }
  /** `forbidden`: the actor's roles never may, or others may do it now but not them (403). */
  | { ok: false; reason: 'forbidden'; allowed: IncidentAction[] }
  /** `illegal`: not a step of the current state, or its guard fails (409 with the allowed actions). */
  | { ok: false; reason: 'illegal'; allowed: IncidentAction[] };

/**
 * Decides whether `actors` may take `action` now. A role that never may take the action gets
 * `forbidden` whatever the state (it is not theirs to try); a step out of order gets `illegal`.
 */
export function decide(facts: IncidentFacts, action: IncidentAction, actors: readonly string[]): Decision {
  const allowed = allowedActions(facts, actors);
  if (!INCIDENT_TRANSITIONS.some((t) => t.action === action && mayAct(t, actors))) return { ok: false, reason: 'forbidden', allowed };
  const here = INCIDENT_TRANSITIONS.filter((t) => t.from === facts.status && t.action === action);
  if (here.length === 0) return { ok: false, reason: 'illegal', allowed };
  const mine = here.find((t) => mayAct(t, actors));
  if (!mine) return { ok: false, reason: 'forbidden', allowed };
  if (!guardsHold(mine, facts)) return { ok: false, reason: 'illegal', allowed };
  return { ok: true, transition: mine };
}

/** Payload parts an action accepts, and those it requires. */
export function payloadOf(t: Transition): { required: readonly PayloadPart[]; accepted: readonly PayloadPart[] } {
  const required = t.required ?? [];
  return { required, accepted: [...required, ...(t.optional ?? [])] };
}

/** A staff member may assign an incident for a team only when they hold that team's role. */
export function canAssign(actorRoles: readonly string[], team: Team): boolean {
  return actorRoles.includes(TEAM_ROLE[team]);
}

/** Labels for people (status badges, tracking page, mail). */
export const STATE_LABELS: Record<IncidentState, { id: string; en: string }> = {
  reported: { id: 'Laporan diterima', en: 'Report received' },
  returned_to_reporter: { id: 'Menunggu kelengkapan dari pelapor', en: 'Waiting for more information from the reporter' },
  rejected: { id: 'Ditolak (di luar lingkup layanan)', en: 'Rejected (out of scope)' },
  validated: { id: 'Tervalidasi, diteruskan ke Tim Manajemen Data Insiden', en: 'Validated, forwarded to incident data management' },
  recorded: { id: 'Tercatat, diteruskan ke Tim Analisis Insiden', en: 'Recorded, forwarded to incident analysis' },
  in_analysis: { id: 'Sedang dianalisis', en: 'Under analysis' },
  in_handling: { id: 'Sedang ditangani', en: 'Being handled' },
  resolved: { id: 'Penanganan selesai, menunggu penutupan', en: 'Handled, awaiting closure' },
  closed: { id: 'Insiden ditutup', en: 'Incident closed' },
  reporter_closed: { id: 'Selesai', en: 'Completed' },
};

export const ACTION_LABELS: Record<IncidentAction, { id: string; en: string }> = {
  validate: { id: 'Validasi dan teruskan', en: 'Validate and forward' },
  return_incomplete: { id: 'Kembalikan ke pelapor (belum lengkap)', en: 'Return to reporter (incomplete)' },
  reject_out_of_scope: { id: 'Tolak (di luar lingkup)', en: 'Reject (out of scope)' },
  supplement: { id: 'Lengkapi laporan', en: 'Supplement the report' },
  record: { id: 'Catat, dokumentasikan dan teruskan', en: 'Record, document and forward' },
  start_analysis: { id: 'Mulai analisis', en: 'Start analysis' },
  send_initial_recommendation: { id: 'Kirim rekomendasi awal ke pelapor', en: 'Send initial recommendation to the reporter' },
  hand_over: { id: 'Serahkan ke Tim Penanganan', en: 'Hand over to incident handling' },
  record_coordination: { id: 'Catat koordinasi CSIRT/instansi', en: 'Record coordination with a CSIRT/agency' },
  submit_resolution: { id: 'Kirim laporan penyelesaian', en: 'Submit resolution report' },
  close: { id: 'Tutup insiden', en: 'Close the incident' },
  close_reporter_status: { id: 'Tutup status pelapor', en: "Close the reporter's status" },
  reclassify: { id: 'Ubah klasifikasi', en: 'Reclassify' },
  assign: { id: 'Tugaskan', en: 'Assign' },
  comment: { id: 'Komentar', en: 'Comment' },
  add_observable: { id: 'Tambah observable', en: 'Add observable' },
  remove_observable: { id: 'Hapus observable', en: 'Remove observable' },
  add_evidence: { id: 'Unggah bukti', en: 'Upload evidence' },
};
