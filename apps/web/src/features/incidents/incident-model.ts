import {
  INCIDENT_ACTIONS,
  INCIDENT_STATES,
  type Impact,
  type IncidentAction,
  type IncidentState,
  type IncidentSummary,
  type Priority,
  type RoleCode,
  type SlaClockStatus,
  type SlaTarget,
  type Team,
  type TlpLabel,
  type Urgency,
} from '../../api/types';

/**
 * The parts of libs/incidents/src/incident.workflow.ts the screens need beyond what the API says
 * per incident. The API decides what a viewer may do (`allowedActions`); this file only knows
 * which form each action needs and which queue a state sits in, to lay the screens out.
 */

export const TEAM_ROLE: Record<Team, RoleCode> = {
  helpdesk: 'helpdesk',
  data: 'incident_data',
  analysis: 'incident_analyst',
  handling: 'incident_handler',
};

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

export const FINAL_STATES: readonly IncidentState[] = ['rejected', 'reporter_closed'];

/** The viewer's SOC teams, in table order. */
export function teamsOf(roles: readonly string[]): Team[] {
  return (Object.keys(TEAM_ROLE) as Team[]).filter((team) => roles.includes(TEAM_ROLE[team]));
}

/** Payload parts of a workflow step, as `INCIDENT_TRANSITIONS` lists them. */
export type PayloadPart =
  'note' | 'message' | 'reason' | 'recommendation' | 'resolutionReport' | 'closureRecord' | 'coordination' | 'classification';

/** The steps the actions panel offers, in the order of the service standard. */
export const WORKFLOW_ACTIONS = [
  'validate',
  'return_incomplete',
  'reject_out_of_scope',
  'record',
  'start_analysis',
  'send_initial_recommendation',
  'hand_over',
  'record_coordination',
  'submit_resolution',
  'close',
  'close_reporter_status',
  'reclassify',
] as const satisfies readonly IncidentAction[];
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export function isWorkflowAction(action: string): action is WorkflowAction {
  return (WORKFLOW_ACTIONS as readonly string[]).includes(action);
}

export function isIncidentAction(action: string): action is IncidentAction {
  return (INCIDENT_ACTIONS as readonly string[]).includes(action);
}

export interface ActionForm {
  required: readonly PayloadPart[];
  optional: readonly PayloadPart[];
  /** How the button looks: the step forward, a side step, or one that ends the report. */
  tone: 'primary' | 'secondary' | 'danger';
}

export const ACTION_FORMS: Record<WorkflowAction, ActionForm> = {
  validate: { required: [], optional: ['classification', 'note'], tone: 'primary' },
  return_incomplete: { required: ['message'], optional: [], tone: 'secondary' },
  reject_out_of_scope: { required: ['reason'], optional: [], tone: 'danger' },
  record: { required: [], optional: ['classification', 'note'], tone: 'primary' },
  start_analysis: { required: [], optional: ['note'], tone: 'primary' },
  send_initial_recommendation: { required: ['recommendation'], optional: [], tone: 'primary' },
  hand_over: { required: [], optional: ['note'], tone: 'primary' },
  record_coordination: { required: ['coordination'], optional: [], tone: 'secondary' },
  submit_resolution: { required: ['resolutionReport'], optional: [], tone: 'primary' },
  close: { required: ['closureRecord'], optional: [], tone: 'primary' },
  close_reporter_status: { required: [], optional: ['message'], tone: 'primary' },
  reclassify: { required: ['classification'], optional: ['note'], tone: 'secondary' },
};

export function partsOf(action: WorkflowAction): PayloadPart[] {
  const f = ACTION_FORMS[action];
  return [...f.required, ...f.optional];
}

// --- SLA -------------------------------------------------------------------------------

/** How long before a due date the teams are warned (SLA_WARNING_HOURS in priority.policy.ts). */
export const SLA_WARNING_MS = 24 * 3600_000;

/** The clock an incident in this state is running against (null: none left). */
export function currentTarget(status: IncidentState): SlaTarget | null {
  switch (status) {
    case 'reported':
    case 'returned_to_reporter':
    case 'validated':
    case 'recorded':
    case 'in_analysis':
      return 'recommendation';
    case 'in_handling':
      return 'resolution';
    case 'resolved':
      return 'closure';
    case 'rejected':
    case 'closed':
    case 'reporter_closed':
      return null;
  }
}

export interface QueueSla {
  status: Extract<SlaClockStatus, 'on_track' | 'due_soon' | 'breached'>;
  target: SlaTarget;
  dueAt: string;
}

