import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotifyService, ROLE_LABELS, type MailLocale, type SqlStatement, type TemplateId, type TemplateVars } from '@sandi/core';
import type { IncidentEntity } from './entities/incident.entity.js';
import { TEAM_ROLE, type Team } from './incident.workflow.js';

/**
 * Incident mail, always written to the outbox inside the transaction of the change that caused it.
 * The reporter is written to in the language they chose; staff in their own.
 */
@Injectable()
export class IncidentMailService {
  constructor(private readonly notify: NotifyService) {}

  /** To the reporter, when the report left an address (a phone report may not have one). */
  async toReporter<T extends TemplateId>(em: EntityManager, incident: IncidentEntity, template: T, vars: TemplateVars<T>): Promise<void> {
    if (!incident.reporterEmail) return;
    await this.notify.enqueue(em, { to: incident.reporterEmail, template, locale: incident.reporterLocale, vars });
  }

  /** `toReporter` as a part of the caller's single statement (the intake). */
  toReporterIn<T extends TemplateId>(stmt: SqlStatement, incident: IncidentEntity, template: T, vars: TemplateVars<T>): void {
    if (incident.reporterEmail)
      this.notify.enqueueIn(stmt, { to: incident.reporterEmail, template, locale: incident.reporterLocale, vars });
  }

  /** `forwarded` as a part of the caller's single statement (the intake). */
  forwardedIn(stmt: SqlStatement, incident: IncidentEntity, team: Team): void {
    this.notify.enqueueForRoleIn(stmt, TEAM_ROLE[team], 'incidents.forwarded', (locale) => forwardedVars(incident, team, locale));
  }

  /** To every active member of a team (one statement); `vars` may depend on the member's language (team names). */
  toTeam<T extends TemplateId>(em: EntityManager, team: Team, template: T, vars: (locale: MailLocale) => TemplateVars<T>): Promise<number> {
    return this.notify.enqueueForRole(em, TEAM_ROLE[team], template, vars);
  }

  async toUser<T extends TemplateId>(
    em: EntityManager,
    user: { email: string; locale: MailLocale },
    template: T,
    vars: TemplateVars<T>,
  ): Promise<void> {
    await this.notify.enqueue(em, { to: user.email, template, locale: user.locale, vars });
  }

  /** "The incident is now in your queue." */
  forwarded(em: EntityManager, incident: IncidentEntity, team: Team): Promise<number> {
    return this.toTeam(em, team, 'incidents.forwarded', (locale) => forwardedVars(incident, team, locale));
  }
}

function forwardedVars(incident: IncidentEntity, team: Team, locale: MailLocale): TemplateVars<'incidents.forwarded'> {
  return {
    ticket: incident.ticket,
    title: incident.title,
    priority: incident.priority,
    team: ROLE_LABELS[TEAM_ROLE[team]][locale],
    incidentId: incident.id,
  };
}
