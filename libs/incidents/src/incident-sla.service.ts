import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, requestContext, ROLE_LABELS, UserEntity } from '@sandi/core';
import { IncidentEntity } from './entities/incident.entity.js';
import { IncidentMailService } from './incident-mail.service.js';
import { dueAt, sweepPlan, TARGET_LABELS, TARGET_TEAM } from './incident-sla.policy.js';
import { assigneeColumn } from './incident.repository.js';
import { IncidentService, SYSTEM_ACTOR } from './incident.service.js';
import { slaFactsOf } from './incident.views.js';
import { decide, STATE_LABELS, TEAM_ROLE } from './incident.workflow.js';
import { SLA_WARNING_HOURS, type SlaTarget } from './priority.policy.js';
import { categoryLabel } from './taxonomy.js';

export interface SweepResult {
  examined: number;
  warned: number;
  breached: number;
  closed: number;
  escalated: number;
}

/**
 * The SLA clock work the scheduler does: warn the team that owns a due date (once, by mail), record
 * breaches, and at ten working days put every open incident in front of the Data team: resolved
 * incidents are closed with a closure record, unresolved ones are flagged as escalated and mailed,
 * never closed. Each incident is handled in its own short transaction; a row another request holds
 * is skipped and picked up by the next run.
 */
@Injectable()
export class IncidentSlaService {
  private readonly logger = new Logger(IncidentSlaService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentService,
    private readonly audit: AuditService,
    private readonly mail: IncidentMailService,
  ) {}

  async sweep(now: Date = new Date()): Promise<SweepResult> {
    const run = () => this.sweepAt(now);
    return requestContext.get() ? run() : requestContext.runAsSystem('incidents.sla', run);
  }

