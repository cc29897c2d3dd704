import { describe, expect, it } from 'vitest';
import { isOverdue, nextDue, slaClocks, sweepPlan, type SlaFacts } from './incident-sla.policy.js';

const H = 3600_000;
const t0 = new Date('2026-03-02T02:00:00Z'); // Monday 09:00 WIB
const at = (hours: number) => new Date(t0.getTime() + hours * H);

function facts(over: Partial<SlaFacts> = {}): SlaFacts {
  return {
    status: 'in_analysis',
    slaStartedAt: t0,
    recommendationDueAt: at(24),
    resolutionDueAt: at(72),
    closureDueAt: at(14 * 24),
    recommendedAt: null,
    resolvedAt: null,
    closedAt: null,
    rejectedAt: null,
    slaBreaches: [],
    slaWarningsSent: [],
    escalatedAt: null,
    ...over,
  };
}

describe('incident SLA policy', () => {
  it('runs each clock until its work is done', () => {
    const c = slaClocks(facts({ recommendedAt: at(5) }), at(50), 24 * H);
    expect(c.recommendation.status).toBe('met');
    expect(c.resolution.status).toBe('due_soon');
    expect(c.closure.status).toBe('on_track');
    const late = slaClocks(facts({ recommendedAt: at(30) }), at(31), 24 * H);
    expect(late.recommendation.status).toBe('missed');
  });

  it('warns once inside the window and records a breach once past due', () => {
    expect(sweepPlan(facts(), at(1), 24 * H).warn).toEqual(['recommendation']);
    expect(sweepPlan(facts({ slaWarningsSent: ['recommendation'] }), at(1), 24 * H).warn).toEqual([]);
    expect(sweepPlan(facts(), at(25), 24 * H)).toMatchObject({ breach: ['recommendation'], warn: [] });
    expect(sweepPlan(facts({ slaBreaches: ['recommendation'] }), at(25), 24 * H).breach).toEqual([]);
    expect(sweepPlan(facts(), at(73), 24 * H).breach).toEqual(['recommendation', 'resolution']);
  });

  it('at the closure mark closes a resolved incident and escalates an unresolved one, never closing it', () => {
    const mark = at(14 * 24);
    expect(sweepPlan(facts({ status: 'resolved', recommendedAt: at(2), resolvedAt: at(50) }), mark, 24 * H).closure).toBe('close');
    expect(sweepPlan(facts({ status: 'in_handling', recommendedAt: at(2) }), mark, 24 * H).closure).toBe('escalate');
    expect(sweepPlan(facts({ status: 'reported' }), mark, 24 * H).closure).toBe('escalate');
    expect(sweepPlan(facts({ status: 'in_handling', escalatedAt: mark }), at(15 * 24), 24 * H).closure).toBeNull();
    expect(sweepPlan(facts({ status: 'resolved', resolvedAt: at(50) }), at(14 * 24 - 1), 24 * H).closure).toBeNull();
    expect(sweepPlan(facts({ status: 'closed', resolvedAt: at(50), closedAt: at(60) }), mark, 24 * H).closure).toBeNull();
  });

  it('stops every clock when the report is rejected', () => {
    const rejected = facts({ status: 'rejected', rejectedAt: at(2) });
    expect(sweepPlan(rejected, at(400), 24 * H)).toEqual({ warn: [], breach: [], closure: null });
    expect(isOverdue(rejected, at(400))).toBe(false);
  });

  it('calls an incident overdue while any unmet due date has passed', () => {
    expect(isOverdue(facts(), at(23))).toBe(false);
    expect(isOverdue(facts(), at(25))).toBe(true);
    expect(isOverdue(facts({ recommendedAt: at(3) }), at(25))).toBe(false);
    expect(isOverdue(facts({ status: 'resolved', recommendedAt: at(3), resolvedAt: at(40) }), at(14 * 24 + 1))).toBe(true);
  });

  it('names what is due next: the first running clock, its team, date and state; nothing once all stopped', () => {
    expect(nextDue(facts(), at(1), 2 * H)).toEqual({ target: 'recommendation', team: 'analysis', dueAt: at(24), status: 'on_track' });
    expect(nextDue(facts(), at(23), 2 * H)).toMatchObject({ target: 'recommendation', status: 'due_soon' });
    expect(nextDue(facts(), at(25), 2 * H)).toMatchObject({ target: 'recommendation', status: 'breached' });
    // A met clock is not "next", even when it was missed; the following one is.
    expect(nextDue(facts({ recommendedAt: at(30) }), at(31), 2 * H)).toEqual({
      target: 'resolution',
      team: 'handling',
      dueAt: at(72),
      status: 'on_track',
    });
    expect(nextDue(facts({ status: 'resolved', recommendedAt: at(3), resolvedAt: at(40) }), at(41), 2 * H)).toMatchObject({
      target: 'closure',
      team: 'data',
      status: 'on_track',
    });
    expect(nextDue(facts({ status: 'closed', recommendedAt: at(3), resolvedAt: at(40), closedAt: at(50) }), at(51), 2 * H)).toBeNull();
    expect(nextDue(facts({ status: 'rejected', rejectedAt: at(2) }), at(400), 2 * H)).toBeNull();
  });
});
