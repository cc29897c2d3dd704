import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditService,
  CalendarService,
  ConfigService,
  DataCipher,
  DemoSeedService,
  FileStorageService,
  NotifyService,
  parseConfig,
} from '@sandi/core';
import {
  IncidentMailService,
  IncidentRepository,
  IncidentService,
  IncidentSlaService,
  type IncidentActionDto,
  type IncidentAction,
  type PublicReportDto,
  type StaffUser,
} from '@sandi/incidents';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { STEP_PAYLOADS } from '../factories/incident.factory.js';

/** Thursday 12 March 2026, 09:00 WIB: ten working days later crosses Nyepi and the Idul Fitri holidays. */
const T0 = new Date('2026-03-12T02:00:00Z');
const at = (iso: string) => new Date(iso);

describe(`incident SLA job (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let storageDir: string;
  let incidents: IncidentService;
  let sla: IncidentSlaService;
  const staff = new Map<string, StaffUser>();

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = mkdtempSync(join(tmpdir(), 'sandi-incidents-sla-'));
    const config = new ConfigService(parseConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://sandi.example.go.id', STORAGE_DIR: storageDir }));
    const audit = new AuditService(db.dataSource);
    const repo = new IncidentRepository(db.dataSource);
    const mail = new IncidentMailService(new NotifyService(db.dataSource, config));
    incidents = new IncidentService(
      db.dataSource,
      repo,
      audit,
      mail,
      new FileStorageService(config),
      new CalendarService(config),
      config,
      new DataCipher(randomBytes(32).toString('base64')),
    );
    sla = new IncidentSlaService(db.dataSource, incidents, audit, mail);
    await new DemoSeedService(db.dataSource, audit).seedIfEmpty();
    const users: Array<{ id: string; full_name: string; roles: string[] }> = await db.dataSource.query(
      `SELECT id, full_name, roles FROM users`,
    );
    for (const u of users) staff.set(u.roles[0]!, { id: u.id, fullName: u.full_name, roles: u.roles });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const report = (now: Date, over: Partial<PublicReportDto> = {}) =>
    incidents.reportPublic(
      {
        reporterName: 'Siti',
        reporterEmail: 'siti@dinkes.example.go.id',
        title: 'Deface situs',
        description: 'Halaman utama berubah.',
        ...over,
      } as PublicReportDto,
      [],
      now,
    );
  const idOf = async (ticket: string): Promise<string> =>
    (await db.dataSource.query(`SELECT id FROM incidents WHERE ticket = $1`, [ticket]))[0].id;
  const row = async (id: string) => (await db.dataSource.query(`SELECT * FROM incidents WHERE id = $1`, [id]))[0];
  const outbox = (template: string, to?: string): Promise<Array<{ to_address: string; text_body: string }>> =>
    db.dataSource.query(
      `SELECT to_address, text_body FROM outbox_messages WHERE template = $1 AND ($2::text IS NULL OR to_address = $2) ORDER BY created_at`,
      [template, to ?? null],
    );
  const count = async (table: string) => (await db.dataSource.query(`SELECT count(*)::int AS c FROM ${table}`))[0].c as number;

  const ROLE_OF: Record<string, string> = {
    validate: 'helpdesk',
    record: 'incident_data',
    start_analysis: 'incident_analyst',
    send_initial_recommendation: 'incident_analyst',
    hand_over: 'incident_analyst',
    submit_resolution: 'incident_handler',
  };
  async function drive(id: string, actions: IncidentAction[], now: Date) {
    for (const a of actions) await incidents.act(id, a, STEP_PAYLOADS[a] as IncidentActionDto, staff.get(ROLE_OF[a]!)!, now);
  }

  it('counts due dates in working days of the national calendar, skipping Nyepi and Idul Fitri', async () => {
    const { ticket } = await report(T0);
    const r = await row(await idOf(ticket));
    expect(r.priority).toBe('P3');
    expect(new Date(r.recommendation_due_at).toISOString()).toBe('2026-03-16T02:00:00.000Z'); // +2: Fri, Mon
    expect(new Date(r.resolution_due_at).toISOString()).toBe('2026-03-30T02:00:00.000Z'); // +7, past 18–24 March
    expect(new Date(r.closure_due_at).toISOString()).toBe('2026-04-02T02:00:00.000Z'); // +10 (calendar days would say 26 March)
  });

  it('warns the owning team once before a due date and records a breach once after it', async () => {
    const { ticket } = await report(T0);
    const id = await idOf(ticket);
    const analystMail = async () =>
      (await outbox('incidents.sla_warning', 'incident.analyst@demo.sandi.local')).filter((m) => m.text_body.includes(ticket));
    const before = (await analystMail()).length;
    expect(before).toBe(0);

    await sla.sweep(at('2026-03-13T02:00:00Z'));
    expect((await row(id)).sla_warnings_sent).toEqual([]); // a working day and a weekend ahead: too early

    const sunday = at('2026-03-15T03:00:00Z'); // 23 h before the recommendation is due
    await sla.sweep(sunday);
    expect((await row(id)).sla_warnings_sent).toEqual(['recommendation']);
    const mails = await analystMail();
    expect(mails.length).toBe(before + 1);
    expect(mails.at(-1)!.text_body).toContain(ticket);
    await sla.sweep(sunday);
    expect((await analystMail()).length).toBe(before + 1);

    const late = at('2026-03-16T03:00:00Z');
    await sla.sweep(late);
    let r = await row(id);
    expect(r.sla_breaches).toEqual(['recommendation']);
    expect(new Date(r.sla_breached_at).toISOString()).toBe(late.toISOString());
    await sla.sweep(at('2026-03-16T05:00:00Z'));
    r = await row(id);
    expect(r.sla_breaches).toEqual(['recommendation']);
    expect(new Date(r.sla_breached_at).toISOString()).toBe(late.toISOString());

    const kinds: Array<{ kind: string; actor_kind: string }> = await db.dataSource.query(
      `SELECT kind, actor_kind FROM incident_timeline WHERE incident_id = $1 AND kind LIKE 'sla_%' ORDER BY id`,
      [id],
    );
    expect(kinds).toEqual([
      { kind: 'sla_warning', actor_kind: 'system' },
      { kind: 'sla_breach', actor_kind: 'system' },
    ]);
    const overdue = await incidents.list({ page: 1, pageSize: 200, overdue: true }, staff.get('helpdesk')!, late);
    expect(overdue.items.map((i) => i.id)).toContain(id);
  });

  it('at ten working days closes a resolved incident with a closure record and escalates an unresolved one, never closing it', async () => {
    const resolved = await idOf((await report(T0, { title: 'Resolved' })).ticket);
    const open = await idOf((await report(T0, { title: 'Still open' })).ticket);
    const rejected = await idOf((await report(T0, { title: 'Out of scope' })).ticket);
    const day2 = at('2026-03-13T03:00:00Z');
    await drive(resolved, ['validate', 'record', 'start_analysis', 'send_initial_recommendation', 'hand_over', 'submit_resolution'], day2);
    await drive(open, ['validate', 'record', 'start_analysis'], day2);
    await incidents.act(rejected, 'reject_out_of_scope', { reason: 'Bukan sistem pemda.' }, staff.get('helpdesk')!, day2);

    // The day before the mark nothing is closed; a naive calendar-day count (26 March) would have closed it.
    await sla.sweep(at('2026-03-26T03:00:00Z'));
    await sla.sweep(at('2026-04-01T03:00:00Z'));
    expect((await row(resolved)).status).toBe('resolved');
    expect((await row(open)).escalated_at).toBeNull();

    const mark = at('2026-04-02T02:00:00Z');
    const result = await sla.sweep(mark);
    expect(result.closed).toBeGreaterThanOrEqual(1);
    expect(result.escalated).toBeGreaterThanOrEqual(1);

    const closed = await row(resolved);
    expect(closed).toMatchObject({ status: 'closed', closed_automatically: true });
    expect(new Date(closed.closed_at).toISOString()).toBe(mark.toISOString());
    expect(closed.closure_record).toContain(STEP_PAYLOADS.submit_resolution!.resolutionReport);
    expect(closed.closure_record).toContain('10 hari kerja');
    const flagged = await row(open);
    expect(flagged).toMatchObject({ status: 'in_analysis', closed_at: null, closure_record: null });
    expect(new Date(flagged.escalated_at).toISOString()).toBe(mark.toISOString());
    expect((await row(rejected)).status).toBe('rejected');

    const escalations = await outbox('incidents.escalated', 'incident.data@demo.sandi.local');
    expect(escalations.some((m) => m.text_body.includes(flagged.ticket))).toBe(true);
    const closures = await outbox('incidents.auto_closed', 'incident.data@demo.sandi.local');
    expect(closures.some((m) => m.text_body.includes(closed.ticket))).toBe(true);
    // The helpdesk now holds the closed one, to close the reporter's status.
    const helpdesk = await incidents.detail(resolved, staff.get('helpdesk')!, mark);
    expect(helpdesk.allowedActions.map((a) => a.action)).toContain('close_reporter_status');

    // Past the mark the closure clock of the open one is breached; after that, running again changes nothing.
    await sla.sweep(at('2026-04-02T02:10:00Z'));
    expect((await row(open)).sla_breaches).toContain('closure');
    const events = await count('audit_events');
    const mails = await count('outbox_messages');
    await sla.sweep(at('2026-04-02T05:00:00Z'));
    expect(await count('audit_events')).toBe(events);
    expect(await count('outbox_messages')).toBe(mails);

    const audit: Array<{ action: string; actor_name: string }> = await db.dataSource.query(
      `SELECT action, actor_name FROM audit_events WHERE entity_id = ANY($1::text[]) AND action IN ('incident.close', 'incident.escalated') ORDER BY seq`,
      [[resolved, open]],
    );
    expect(audit.map((a) => a.action).sort()).toEqual(['incident.close', 'incident.escalated']);
    for (const a of audit) expect(a.actor_name).toBe('system:incidents.sla');
    expect(await new AuditService(db.dataSource).verify()).toMatchObject({ ok: true });
  });

  it('gives concurrent reports distinct tickets from the per-year sequence, the year taken in WIB', async () => {
    const newYearsEveUtc = at('2027-12-31T17:30:00Z'); // already 2028 in Jakarta
    const receipts = await Promise.all(Array.from({ length: 6 }, (_, n) => report(newYearsEveUtc, { title: `Serentak ${n}` })));
    const tickets = receipts.map((r) => r.ticket).sort();
    expect(tickets).toEqual([
      'INC-2028-000001',
      'INC-2028-000002',
      'INC-2028-000003',
      'INC-2028-000004',
      'INC-2028-000005',
      'INC-2028-000006',
    ]);
    expect(Number((await db.dataSource.query(`SELECT last_value FROM incident_ticket_seq_2028`))[0].last_value)).toBe(6);
  });

  it('goes on past tickets the sequence does not know (restored data, a dropped sequence): repaired, the report kept', async () => {
    const year = at('2029-06-01T02:00:00Z');
    const first = await report(year, { title: 'Sebelum pemulihan' });
    expect(first.ticket).toBe('INC-2029-000001');
    // A restore brought back later tickets of 2029 than the sequence has handed out.
    await db.dataSource.query(
      `INSERT INTO incidents (ticket, status, source, reporter_name, title, description, category_code, impact, urgency, priority, tlp,
                              reported_at, sla_started_at, recommendation_due_at, resolution_due_at, closure_due_at, tracking_token_hash)
       SELECT 'INC-2029-000041', status, source, reporter_name, title, description, category_code, impact, urgency, priority, tlp,
              reported_at, sla_started_at, recommendation_due_at, resolution_due_at, closure_due_at, repeat('b', 64)
         FROM incidents WHERE ticket = $1`,
      [first.ticket],
    );
    await db.dataSource.query(`SELECT setval('incident_ticket_seq_2029', 40, true)`);
    expect((await report(year, { title: 'Bentrok nomor' })).ticket).toBe('INC-2029-000042');
    // The sequence itself gone (a restore without it): created again after the highest stored ticket.
    await db.dataSource.query(`DROP SEQUENCE incident_ticket_seq_2029`);
    expect((await report(year, { title: 'Tanpa sekuens' })).ticket).toBe('INC-2029-000043');
    const titles: Array<{ title: string }> = await db.dataSource.query(
      `SELECT title FROM incidents WHERE ticket LIKE 'INC-2029-%' ORDER BY ticket`,
    );
    expect(titles.map((t) => t.title)).toEqual(['Sebelum pemulihan', 'Sebelum pemulihan', 'Bentrok nomor', 'Tanpa sekuens']);
  });
});
