import type { WorkingDayCalendar } from './working-day-calendar.js';

export const SLA_STATUSES = ['on_track', 'due_soon', 'breached', 'met', 'missed'] as const;
/**
 * on_track: running, due later than the warning window; due_soon: running, due within it;
 * breached: running past the due time; met / missed: stopped on or before / after the due time.
 */
export type SlaStatus = (typeof SLA_STATUSES)[number];

export interface SlaClockInput {
  startedAt: Date;
  dueAt: Date;
  /** When the clock stopped (work done); unset while it runs. */
  stoppedAt?: Date | null;
  now: Date;
  /** How long before dueAt a running clock turns due_soon. */
  warnBeforeMs: number;
}

function time(name: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

/** The state of a service-standard clock. The due instant itself is still in time. */
export function slaStatus(input: SlaClockInput): SlaStatus {
  const started = time('startedAt', input.startedAt);
  const due = time('dueAt', input.dueAt);
  const now = time('now', input.now);
  if (!Number.isFinite(input.warnBeforeMs) || input.warnBeforeMs < 0) throw new RangeError('warnBeforeMs must be a finite number >= 0');
  if (due < started) throw new RangeError('dueAt is before startedAt');
  if (input.stoppedAt != null) {
    const stopped = time('stoppedAt', input.stoppedAt);
    if (stopped < started) throw new RangeError('stoppedAt is before startedAt');
    return stopped <= due ? 'met' : 'missed';
  }
  if (now > due) return 'breached';
  return due - now <= input.warnBeforeMs ? 'due_soon' : 'on_track';
}

/**
 * The deadline of a service standard of `workingDays` working days started at `start`: same local
 * time `workingDays` working days later; a start outside working days counts from the next one.
 */
export function dueDate(calendar: Pick<WorkingDayCalendar, 'addWorkingDays'>, start: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`workingDays must be a whole number >= 0, not ${workingDays}`);
  return calendar.addWorkingDays(start, workingDays);
}
