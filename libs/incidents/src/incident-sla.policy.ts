import { slaStatus, type SlaStatus } from '@sandi/core';
import { type IncidentState, type Team } from './incident.workflow.js';
import { SLA_TARGETS, type SlaTarget } from './priority.policy.js';

/**
 * The service-level clocks of one incident and what the SLA job must do about them. Pure: the
 * service passes the incident's columns and a `now`, the job and the tests alike.
 *
 * A clock stops when its work is done: the recommendation when the first initial recommendation is
 * sent, the resolution when the handling team submits its report, the closure when the data team
 * closes. A rejected report stops every clock.
 */
export interface SlaFacts {
  status: IncidentState;
  slaStartedAt: Date;
  recommendationDueAt: Date;
  resolutionDueAt: Date;
  closureDueAt: Date;
  recommendedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rejectedAt: Date | null;
  slaBreaches: readonly SlaTarget[];
  slaWarningsSent: readonly SlaTarget[];
  escalatedAt: Date | null;
}

/** The team whose work stops each clock: they get the warning. */
export const TARGET_TEAM: Record<SlaTarget, Team> = { recommendation: 'analysis', resolution: 'handling', closure: 'data' };

export const TARGET_LABELS: Record<SlaTarget, { id: string; en: string }> = {
  recommendation: { id: 'rekomendasi awal', en: 'initial recommendation' },
  resolution: { id: 'penyelesaian', en: 'resolution' },
  closure: { id: 'penutupan', en: 'closure' },
};

export function dueAt(f: SlaFacts, target: SlaTarget): Date {
  switch (target) {
    case 'recommendation':
      return f.recommendationDueAt;
    case 'resolution':
      return f.resolutionDueAt;
    case 'closure':
      return f.closureDueAt;
  }
}

/** When the clock stopped: work done, or the report rejected. Null while it runs. */
export function stoppedAt(f: SlaFacts, target: SlaTarget): Date | null {
  const done = target === 'recommendation' ? f.recommendedAt : target === 'resolution' ? f.resolvedAt : f.closedAt;
  return done ?? f.rejectedAt ?? null;
}

export function metAt(f: SlaFacts, target: SlaTarget): Date | null {
  return target === 'recommendation' ? f.recommendedAt : target === 'resolution' ? f.resolvedAt : f.closedAt;
}

export interface SlaClock {
  dueAt: Date;
  metAt: Date | null;
  status: SlaStatus;
}

export function slaClocks(f: SlaFacts, now: Date, warnBeforeMs: number): Record<SlaTarget, SlaClock> {
  const clock = (target: SlaTarget): SlaClock => {
    const due = dueAt(f, target);
    const stopped = stoppedAt(f, target);
    // A clock restarted by a supplement may have been stopped before the restart only by a rejection,
    // which cannot precede a supplement; still guard the invariant slaStatus checks.
    const start = f.slaStartedAt.getTime() <= due.getTime() ? f.slaStartedAt : due;
    const safeStop = stopped && stopped.getTime() < start.getTime() ? start : stopped;
    return {
      dueAt: due,
      metAt: metAt(f, target),
      status: slaStatus({ startedAt: start, dueAt: due, stoppedAt: safeStop, now, warnBeforeMs }),
    };
  };
  return { recommendation: clock('recommendation'), resolution: clock('resolution'), closure: clock('closure') };
}

export interface NextDue {
  target: SlaTarget;
  /** The team whose work stops this clock. */
  team: Team;
  dueAt: Date;
  status: Extract<SlaStatus, 'on_track' | 'due_soon' | 'breached'>;
}

/**
 * What is due next: the first clock still running (they fall due in the order recommendation,
 * resolution, closure), with its due date and state; null when every clock has stopped.
 */
export function nextDue(f: SlaFacts, now: Date, warnBeforeMs: number): NextDue | null {
  const clocks = slaClocks(f, now, warnBeforeMs);
  for (const target of SLA_TARGETS) {
    if (stoppedAt(f, target) !== null) continue;
    const status = clocks[target].status;
    if (status === 'on_track' || status === 'due_soon' || status === 'breached')
      return { target, team: TARGET_TEAM[target], dueAt: clocks[target].dueAt, status };
  }
  return null;
}

/** Past a due date whose work is not done. */
export function isOverdue(f: SlaFacts, now: Date): boolean {
  return SLA_TARGETS.some((t) => stoppedAt(f, t) === null && now.getTime() > dueAt(f, t).getTime());
}

export interface SweepPlan {
  /** Targets due within the warning window, not yet warned about. */
  warn: SlaTarget[];
  /** Targets past due, not yet recorded as breached. */
  breach: SlaTarget[];
  /**
   * At the closure due date: `close` a resolved incident (with a closure record), `escalate` an
   * unresolved one (once). Never closes an unresolved incident.
   */
  closure: 'close' | 'escalate' | null;
}

export function sweepPlan(f: SlaFacts, now: Date, warnBeforeMs: number): SweepPlan {
  const clocks = slaClocks(f, now, warnBeforeMs);
  const warn = SLA_TARGETS.filter((t) => clocks[t].status === 'due_soon' && !f.slaWarningsSent.includes(t));
  const breach = SLA_TARGETS.filter((t) => clocks[t].status === 'breached' && !f.slaBreaches.includes(t));
  let closure: SweepPlan['closure'] = null;
  if (now.getTime() >= f.closureDueAt.getTime() && stoppedAt(f, 'closure') === null) {
    if (f.status === 'resolved') closure = 'close';
    else if (f.escalatedAt === null && f.status !== 'closed' && f.status !== 'reporter_closed') closure = 'escalate';
  }
  return { warn, breach, closure };
}
