import {
  INCIDENT_ACTIONS,
  INCIDENT_STATES,
  type AllowedAction,
  type Impact,
  type IncidentAction,
  type IncidentDetail,
  type IncidentState,
  type IncidentSummary,
  type NextDue,
  type Priority,
  type RoleCode,
  type SlaClockStatus,
  type SlaTarget,
  type Team,
  type TlpLabel,
  type Urgency,
} from '../../api/types';

/**
 * What the screens need beyond what the API says per incident. The API decides what a viewer may
 * do and what each step takes (`allowedActions`, each with its fields, from
 * libs/incidents/src/incident.workflow.ts and its DTOs); this file only knows which queue a state
 * sits in, where on the page a step lives, and the priority matrix, to lay the screens out.
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

/**
 * Steps that have a place of their own on the detail page (assignee line, comment box, observables,
 * evidence) or belong to the reporter: the actions panel offers every other allowed step.
 */
const STEPS_ELSEWHERE: readonly IncidentAction[] = [
  'supplement',
  'assign',
  'comment',
  'add_observable',
  'remove_observable',
  'add_evidence',
];

export function isPanelStep(action: IncidentAction): boolean {
  return !STEPS_ELSEWHERE.includes(action);
}

export function isIncidentAction(action: string): action is IncidentAction {
  return (INCIDENT_ACTIONS as readonly string[]).includes(action);
}

/** Whether the API lets the viewer take `action` now. */
export function mayDo(incident: Pick<IncidentDetail, 'allowedActions'>, action: IncidentAction): boolean {
  return incident.allowedActions.some((a) => a.action === action);
}

export function allowedAction(incident: Pick<IncidentDetail, 'allowedActions'>, action: IncidentAction): AllowedAction | undefined {
  return incident.allowedActions.find((a) => a.action === action);
}

/** How a step's button looks, from where it leads: it ends the report, moves it on, or stays. */
export function stepTone(step: AllowedAction, current: IncidentState): 'primary' | 'secondary' | 'danger' {
  if (step.to === 'rejected') return 'danger';
  return step.to !== current ? 'primary' : 'secondary';
}

// --- SLA -------------------------------------------------------------------------------

export interface QueueSla {
  status: NextDue['status'];
  target: SlaTarget;
  team: Team;
  dueAt: string;
}

/** The SLA badge of a queue row: what is due next, as the API works it out (null once all clocks stopped). */
export function queueSla(item: IncidentSummary): QueueSla | null {
  return item.nextDue ? { ...item.nextDue } : null;
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

export interface EvidenceLimits {
  maxBytes: number;
  maxFiles: number;
}

/**
 * Defaults of INCIDENT_EVIDENCE_MAX_BYTES / INCIDENT_EVIDENCE_MAX_FILES, used only until the API's
 * published limits (GET /public/incidents/form, or the add_evidence step's field) have arrived.
 */
export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = { maxBytes: 20 * 1024 * 1024, maxFiles: 10 };

/** What is wrong with a choice of files before it is sent: too many, too big, empty. */
export function evidenceProblems(files: readonly File[], limits: EvidenceLimits): { tooMany: boolean; tooBig: File[]; empty: File[] } {
  return {
    tooMany: files.length > limits.maxFiles,
    tooBig: files.filter((f) => f.size > limits.maxBytes),
    empty: files.filter((f) => f.size === 0),
  };
}

export function hasEvidenceProblems(files: readonly File[], limits: EvidenceLimits): boolean {
  const p = evidenceProblems(files, limits);
  return p.tooMany || p.tooBig.length > 0 || p.empty.length > 0;
}

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
  ...INCIDENT_ACTIONS,
  'reported',
  'sla_warning',
  'sla_breach',
  'escalated',
  'evidence_downloaded',
  'evidence_verified',
  'stix_exported',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export function isTimelineKind(kind: string): kind is TimelineKind {
  return (TIMELINE_KINDS as readonly string[]).includes(kind);
}

export function isIncidentState(s: string | null): s is IncidentState {
  return !!s && (INCIDENT_STATES as readonly string[]).includes(s);
}
