/**
 * Priority of an incident from its impact and urgency, and the service-level targets that follow,
 * in working days, inside the standard's 1–10 day service time.
 *
 *                 urgency:  high   medium  low
 *   impact critical          P1     P1      P2
 *          high              P1     P2      P3
 *          medium            P2     P3      P3
 *          low               P3     P4      P4
 *
 * Targets count from the start of the SLA clock: the report, or, when the helpdesk returned an
 * incomplete report, the reporter's supplement (the report is complete only then). Closure is always
 * ten working days from that point: the standard's own rule ("ten days after the report the Data team
 * closes the incident"), so recommendation ≤ resolution ≤ closure holds for every priority.
 */
export const IMPACTS = ['low', 'medium', 'high', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];
export const URGENCIES = ['low', 'medium', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

const MATRIX: Record<Impact, Record<Urgency, Priority>> = {
  critical: { high: 'P1', medium: 'P1', low: 'P2' },
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P3' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

export function priorityOf(impact: Impact, urgency: Urgency): Priority {
  return MATRIX[impact][urgency];
}

export const SLA_TARGETS = ['recommendation', 'resolution', 'closure'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** The service standard's time limit: every incident is closed within ten working days. */
export const SERVICE_TIME_WORKING_DAYS = 10;

/** Working days from the start of the clock to each target. */
export const SLA_WORKING_DAYS: Record<Priority, Record<SlaTarget, number>> = {
  P1: { recommendation: 1, resolution: 3, closure: SERVICE_TIME_WORKING_DAYS },
  P2: { recommendation: 1, resolution: 5, closure: SERVICE_TIME_WORKING_DAYS },
  P3: { recommendation: 2, resolution: 7, closure: SERVICE_TIME_WORKING_DAYS },
  P4: { recommendation: 3, resolution: 10, closure: SERVICE_TIME_WORKING_DAYS },
};

/** The part of a working-day calendar this policy needs (CalendarService.calendar provides it). */
export interface WorkingDays {
  addWorkingDays(start: Date, days: number): Date;
}

export interface DueDates {
  recommendation: Date;
  resolution: Date;
  closure: Date;
}

/** Due dates for a priority, counted in working days from the start of the SLA clock. */
export function dueDates(calendar: WorkingDays, priority: Priority, clockStart: Date): DueDates {
  const days = SLA_WORKING_DAYS[priority];
  return {
    recommendation: calendar.addWorkingDays(clockStart, days.recommendation),
    resolution: calendar.addWorkingDays(clockStart, days.resolution),
    closure: calendar.addWorkingDays(clockStart, days.closure),
  };
}

/** How long before a due date the team is warned (once). Half a working day is too fine for a daily mailbox. */
export const SLA_WARNING_HOURS = 24;

export const PRIORITY_LABELS: Record<Priority, { id: string; en: string }> = {
  P1: { id: 'P1 – Kritis', en: 'P1 – Critical' },
  P2: { id: 'P2 – Tinggi', en: 'P2 – High' },
  P3: { id: 'P3 – Sedang', en: 'P3 – Medium' },
  P4: { id: 'P4 – Rendah', en: 'P4 – Low' },
};