/**
 * The SLA badge of a queue row. The list gives due dates and `overdue` but not which clocks
 * have stopped, so the target is the one the state works towards (in analysis after the
 * recommendation this still shows the recommendation's due date; the detail page is exact).
 */
export function queueSla(item: IncidentSummary, now = Date.now()): QueueSla | null {
  const target = currentTarget(item.status);
  if (!target) return null;
  const dueAt = target === 'recommendation' ? item.recommendationDueAt : target === 'resolution' ? item.resolutionDueAt : item.closureDueAt;
  if (item.overdue) return { status: 'breached', target, dueAt };
  const left = new Date(dueAt).getTime() - now;
  return { status: left <= SLA_WARNING_MS ? 'due_soon' : 'on_track', target, dueAt };
}

export function slaTone(status: SlaClockStatus): 'ok' | 'warn' | 'error' | 'info' | 'muted' {
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

export function stateTone(status: IncidentState): 'ok' | 'warn' | 'error' | 'info' | 'muted' {
  switch (status) {
    case 'reported':
    case 'validated':
    case 'recorded':
    case 'in_analysis':
    case 'in_handling':
      return 'info';
    case 'returned_to_reporter':
      return 'warn';
    case 'rejected':
      return 'error';
    case 'resolved':
    case 'closed':
    case 'reporter_closed':
      return 'ok';
  }
}

// --- TLP 2.0 ---------------------------------------------------------------------------

/** CSS class of a TLP label: FIRST's colours on black. */
export function tlpClass(label: TlpLabel): string {
  return `tlp tlp-${label.toLowerCase().replace('+', '-')}`;
}

// --- evidence --------------------------------------------------------------------------

/**
 * Defaults of INCIDENT_EVIDENCE_MAX_BYTES / INCIDENT_EVIDENCE_MAX_FILES. The API does not publish
 * the configured limits, so the forms warn against these and leave the refusal to the server.
 */
export const EVIDENCE_HINT = { maxBytes: 20 * 1024 * 1024, maxFiles: 10 } as const;

export function formatBytes(n: number, lang: 'id' | 'en'): string {
  const nf = (v: number, digits: number) =>
    new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(v);
  if (n < 1024) return `${nf(n, 0)} B`;
  if (n < 1024 * 1024) return `${nf(n / 1024, 1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${nf(n / (1024 * 1024), 1)} MB`;
  return `${nf(n / (1024 * 1024 * 1024), 2)} GB`;
}

// --- tracking link ---------------------------------------------------------------------

/** Ticket and token from a tracking link (`…#ticket=…&token=…`, or the same as a query string). */
export function parseTrackingLink(text: string): { ticket: string; token: string } | null {
  const raw = text.trim();
  const at = raw.search(/[#?]/);
  const params = new URLSearchParams(at >= 0 ? raw.slice(at + 1).replace(/#/g, '&') : raw);
  const ticket = params.get('ticket')?.trim();
  const token = params.get('token')?.trim();
  return ticket && token ? { ticket, token } : null;
}

export const TICKET_PATTERN = /^INC-\d{4}-\d{6}$/;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `datetime-local` value (browser time) → ISO 8601 UTC, or undefined when empty/invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Now as a `datetime-local` value in the browser's time zone. */
export function nowLocalInput(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

// --- priority --------------------------------------------------------------------------

/** priority.policy.ts: impact × urgency → priority, shown while a team reclassifies. */
const PRIORITY_MATRIX: Record<Impact, Record<Urgency, Priority>> = {
  critical: { high: 'P1', medium: 'P1', low: 'P2' },
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P3' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

export function priorityOf(impact: Impact, urgency: Urgency): Priority {
  return PRIORITY_MATRIX[impact][urgency];
}

// --- timeline --------------------------------------------------------------------------

/** Timeline entry kinds with a label of their own; others show their code. */
export const TIMELINE_KINDS = [
  ...WORKFLOW_ACTIONS,
  'supplement',
  'assign',
  'comment',
  'add_observable',
  'remove_observable',
  'add_evidence',
  'reported',
  'sla_warning',
  'sla_breach',
  'escalated',
  'evidence_downloaded',
  'stix_exported',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export function isTimelineKind(kind: string): kind is TimelineKind {
  return (TIMELINE_KINDS as readonly string[]).includes(kind);
}

export function isIncidentState(s: string | null): s is IncidentState {
  return !!s && (INCIDENT_STATES as readonly string[]).includes(s);
}
