import { describe, expect, it } from 'vitest';
import { dueDate, slaStatus, SLA_STATUSES, type SlaClockInput } from './sla-clock.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-07-13T02:00:00Z'); // Monday 09:00 WIB
const due = new Date(t0.getTime() + 24 * HOUR);
const at = (ms: number) => new Date(t0.getTime() + ms);
const clock = (over: Partial<SlaClockInput>): SlaClockInput => ({ startedAt: t0, dueAt: due, now: t0, warnBeforeMs: 4 * HOUR, ...over });

describe('slaStatus', () => {
  it('is on_track while the due time is further away than the warning window', () => {
    expect(slaStatus(clock({ now: t0 }))).toBe('on_track');
    expect(slaStatus(clock({ now: at(20 * HOUR - 1) }))).toBe('on_track');
    expect(slaStatus(clock({ now: at(-HOUR) }))).toBe('on_track'); // not started yet
  });

  it('is due_soon inside the warning window, up to and including the due instant', () => {
    expect(slaStatus(clock({ now: at(20 * HOUR) }))).toBe('due_soon');
    expect(slaStatus(clock({ now: due }))).toBe('due_soon');
    expect(slaStatus(clock({ now: due, warnBeforeMs: 0 }))).toBe('due_soon');
    expect(slaStatus(clock({ now: at(HOUR), warnBeforeMs: 0 }))).toBe('on_track');
  });

  it('is breached once a running clock passes the due time', () => {
    expect(slaStatus(clock({ now: at(24 * HOUR + 1) }))).toBe('breached');
    expect(slaStatus(clock({ now: at(100 * HOUR), stoppedAt: null }))).toBe('breached');
  });

  it('is met or missed once stopped, whatever the time now', () => {
    expect(slaStatus(clock({ stoppedAt: at(HOUR), now: at(100 * HOUR) }))).toBe('met');
    expect(slaStatus(clock({ stoppedAt: due, now: at(100 * HOUR) }))).toBe('met');
    expect(slaStatus(clock({ stoppedAt: t0 }))).toBe('met');
    expect(slaStatus(clock({ stoppedAt: at(24 * HOUR + 1), now: at(24 * HOUR + 1) }))).toBe('missed');
  });

  it('reaches every status it declares', () => {
    const seen = new Set([
      slaStatus(clock({})),
      slaStatus(clock({ now: due })),
      slaStatus(clock({ now: at(25 * HOUR) })),
      slaStatus(clock({ stoppedAt: due })),
      slaStatus(clock({ stoppedAt: at(25 * HOUR) })),
    ]);
    expect([...seen].sort()).toEqual([...SLA_STATUSES].sort());
  });

  it('refuses inconsistent or invalid input', () => {
    expect(() => slaStatus(clock({ dueAt: at(-1) }))).toThrow(/dueAt is before startedAt/);
    expect(() => slaStatus(clock({ stoppedAt: at(-1) }))).toThrow(/stoppedAt is before startedAt/);
    expect(() => slaStatus(clock({ warnBeforeMs: -1 }))).toThrow(RangeError);
    expect(() => slaStatus(clock({ warnBeforeMs: Number.NaN }))).toThrow(RangeError);
    expect(() => slaStatus(clock({ warnBeforeMs: Number.POSITIVE_INFINITY }))).toThrow(RangeError);
    expect(() => slaStatus(clock({ now: new Date('nope') }))).toThrow(/now must be a valid Date/);
    expect(() => slaStatus(clock({ startedAt: new Date(Number.NaN) }))).toThrow(/startedAt/);
    expect(() => slaStatus(clock({ stoppedAt: new Date(Number.NaN) }))).toThrow(/stoppedAt/);
  });
});

describe('dueDate', () => {
  const cal = new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [0, 6], holidays: ['2026-08-17'] });

  it('counts working days on the calendar: Friday 16:00 WIB + 1 = Monday 16:00 WIB', () => {
    expect(dueDate(cal, new Date('2026-07-10T09:00:00Z'), 1).toISOString()).toBe('2026-07-13T09:00:00.000Z');
    expect(dueDate(cal, new Date('2026-08-14T09:00:00Z'), 1).toISOString()).toBe('2026-08-18T09:00:00.000Z');
    expect(dueDate(cal, new Date('2026-07-11T03:00:00Z'), 0).toISOString()).toBe('2026-07-12T17:00:00.000Z'); // Saturday → Monday 00:00 WIB
  });

  it('gives a due date that slaStatus accepts', () => {
    const startedAt = new Date('2026-07-10T09:00:00Z');
    const dueAt = dueDate(cal, startedAt, 3);
    expect(slaStatus({ startedAt, dueAt, now: startedAt, warnBeforeMs: HOUR })).toBe('on_track');
  });

  it('refuses negative or fractional working days', () => {
    expect(() => dueDate(cal, t0, -1)).toThrow(RangeError);
    expect(() => dueDate(cal, t0, 0.5)).toThrow(RangeError);
    expect(() => dueDate(cal, t0, Number.NaN)).toThrow(RangeError);
  });
});