  private async sweepAt(now: Date): Promise<SweepResult> {
    const warnMs = SLA_WARNING_HOURS * 3600_000;
    // The recommendation is always due first, so this finds every incident with any clock near or past due.
    const candidates: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM incidents
        WHERE status NOT IN ('rejected', 'closed', 'reporter_closed') AND recommendation_due_at <= $1
        ORDER BY closure_due_at, id`,
      [new Date(now.getTime() + warnMs)],
    );
    const result: SweepResult = { examined: candidates.length, warned: 0, breached: 0, closed: 0, escalated: 0 };
    for (const { id } of candidates) {
      try {
        await this.dataSource.transaction((em) => this.sweepOne(em, id, now, warnMs, result));
      } catch (err) {
        // One bad incident must not stop the clock work for the others; the next run retries it.
        this.logger.error(
          `SLA sweep of incident ${id} failed: ${err instanceof Error ? err.message : String(err)}`,
          err instanceof Error ? err.stack : undefined,
        );
      }
    }
    if (result.warned + result.breached + result.closed + result.escalated > 0) this.logger.log(`SLA sweep: ${JSON.stringify(result)}`);
    return result;
  }

  private async sweepOne(em: EntityManager, id: string, now: Date, warnMs: number, result: SweepResult): Promise<void> {
    const incident = await em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('i.id = :id', { id })
      .getOne();
    if (!incident) return;
    const plan = sweepPlan(slaFactsOf(incident), now, warnMs);

    for (const target of plan.warn) {
      incident.slaWarningsSent = [...incident.slaWarningsSent, target];
      const due = dueAt(slaFactsOf(incident), target);
      await this.incidents.addTimeline(em, id, now, SYSTEM_ACTOR, { kind: 'sla_warning', detail: { target, dueAt: due.toISOString() } });
      await this.audit.record(em, {
        action: 'incident.sla_warning',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, target, dueAt: due.toISOString() },
      });
      await this.warn(em, incident, target, due);
      result.warned++;
    }
    for (const target of plan.breach) {
      incident.slaBreaches = [...incident.slaBreaches, target];
      incident.slaBreachedAt ??= now;
      const due = dueAt(slaFactsOf(incident), target);
      await this.incidents.addTimeline(em, id, now, SYSTEM_ACTOR, { kind: 'sla_breach', detail: { target, dueAt: due.toISOString() } });
      await this.audit.record(em, {
        action: 'incident.sla_breached',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, target, dueAt: due.toISOString() },
      });
      result.breached++;
    }
    if (plan.closure === 'escalate') {
      incident.escalatedAt = now;
      await this.incidents.addTimeline(em, id, now, SYSTEM_ACTOR, {
        kind: 'escalated',
        detail: { status: incident.status, closureDueAt: incident.closureDueAt.toISOString() },
      });
      await this.audit.record(em, {
        action: 'incident.escalated',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, status: incident.status, closureDueAt: incident.closureDueAt.toISOString() },
      });
      await this.mail.toTeam(em, 'data', 'incidents.escalated', (locale) => ({
        ticket: incident.ticket,
        title: incident.title,
        status: STATE_LABELS[incident.status][locale],
        reportedAt: incident.reportedAt.toISOString(),
        incidentId: incident.id,
      }));
      result.escalated++;
    }
    if (plan.warn.length || plan.breach.length || plan.closure === 'escalate') await em.save(incident);

    if (plan.closure === 'close') {
      const d = decide(
        { status: incident.status, recommendationSent: incident.recommendationSentAt !== null },
        'close',
        SYSTEM_ACTOR.actors,
      );
      if (!d.ok) return;
      await this.incidents.perform(em, incident, d.transition, { closureRecord: automaticClosureRecord(incident) }, SYSTEM_ACTOR, now);
      await this.mail.toTeam(em, 'data', 'incidents.auto_closed', () => ({
        ticket: incident.ticket,
        title: incident.title,
        incidentId: incident.id,
      }));
      result.closed++;
    }
  }

  /** The warning goes to the assignee of the team that owns the due date, or to the whole team. */
  private async warn(em: EntityManager, incident: IncidentEntity, target: SlaTarget, due: Date): Promise<void> {
    const team = TARGET_TEAM[target];
    const assigneeId = incident[assigneeColumn(team)];
    const assignee = assigneeId ? await em.findOneBy(UserEntity, { id: assigneeId }) : null;
    const vars = (locale: 'id' | 'en') => ({
      ticket: incident.ticket,
      title: incident.title,
      target: TARGET_LABELS[target][locale],
      dueAt: due.toISOString(),
      incidentId: incident.id,
    });
    if (assignee?.active && assignee.roles.includes(TEAM_ROLE[team]))
      await this.mail.toUser(em, assignee, 'incidents.sla_warning', vars(assignee.locale));
    else await this.mail.toTeam(em, team, 'incidents.sla_warning', vars);
  }
}

/** The closure record the SLA job writes for a resolved incident at the ten-working-day mark. */
export function automaticClosureRecord(i: IncidentEntity): string {
  const category = categoryLabel(i.categoryCode);
  return [
    `Ditutup otomatis pada batas 10 hari kerja standar pelayanan (jatuh tempo ${i.closureDueAt.toISOString()}) atas nama ${ROLE_LABELS.incident_data.id}.`,
    `Closed automatically at the ten-working-day limit of the service standard (due ${i.closureDueAt.toISOString()}) on behalf of the ${ROLE_LABELS.incident_data.en}.`,
    `Tiket: ${i.ticket} · Kategori: ${i.categoryCode} (${category.en}) · Prioritas: ${i.priority} · TLP:${i.tlp}`,
    `Dilaporkan: ${i.reportedAt.toISOString()} · Rekomendasi awal: ${i.recommendedAt?.toISOString() ?? '-'} · Selesai ditangani: ${i.resolvedAt?.toISOString() ?? '-'}`,
    `Laporan penyelesaian / resolution report:\n${i.resolutionReport ?? '-'}`,
  ].join('\n');
}
