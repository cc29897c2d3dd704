import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { IncidentExportService, IncidentMailService, IncidentRepository, IncidentService, type PublicReportDto } from '@sandi/incidents';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';

const wib = (local: string) => new Date(`${local}+07:00`);

describe(`monthly SOC report notice (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let storageDir: string;
  let incidents: IncidentService;
  const exportsFor = (env: Record<string, string> = {}) => {
    const config = new ConfigService(
      parseConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://sandi.example.go.id', STORAGE_DIR: storageDir, ...env }),
    );
    const repo = new IncidentRepository(db.dataSource);
    return new IncidentExportService(
      db.dataSource,
      repo,
      incidents,
      new AuditService(db.dataSource),
      config,
      new NotifyService(db.dataSource, config),
      new CalendarService(config),
    );
  };
  const mails = (): Promise<Array<{ to_address: string; subject: string; text_body: string; locale: string }>> =>
    db.dataSource.query(
      `SELECT to_address, subject, text_body, locale FROM outbox_messages WHERE template = 'incidents.monthly_report' ORDER BY to_address`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = mkdtempSync(join(tmpdir(), 'sandi-incidents-monthly-'));
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
    await new DemoSeedService(db.dataSource, audit).seedIfEmpty();
    // Two reports in April 2026 (office time), one on 1 May just after midnight WIB (not April's).
    const report = (now: Date, title: string) =>
      incidents.reportPublic(
        { reporterName: 'Siti', reporterEmail: 'siti@dinkes.example.go.id', title, description: 'Uji laporan bulanan.' } as PublicReportDto,
        [],
        now,
      );
    await report(wib('2026-04-06T09:00:00'), 'April satu');
    await report(wib('2026-04-30T23:30:00'), 'April dua');
    await report(wib('2026-05-01T00:10:00'), 'Mei satu');
  });
  afterAll(async () => {
    await db?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.dataSource.query(
      `DELETE FROM outbox_messages WHERE template = 'incidents.monthly_report'; DELETE FROM incident_monthly_report_mailings`,
    );
  });

  it('waits for the first working day: 1 May 2026 is Labour Day, the 2nd and 3rd a weekend', async () => {
    const exports = exportsFor();
    for (const day of ['2026-05-01T08:00:00', '2026-05-02T08:00:00', '2026-05-03T08:00:00']) {
      expect(await exports.mailMonthlyReport(wib(day))).toEqual({ month: '2026-04', status: 'not_due', recipients: 0 });
    }
    expect(await mails()).toEqual([]);
  });

  it("mails the previous month's figures and the download page to the admins, once, and records it", async () => {
    const exports = exportsFor();
    expect(await exports.mailMonthlyReport(wib('2026-05-04T08:00:00'))).toEqual({ month: '2026-04', status: 'mailed', recipients: 1 });
    const [m, ...others] = await mails();
    expect(others).toEqual([]);
    expect(m).toMatchObject({
      to_address: 'admin@demo.sandi.local',
      locale: 'id',
      subject: 'Laporan bulanan layanan SOC April 2026 tersedia',
    });
    expect(m!.text_body).toContain('2 laporan insiden diterima');
    expect(m!.text_body).toContain('https://sandi.example.go.id/insiden/metrik?bulan=2026-04');
    expect(m!.text_body).toContain('TLP:AMBER');
    expect(m!.text_body).not.toContain('Mei satu');

    // The job runs every morning: later runs of the month (or another instance) send nothing more.
    expect(await exports.mailMonthlyReport(wib('2026-05-05T08:00:00'))).toEqual({
      month: '2026-04',
      status: 'already_mailed',
      recipients: 0,
    });
    expect(await exportsFor().mailMonthlyReport(wib('2026-05-04T08:00:01'))).toMatchObject({ status: 'already_mailed' });
    expect(await mails()).toHaveLength(1);
    expect(await db.dataSource.query(`SELECT month, recipients, incidents FROM incident_monthly_report_mailings`)).toEqual([
      { month: '2026-04', recipients: 1, incidents: 2 },
    ]);
    const [event] = await db.dataSource.query(
      `SELECT actor_name, summary FROM audit_events WHERE action = 'incident.monthly_report_mailed'`,
    );
    expect(event.actor_name).toBe('system:incidents.monthly_report_mail');
    expect(event.summary.detail).toMatchObject({ month: '2026-04', incidents: 2, recipients: 1, to: 'admin' });
  });

  it('mails the configured recipients instead of the admins, and catches up a missed first working day', async () => {
    const exports = exportsFor({
      INCIDENT_MONTHLY_REPORT_RECIPIENTS: 'Kepala.Dinas@example.go.id, sekretariat@example.go.id,kepala.dinas@example.go.id',
    });
    expect(await exports.mailMonthlyReport(wib('2026-05-12T08:00:00'))).toEqual({ month: '2026-04', status: 'mailed', recipients: 2 });
    expect((await mails()).map((m) => m.to_address)).toEqual(['kepala.dinas@example.go.id', 'sekretariat@example.go.id']);
  });

  it('concurrent runs (two instances) announce a month once', async () => {
    const results = await Promise.all([
      exportsFor().mailMonthlyReport(wib('2026-05-04T08:00:00')),
      exportsFor().mailMonthlyReport(wib('2026-05-04T08:00:00')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['already_mailed', 'mailed']);
    expect(await mails()).toHaveLength(1);
  });

  it('refuses a malformed recipient list at boot', () => {
    expect(() => parseConfig({ INCIDENT_MONTHLY_REPORT_RECIPIENTS: 'kepala.dinas@example.go.id, bukan-alamat' })).toThrow(
      /INCIDENT_MONTHLY_REPORT_RECIPIENTS: not an e-mail address: bukan-alamat/,
    );
  });
});
