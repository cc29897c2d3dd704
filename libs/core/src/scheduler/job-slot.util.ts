/**
 * The slot of a job run: its scheduled fire time truncated to the job's period (epoch-aligned, so
 * UTC hours and days). Every instance computes the same slot for the same fire, and job_runs keeps
 * one row per (job, slot).
 */
export function slotFor(date: Date, periodMs: number): Date {
  if (!Number.isFinite(periodMs) || periodMs <= 0) throw new RangeError(`periodMs must be positive, got ${periodMs}`);
  return new Date(Math.floor(date.getTime() / periodMs) * periodMs);
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
