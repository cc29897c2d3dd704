import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateLifecycleService } from '@sandi/certificates';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';
import { GOOD_PASSPHRASE, identityFields } from '../factories/certificate.factory.js';
import { certificateDriver, type CertificateDriver } from '../support/certificates.js';

const API = '/api/v1';
const DAY = 86_400_000;

/** The scheduler's work on certificates: SLA reminders for overdue applications and expiry notices. */
describe(`certificate SLA reminders and expiry notices (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let lifecycle: CertificateLifecycleService;
  let c: CertificateDriver;
  let verifierEmail: string;
  let raEmail: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://sandi.example.go.id' } });
    lifecycle = t.app.get(CertificateLifecycleService);
    c = await certificateDriver(t);
    verifierEmail = (await t.http().get(`${API}/auth/me`).set(c.auth(c.verifier))).body.email as string;
    raEmail = (
      (await t.db.dataSource.query(`SELECT email FROM users WHERE 'ra_operator' = ANY(roles) AND active LIMIT 1`)) as [{ email: string }]
    )[0].email;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reminds the verifier once when an application outlives its 3 working days, and the RA too when it waits on them', async () => {
    const waitingApplicant = await c.applyForIssuance();
    const onTime = await c.applyForIssuance();
    // Nothing is due yet.
    expect(await lifecycle.sendOverdueReminders()).toBe(0);

    // One waits on the applicant past its due date.
    await t.db.dataSource.query(
      `UPDATE cert_applications SET submitted_at = now() - interval '5 days', due_at = now() - interval '1 hour' WHERE id = $1`,
      [waitingApplicant.id],
    );
    expect(await lifecycle.sendOverdueReminders()).toBe(1);
    const toVerifier = await c.mails(verifierEmail, 'certificates.overdue');
    expect(toVerifier).toHaveLength(1);
    expect(toVerifier[0]!.subject).toContain(waitingApplicant.number);
    expect(toVerifier[0]!.text_body).toContain('pemohon');
    expect(toVerifier[0]!.text_body).toContain(`/sertifikat/permohonan/${waitingApplicant.id}`);
    expect(await c.mails(raEmail, 'certificates.overdue')).toHaveLength(0);
    // Once only, however often the job runs.
    expect(await lifecycle.sendOverdueReminders()).toBe(0);
    const detail = await t.http().get(`${API}/certificates/applications/${waitingApplicant.id}`).set(c.auth(c.verifier));
    expect(detail.body.sla).toBe('breached');
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual(['submitted', 'overdue']);
    const audit = (await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'certificates.sla_overdue' AND entity_id = $1`,
      [waitingApplicant.id],
    )) as [{ n: number }];
    expect(audit[0].n).toBe(1);

    // One waits on the RA past its due date: the RA operators are told as well.
    const idToken = await c.lastLink(onTime.email, 'certificates.identity_link');
    expect((await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, onTime.nik))).status).toBe(200);
    expect((await c.act(onTime.id, 'approve_identity', c.verifier)).status).toBe(200);
    const pp = await c.lastLink(onTime.email, 'certificates.passphrase_link');
    expect(
      (
        await t
          .http()
          .post(`${API}/public/certificates/passphrase`)
          .send({ token: pp, passphrase: GOOD_PASSPHRASE, passphraseConfirmation: GOOD_PASSPHRASE })
      ).status,
    ).toBe(200);
    await t.db.dataSource.query(
      `UPDATE cert_applications SET submitted_at = now() - interval '5 days', due_at = now() - interval '1 minute' WHERE id = $1`,
      [onTime.id],
    );
    expect(await lifecycle.sendOverdueReminders()).toBe(1);
    const toRa = await c.mails(raEmail, 'certificates.overdue');
    expect(toRa).toHaveLength(1);
    expect(toRa[0]!.text_body).toContain('Registration Authority');
    expect(await c.mails(verifierEmail, 'certificates.overdue')).toHaveLength(2);

    // A finished application is never reminded.
    expect((await c.act(onTime.id, 'ra_approve', c.ra)).body.state).toBe('completed');
    const finished = await c.applyForIssuance();
    expect((await c.act(finished.id, 'cancel', c.verifier, { reason: 'Pegawai pindah tugas' })).body.state).toBe('cancelled');
    await t.db.dataSource.query(
      `UPDATE cert_applications SET submitted_at = now() - interval '5 days', due_at = now() - interval '2 days' WHERE id = $1`,
      [finished.id],
    );
    expect(await lifecycle.sendOverdueReminders()).toBe(0);
  });

  it('sends expiry notices 30, 7 and 1 days ahead to holder and verifier, each once, only the most urgent when late', async () => {
    const [cert] = (await t.db.dataSource.query(
      `SELECT c.id, h.email FROM certificates c JOIN cert_holders h ON h.id = c.holder_id WHERE c.status = 'active' ORDER BY c.created_at DESC LIMIT 1`,
    )) as [{ id: string; email: string }];
    expect(cert).toBeDefined();
    const now = Date.now();
    expect(await lifecycle.sendExpiryNotices(new Date(now))).toBe(0);
    // The certificate runs 730 days from now; 29 days before its end the 30-day notice is due.
    await t.db.dataSource.query(`UPDATE certificates SET not_after = $2 WHERE id = $1`, [cert.id, new Date(now + 730 * DAY)]);
    expect(await lifecycle.sendExpiryNotices(new Date(now + 701 * DAY))).toBe(1);
    expect(await lifecycle.sendExpiryNotices(new Date(now + 702 * DAY))).toBe(0);
    expect(await c.mails(cert.email, 'certificates.expiring')).toHaveLength(1);
    expect(await c.mails(verifierEmail, 'certificates.expiring')).toHaveLength(1);
    // A late run (half a day before the end) sends the 1-day notice only, not the 7-day one as well.
    expect(await lifecycle.sendExpiryNotices(new Date(now + 729.5 * DAY))).toBe(1);
    expect(await c.mails(cert.email, 'certificates.expiring')).toHaveLength(2);
    const [row] = (await t.db.dataSource.query(`SELECT expiry_notices FROM certificates WHERE id = $1`, [cert.id])) as [
      { expiry_notices: number[] },
    ];
    expect(row.expiry_notices).toEqual([30, 1]);

    // The verifier's list shows a certificate ending within 30 days as due for renewal.
    await t.db.dataSource.query(`UPDATE certificates SET not_after = $2 WHERE id = $1`, [cert.id, new Date(now + 10 * DAY)]);
    const list = await t.http().get(`${API}/certificates?status=expiring`).set(c.auth(c.verifier));
    expect(list.status).toBe(200);
    expect(list.body.items.find((c: { id: string }) => c.id === cert.id)).toMatchObject({ dueForRenewal: true, daysLeft: 9 });
  });
});
