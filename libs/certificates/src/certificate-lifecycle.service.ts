import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, ConfigService, NotifyService } from '@sandi/core';
import { CertApplicationService, PROCEDURE_LABEL } from './cert-application.service.js';
import { OPEN_APPLICATION_STATES, waitingOn, type ApplicationState, type Procedure, type RaAdapterKind } from './certificate.workflow.js';
import { CertApplicationEventEntity } from './entities/cert-application-event.entity.js';
import { CertApplicationEntity } from './entities/cert-application.entity.js';
import { CertHolderEntity } from './entities/cert-holder.entity.js';
import { REGISTRATION_AUTHORITY, type RegistrationAuthority } from './ra/registration-authority.port.js';

/** Expiry notices go out this many days before notAfter (the largest first). */
export const EXPIRY_NOTICE_DAYS = [30, 7, 1] as const;
const DAY = 86_400_000;
const WAITING_LABEL: Record<'verifier' | 'applicant' | 'ra', { id: string; en: string }> = {
  verifier: { id: 'Verifikator', en: 'the verifier' },
  applicant: {
    id: 'pemohon (tautan yang dikirim belum dipakai; kirim ulang bila perlu)',
    en: 'the applicant (the link sent is unused; resend it if needed)',
  },
  ra: { id: 'Registration Authority', en: 'the Registration Authority' },
};

/** The notice due for a certificate now: the smallest threshold already reached and not yet sent. */
export function dueNotice(notAfter: Date, sent: readonly number[], now: Date): number | null {
  const left = (notAfter.getTime() - now.getTime()) / DAY;
  if (left <= 0) return null;
  const reached = EXPIRY_NOTICE_DAYS.filter((d) => left <= d);
  if (!reached.length) return null;
  const smallest = Math.min(...reached);
  // One mail per threshold; a late run sends only the most urgent one, not a burst of three.
  return sent.includes(smallest) ? null : smallest;
}

/** Scheduled work of the certificate service; bodies of certificates.jobs.ts. */
@Injectable()
export class CertificateLifecycleService {
  private readonly logger = new Logger(CertificateLifecycleService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly notify: NotifyService,
    private readonly audit: AuditService,
    private readonly config: ConfigService,
    private readonly applications: CertApplicationService,
    @Inject(REGISTRATION_AUTHORITY) private readonly ra: RegistrationAuthority,
  ) {}

