import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfigService } from '../config/config.service.js';
import { SqlStatement } from '../database/sql-statement.js';
import { offsetOf, pageOf, type Page } from '../http/pagination.js';
import type { OutboxMessageDto } from './dto/mailbox.dto.js';
import { renderMail, type MailLocale, type TemplateId, type TemplateVars } from './mail-templates.js';
import { NotifyErrorCode, NotifyException } from './notify.exception.js';
import type { OutboxStatus } from './outbox-message.entity.js';

export interface EnqueueMail<T extends TemplateId = TemplateId> {
  to: string;
  template: T;
  /** Default 'id' (Bahasa Indonesia). */
  locale?: MailLocale;
  vars: TemplateVars<T>;
}

const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** One bare mailbox address (no display name, no list), or null. */
export function normaliseMailAddress(raw: string): string | null {
  const to = typeof raw === 'string' ? raw.trim() : '';
  if (to.length > 254 || !ADDRESS.test(to)) return null;
  const local = to.slice(0, to.lastIndexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return to;
}

interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  transport: 'smtp' | 'devbox' | null;
}

/** Writes mail to the outbox; the OutboxWorker delivers it after the writing transaction commits. */
@Injectable()
export class NotifyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService,
  ) {}

  /**
   * Renders `template` and inserts the message with the caller's transaction manager, so the mail
   * exists exactly when the change that caused it commits. Returns the outbox id.
   * Throws NotifyException (400) for an invalid address and MailTemplateError for a misused template.
   */
  async enqueue<T extends TemplateId>(em: EntityManager, msg: EnqueueMail<T>): Promise<string> {
    const row = this.rendered(msg);
    const rows: { id: string }[] = await em.query(
      `INSERT INTO outbox_messages (to_address, subject, text_body, html_body, template, locale)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [row.to, row.subject, row.text, row.html, row.template, row.locale],
    );
    return rows[0]!.id;
  }

  /** `enqueue` as a part of the caller's single statement (see SqlStatement). */
  enqueueIn<T extends TemplateId>(stmt: SqlStatement, msg: EnqueueMail<T>): void {
    const r = this.rendered(msg);
    const p = (v: unknown) => stmt.param(v, 'text');
    stmt.with(
      'outbox_queued',
      `INSERT INTO outbox_messages (to_address, subject, text_body, html_body, template, locale)
       VALUES (${p(r.to)}, ${p(r.subject)}, ${p(r.text)}, ${p(r.html)}, ${p(r.template)}, ${p(r.locale)})`,
    );
  }

  private rendered<T extends TemplateId>(msg: EnqueueMail<T>) {
    const to = normaliseMailAddress(msg.to);
    if (!to) {
      throw new NotifyException(NotifyErrorCode.InvalidAddress, 'Alamat e-mail tidak valid (invalid e-mail address)', {
        errors: [{ field: 'to', message: 'invalid e-mail address' }],
      });
    }
    const locale: MailLocale = msg.locale === 'en' ? 'en' : 'id';
    const mail = renderMail(msg.template, locale, { ...(msg.vars as Record<string, string>), appUrl: this.config.get('PUBLIC_URL') });
    return { to, locale, template: msg.template as string, ...mail };
  }

  /**
   * The same message to every active user holding `role`, each in their own language, in one
   * statement in the caller's transaction (a team notice on a hot path costs one round trip, not one
   * per member). `vars` may depend on the language. Returns how many were queued.
   */
  async enqueueForRole<T extends TemplateId>(
    em: EntityManager,
    role: string,
    template: T,
    vars: (locale: MailLocale) => TemplateVars<T>,
  ): Promise<number> {
    const stmt = new SqlStatement();
    const part = this.enqueueForRoleIn(stmt, role, template, vars);
    const rows: { n: number }[] = await em.query(...stmt.build(`SELECT count(*)::int AS n FROM ${part}`));
    return rows[0]?.n ?? 0;
  }

  /** `enqueueForRole` as a part of the caller's single statement; returns the part's name (one row per message). */
  enqueueForRoleIn<T extends TemplateId>(
    stmt: SqlStatement,
    role: string,
    template: T,
    vars: (locale: MailLocale) => TemplateVars<T>,
  ): string {
    const appUrl = this.config.get('PUBLIC_URL');
    const id = renderMail(template, 'id', { ...(vars('id') as Record<string, string>), appUrl });
    const en = renderMail(template, 'en', { ...(vars('en') as Record<string, string>), appUrl });
    const p = (v: unknown) => stmt.param(v, 'text');
    const [subjectId, subjectEn, textId, textEn, htmlId, htmlEn] = [
      p(id.subject),
      p(en.subject),
      p(id.text),
      p(en.text),
      p(id.html),
      p(en.html),
    ];
    return stmt.with(
      'outbox_role',
      `INSERT INTO outbox_messages (to_address, subject, text_body, html_body, template, locale)
       SELECT u.email,
              CASE WHEN u.locale = 'en' THEN ${subjectEn} ELSE ${subjectId} END,
              CASE WHEN u.locale = 'en' THEN ${textEn} ELSE ${textId} END,
              CASE WHEN u.locale = 'en' THEN ${htmlEn} ELSE ${htmlId} END,
              ${p(template)},
              CASE WHEN u.locale = 'en' THEN 'en' ELSE 'id' END
         FROM users u
        WHERE ${p(role)} = ANY(u.roles) AND u.active
        ORDER BY u.username
       RETURNING 1`,
    );
  }

  /** The mailbox page: every message, newest first. */
  async list(q: { page: number; pageSize: number }): Promise<Page<OutboxMessageDto>> {
    const [rows, [count]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, to_address, subject, text_body, status, attempts, last_error, created_at, sent_at, transport
         FROM outbox_messages ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [q.pageSize, offsetOf(q)],
      ) as Promise<OutboxRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM outbox_messages`) as Promise<{ total: number }[]>,
    ]);
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        text: r.text_body,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: new Date(r.created_at).toISOString(),
        sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
        transport: r.transport,
      })),
      count?.total ?? 0,
      q,
    );
  }
}
