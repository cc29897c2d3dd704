import { describe, expect, it } from 'vitest';
import {
  dueDates,
  IMPACTS,
  priorityOf,
  PRIORITIES,
  SERVICE_TIME_WORKING_DAYS,
  SLA_WORKING_DAYS,
  URGENCIES,
  type WorkingDays,
} from './priority.policy.js';

/** Monday–Friday, no holidays: enough to see that the policy counts working days, not days. */
const weekdays: WorkingDays = {
  addWorkingDays(start, days) {
    const d = new Date(start);
    let left = days;
    while (left > 0) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
    }
    return d;
  },
};

describe('priority policy', () => {
  it('maps impact × urgency to a priority, monotonically', () => {
    expect(priorityOf('critical', 'high')).toBe('P1');
    expect(priorityOf('critical', 'low')).toBe('P2');
    expect(priorityOf('high', 'medium')).toBe('P2');
    expect(priorityOf('medium', 'medium')).toBe('P3');
    expect(priorityOf('low', 'low')).toBe('P4');
    const rank = (p: string) => PRIORITIES.indexOf(p as (typeof PRIORITIES)[number]);
    for (let i = 1; i < IMPACTS.length; i++) {
      for (const u of URGENCIES) expect(rank(priorityOf(IMPACTS[i]!, u))).toBeLessThanOrEqual(rank(priorityOf(IMPACTS[i - 1]!, u)));
    }
    for (let j = 1; j < URGENCIES.length; j++) {
      for (const i of IMPACTS) expect(rank(priorityOf(i, URGENCIES[j]!))).toBeLessThanOrEqual(rank(priorityOf(i, URGENCIES[j - 1]!)));
    }
  });

  it('keeps every target inside the 1–10 working-day service time, in order, tighter for higher priority', () => {
    for (const p of PRIORITIES) {
      const t = SLA_WORKING_DAYS[p];
      expect(t.recommendation).toBeGreaterThanOrEqual(1);
      expect(t.recommendation).toBeLessThanOrEqual(t.resolution);
      expect(t.resolution).toBeLessThanOrEqual(t.closure);
      expect(t.closure).toBe(SERVICE_TIME_WORKING_DAYS);
    }
    expect(SLA_WORKING_DAYS.P1).toEqual({ recommendation: 1, resolution: 3, closure: 10 });
    expect(SLA_WORKING_DAYS.P4).toEqual({ recommendation: 3, resolution: 10, closure: 10 });
  });

  it('computes due dates in working days, not calendar days', () => {
    const friday = new Date('2026-03-06T03:00:00Z');
    const due = dueDates(weekdays, 'P1', friday);
    expect(due.recommendation.toISOString()).toBe('2026-03-09T03:00:00.000Z'); // Monday
    expect(due.resolution.toISOString()).toBe('2026-03-11T03:00:00.000Z');
    expect(due.closure.toISOString()).toBe('2026-03-20T03:00:00.000Z');
    const p4 = dueDates(weekdays, 'P4', friday);
    expect(p4.recommendation.toISOString()).toBe('2026-03-11T03:00:00.000Z');
    expect(p4.resolution.getTime()).toBe(p4.closure.getTime());
  });
});