  /** E-mails holders and their verifier 30, 7 and 1 days before notAfter. */
  async sendExpiryNotices(now = new Date()): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.serial, c.not_after, c.expiry_notices, h.full_name, h.email, v.email AS verifier_email, v.full_name AS verifier_name, v.locale AS verifier_locale
       FROM certificates c JOIN cert_holders h ON h.id = c.holder_id LEFT JOIN users v ON v.id = h.verifier_id AND v.active
       WHERE c.status = 'active' AND c.not_after > $1 AND c.not_after <= $2
         AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.holder_id = c.holder_id AND n.status = 'active' AND n.not_after > c.not_after)`,
      [now, new Date(now.getTime() + EXPIRY_NOTICE_DAYS[0] * DAY)],
    )) as Array<{
      id: string;
      serial: string;
      not_after: Date;
      expiry_notices: number[];
      full_name: string;
      email: string;
      verifier_email: string | null;
      verifier_name: string | null;
      verifier_locale: 'id' | 'en' | null;
    }>;
    let sent = 0;
    for (const r of rows) {
      const days = dueNotice(r.not_after, r.expiry_notices, now);
      if (days === null) continue;
      await this.dataSource.transaction(async (em) => {
        // Claim the notice first: two instances never both send it.
        const claimed = (await em.query(
          `UPDATE certificates SET expiry_notices = array_append(expiry_notices, $2) WHERE id = $1 AND NOT ($2 = ANY(expiry_notices)) RETURNING id`,
          [r.id, days],
        )) as [unknown[], number];
        if (!claimed[1]) return;
        const vars = { holder: r.full_name, serial: r.serial, notAfter: r.not_after.toISOString(), days: String(days) };
        await this.notify.enqueue(em, { to: r.email, template: 'certificates.expiring', vars: { ...vars, name: r.full_name } });
        if (r.verifier_email)
          await this.notify.enqueue(em, {
            to: r.verifier_email,
            template: 'certificates.expiring',
            locale: r.verifier_locale ?? 'id',
            vars: { ...vars, name: r.verifier_name ?? '' },
          });
        await this.audit.record(em, {
          action: 'certificates.expiry_notice',
          entityType: 'certificate',
          entityId: r.id,
          detail: { serial: r.serial, days },
        });
        sent += 1;
      });
    }
    return sent;
  }

  /**
   * SLA: an application still open when its service time (3 working days) has run out is put in
   * front of the people who must move it, once: its verifier (who owns it towards the applicant) and,
   * when it waits on the Registration Authority of the local CA, the RA operators. With BSrE the
   * verifier follows up on the body's portal. Claimed per application, so two instances send once.
   */
  async sendOverdueReminders(now = new Date()): Promise<number> {
    const due = (await this.dataSource.query(
      `SELECT id FROM cert_applications WHERE state = ANY($1) AND due_at <= $2 AND overdue_notified_at IS NULL ORDER BY due_at LIMIT 200`,
      [[...OPEN_APPLICATION_STATES], now],
    )) as Array<{ id: string }>;
    let sent = 0;
    for (const { id } of due) {
      await this.dataSource.transaction(async (em) => {
        const claimed = (await em.query(
          `UPDATE cert_applications SET overdue_notified_at = $2 WHERE id = $1 AND overdue_notified_at IS NULL AND state = ANY($3) RETURNING number, procedure, adapter, state, verifier_id, holder_id, due_at`,
          [id, now, [...OPEN_APPLICATION_STATES]],
        )) as [
          Array<{
            number: string;
            procedure: Procedure;
            adapter: RaAdapterKind;
            state: ApplicationState;
            verifier_id: string;
            holder_id: string;
            due_at: Date;
          }>,
          number,
        ];
        const app = claimed[0][0];
        if (!app) return;
        const waiting = waitingOn({ procedure: app.procedure, adapter: app.adapter, state: app.state });
        const [holder] = (await em.query(`SELECT full_name FROM cert_holders WHERE id = $1`, [app.holder_id])) as Array<{
          full_name: string;
        }>;
        const recipients = (await em.query(
          `SELECT email, locale FROM users WHERE active AND (id = $1 OR ($2 AND 'ra_operator' = ANY(roles)))`,
          [app.verifier_id, waiting === 'ra' && app.adapter === 'local'],
        )) as Array<{ email: string; locale: 'id' | 'en' }>;
        for (const r of recipients) {
          await this.notify.enqueue(em, {
            to: r.email,
            template: 'certificates.overdue',
            locale: r.locale,
            vars: {
              number: app.number,
              procedure: PROCEDURE_LABEL[app.procedure][r.locale],
              name: holder?.full_name ?? '-',
              waiting: WAITING_LABEL[waiting ?? 'verifier'][r.locale],
              dueAt: app.due_at.toISOString(),
              applicationId: id,
            },
          });
        }
        await em.insert(CertApplicationEventEntity, {
          applicationId: id,
          at: now,
          actorKind: 'system',
          actorId: null,
          actorName: 'SLA',
          action: 'overdue',
          fromState: app.state,
          toState: app.state,
          note: `batas waktu ${app.due_at.toISOString()} terlewati; menunggu ${waiting ?? '-'}`,
        });
        await this.audit.record(em, {
          action: 'certificates.sla_overdue',
          entityType: 'cert_application',
          entityId: id,
          detail: {
            number: app.number,
            state: app.state,
            waitingOn: waiting,
            dueAt: app.due_at.toISOString(),
            notified: recipients.length,
          },
        });
        sent += 1;
      });
    }
    return sent;
  }

  /**
   * BSrE: follows submissions recorded on the body's portal by polling the holder status, and moves
   * an application on when the decision shows (issued / renewed certificate in the chain, REVOKE).
   */
  async pollRegistrationAuthority(now = new Date()): Promise<{ polled: number; decided: number }> {
    if (!this.ra.poll) return { polled: 0, decided: 0 };
    const every = this.config.get('BSRE_POLL_MINUTES') * 60_000;
    const due = (await this.dataSource.query(
      `SELECT id FROM cert_applications WHERE adapter = 'bsre' AND state = 'ra_review' AND procedure <> 'update'
         AND (ra_last_polled_at IS NULL OR ra_last_polled_at <= $1) ORDER BY ra_last_polled_at NULLS FIRST LIMIT 50`,
      [new Date(now.getTime() - every)],
    )) as Array<{ id: string }>;
    let decided = 0;
    for (const { id } of due) {
      try {
        const peek = await this.dataSource.getRepository(CertApplicationEntity).findOneByOrFail({ id });
        const holder = await this.dataSource.getRepository(CertHolderEntity).findOneByOrFail({ id: peek.holderId });
        const c = await this.dataSource.transaction((em) => this.applications.raCase(em, peek, holder));
        const result = await this.ra.poll(c);
        const outcome = await this.dataSource.transaction(async (em) => {
          const app = await this.applications.lockApplication(em, id);
          app.raLastPolledAt = now;
          app.raLastStatus = result.status;
          if (!result.decided || app.state !== 'ra_review') {
            await em.save(app);
            return null;
          }
          const h = await em.findOneByOrFail(CertHolderEntity, { id: app.holderId });
          app.raDecidedAt = now;
          app.state = 'completed';
          decided += 1;
          return this.applications.finishStep(
            em,
            app,
            h,
            'ra_approve',
            'ra_review',
            { kind: 'system', id: null, name: 'BSrE' },
            `status ${result.status}`,
            now,
          );
        });
        await this.applications.afterCommit(outcome);
      } catch (err) {
        // One unreachable poll must not stop the others; the next run tries again.
        this.logger.warn(`poll of application ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
        await this.dataSource.query(`UPDATE cert_applications SET ra_last_polled_at = $2, ra_last_status = 'poll_failed' WHERE id = $1`, [
          id,
          now,
        ]);
      }
    }
    return { polled: due.length, decided };
  }
}
