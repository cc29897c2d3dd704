import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService, FileStorageService, type Role } from '@sandi/core';
import { actionForms, EVIDENCE_STAGING_AREA, INCIDENT_TRANSITIONS, IncidentService, STAGED_EVIDENCE_GRACE_MS } from '@sandi/incidents';
import webEn from '../../apps/web/src/locales/en.json' with { type: 'json' };
import webId from '../../apps/web/src/locales/id.json' with { type: 'json' };
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';
import { evidenceFile, multipart, publicReportFields } from '../factories/incident.factory.js';

const API = '/api/v1';
const PHONE = '+62 812-3456-7890';
/** The digits of PHONE in the forms a leak could take. */
const PHONE_TRACES = ['812-3456-7890', '81234567890', '3456-7890'];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function expectProblem(res: Response, status: number, code?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (code) expect(res.body.code).toBe(code);
}

describe(`SOC incidents: personal data at rest, chain of custody, forms (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let storageDir: string;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sandi-incidents-custody-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir, INCIDENT_EVIDENCE_MAX_BYTES: '4096', INCIDENT_EVIDENCE_MAX_FILES: '3' } });
    for (const role of ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor', 'verifier'] as Role[])
      tokens.set(role, await t.tokenFor(role));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const auth = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });
  const get = (path: string, role: Role, query: Record<string, string | number | boolean> = {}) =>
    t.http().get(`${API}${path}`).query(query).set(auth(role));
  const report = (fields: Record<string, string> = publicReportFields(), files = [evidenceFile()]) =>
    multipart(t.http().post(`${API}/public/incidents`), fields, files);
  const verify = (id: string, evidenceId: string, role: Role) =>
    t.http().post(`${API}/incidents/${id}/evidence/${evidenceId}/verify`).set(auth(role));
  const storedPath = (sha: string) => join(storageDir, sha.slice(0, 2), sha.slice(2, 4), sha);
  const staged = () => {
    const dir = join(storageDir, 'staging', EVIDENCE_STAGING_AREA);
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  async function reported(
    fields = publicReportFields(),
    files = [evidenceFile()],
  ): Promise<{ id: string; ticket: string; trackingUrl: string }> {
    const res = await report(fields, files);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [row] = await t.db.dataSource.query(`SELECT id FROM incidents WHERE ticket = $1`, [res.body.ticket]);
    return { id: row.id as string, ...(res.body as { ticket: string; trackingUrl: string }) };
  }

  describe("the reporter's phone number", () => {
    it('is stored only sealed: the row, the timeline, the audit trail and the mail hold no clear number', async () => {
      const { id, ticket, trackingUrl } = await reported(publicReportFields({ reporterPhone: PHONE }));
      const [row] = await t.db.dataSource.query(`SELECT * FROM incidents WHERE id = $1`, [id]);
      expect(row.reporter_phone).toBeNull();
      expect(row.reporter_phone_sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      await t.app.get(AuditService).flush();
      const everywhere = JSON.stringify([
        row,
        await t.db.dataSource.query(`SELECT * FROM incident_timeline WHERE incident_id = $1`, [id]),
        await t.db.dataSource.query(`SELECT * FROM audit_events WHERE entity_id = $1`, [id]),
        await t.db.dataSource.query(`SELECT * FROM outbox_messages WHERE text_body LIKE $1`, [`%${ticket}%`]),
      ]);
      for (const trace of PHONE_TRACES) expect(everywhere).not.toContain(trace);

      // The detail shows it masked; staff who call back reveal it in full, and every reveal is audited (never the number).
      const detail = await get(`/incidents/${id}`, 'helpdesk');
      expect(detail.body.reporterPhoneMasked).toBe('+62 *********7890');
      expect(detail.body).not.toHaveProperty('reporterPhone');
      for (const trace of PHONE_TRACES) expect(detail.text).not.toContain(trace);
      const reveal = (role: Role) => t.http().post(`${API}/incidents/${id}/reporter-contact`).set(auth(role));
      const revealed = await reveal('incident_analyst');
      expect(revealed.status).toBe(200);
      expect(revealed.body).toMatchObject({ phone: PHONE, name: expect.any(String) });
      expect(revealed.headers['cache-control']).toContain('no-store');
      // The auditor sees that it happened, but may not reveal it.
      expect((await reveal('auditor')).status).toBe(403);
      expect(
        (await t.http().post(`${API}/incidents/00000000-0000-4000-8000-000000000000/reporter-contact`).set(auth('helpdesk'))).status,
      ).toBe(404);
      await t.app.get(AuditService).flush();
      const reveals = (await t.db.dataSource.query(
        `SELECT actor_roles, summary FROM audit_events WHERE action = 'incident.reporter_contact_viewed' AND entity_id = $1`,
        [id],
      )) as Array<{ actor_roles: string[]; summary: { detail: { ticket: string } } }>;
      expect(reveals).toHaveLength(1);
      expect(reveals[0]!.actor_roles).toContain('incident_analyst');
      expect(reveals[0]!.summary.detail.ticket).toBe(ticket);
      for (const trace of PHONE_TRACES) expect(JSON.stringify(reveals)).not.toContain(trace);

      // Nowhere else: not in lists, exports, nor on the tracking page.
      const elsewhere = [
        await get('/incidents', 'helpdesk', { q: ticket }),
        await get('/incidents.csv', 'auditor'),
        await get(`/incidents/${id}/stix`, 'incident_analyst'),
        await t
          .http()
          .get(`${API}/public/incidents/track`)
          .query({ ticket, token: new URLSearchParams(new URL(trackingUrl).hash.slice(1)).get('token')! }),
      ];
      for (const res of elsewhere) {
        expect(res.status).toBe(200);
        for (const trace of PHONE_TRACES) expect(res.text).not.toContain(trace);
      }
      expect((await get('/incidents', 'helpdesk', { q: ticket })).body.items[0]).not.toHaveProperty('reporterPhone');
    });

    it('of rows written before encryption is read from the clear column, then sealed by the backfill (once, audited)', async () => {
      const { id } = await reported(publicReportFields({ reporterPhone: undefined }));
      // A row as the first release wrote it.
      await t.db.dataSource.query(`UPDATE incidents SET reporter_phone = $2, reporter_phone_sealed = NULL WHERE id = $1`, [
        id,
        '0274 512345',
      ]);
      const legacy = await t.http().post(`${API}/incidents/${id}/reporter-contact`).set(auth('helpdesk'));
      expect(legacy.body.phone).toBe('0274 512345');
      expect((await get(`/incidents/${id}`, 'helpdesk')).body.reporterPhoneMasked).toBe('027****2345');

      const incidents = t.app.get(IncidentService);
      expect(await incidents.sealLegacyPhones(1)).toBeGreaterThanOrEqual(1);
      const [row] = await t.db.dataSource.query(`SELECT reporter_phone, reporter_phone_sealed FROM incidents WHERE id = $1`, [id]);
      expect(row.reporter_phone).toBeNull();
      expect(row.reporter_phone_sealed).toMatch(/^v1\./);
      expect(JSON.stringify(row)).not.toContain('512345');
      expect((await t.http().post(`${API}/incidents/${id}/reporter-contact`).set(auth('helpdesk'))).body.phone).toBe('0274 512345');
      expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM incidents WHERE reporter_phone IS NOT NULL`)).toEqual([{ n: 0 }]);
      expect(await incidents.sealLegacyPhones()).toBe(0);
      const events = await get('/audit/events', 'auditor', { action: 'incident.reporter_phones_sealed' });
      expect(
        events.body.items.some((e: { summary: { detail: { incidentIds: string[] } } }) => e.summary.detail.incidentIds.includes(id)),
      ).toBe(true);
    });

    it('sealed for one purpose does not open as another: a sealed value copied in from elsewhere is refused', async () => {
      const { id } = await reported(publicReportFields({ reporterPhone: PHONE }));
      const [{ reporter_phone_sealed: sealed }] = await t.db.dataSource.query(`SELECT reporter_phone_sealed FROM incidents WHERE id = $1`, [
        id,
      ]);
      const incidents = t.app.get(IncidentService);
      expect(incidents.phoneOf({ reporterPhone: null, reporterPhoneSealed: sealed as string })).toBe(PHONE);
      const { DataCipher } = await import('@sandi/core');
      const forged = t.app.get(DataCipher).seal(PHONE, 'certificate.nik');
      expect(() => incidents.phoneOf({ reporterPhone: null, reporterPhoneSealed: forged })).toThrow();
    });
  });

  describe('evidence re-verification', () => {
    it('answers intact, then mismatch for bytes altered on disk, then missing; every check is a custody event', async () => {
      const file = evidenceFile('bukti-asli.png', 700);
      const { id } = await reported(publicReportFields(), [file]);
      const detail = (await get(`/incidents/${id}`, 'incident_analyst')).body;
      const evidenceId = detail.evidence[0].id as string;
      const sha = sha256(file.content);

      const intact = await verify(id, evidenceId, 'incident_analyst');
      expect(intact.status, JSON.stringify(intact.body)).toBe(200);
      expect(intact.body).toMatchObject({
        evidenceId,
        sha256: sha,
        size: 700,
        status: 'intact',
        actualSha256: sha,
        actualSize: 700,
        fileName: 'bukti-asli.png',
      });

      // Someone with disk access alters the stored bytes.
      const path = storedPath(sha);
      chmodSync(path, 0o640);
      writeFileSync(path, Buffer.concat([file.content.subarray(0, 699), Buffer.from('X')]));
      const tampered = await verify(id, evidenceId, 'auditor');
      expect(tampered.body).toMatchObject({ status: 'mismatch', sha256: sha, actualSize: 700 });
      expect(tampered.body.actualSha256).not.toBe(sha);

      rmSync(path);
      const missing = await verify(id, evidenceId, 'helpdesk');
      expect(missing.body).toMatchObject({ status: 'missing', actualSha256: null, actualSize: null });

      const after = (await get(`/incidents/${id}`, 'incident_analyst')).body;
      expect(
        after.timeline
          .filter((e: { kind: string }) => e.kind === 'evidence_verified')
          .map((e: { detail: { status: string } }) => e.detail.status),
      ).toEqual(['intact', 'mismatch', 'missing']);
      const events = await get('/audit/events', 'auditor', { entityId: id, action: 'incident.evidence_verified' });
      expect(events.body.items.map((e: { summary: { detail: { status: string } } }) => e.summary.detail.status)).toEqual([
        'missing',
        'mismatch',
        'intact',
      ]);
      expect((await get('/audit/verify', 'auditor')).body.ok).toBe(true);
    });

    it('refuses strangers, unknown evidence and evidence of another incident, recording nothing', async () => {
      const a = await reported();
      const b = await reported();
      const evidenceOfB = (await get(`/incidents/${b.id}`, 'helpdesk')).body.evidence[0].id as string;
      const before = (await get(`/incidents/${a.id}`, 'helpdesk')).body.timeline.length;
      expectProblem(await verify(a.id, evidenceOfB, 'helpdesk'), 404, 'incident.evidence_not_found');
      expectProblem(await verify(a.id, '00000000-0000-4000-8000-000000000000', 'helpdesk'), 404, 'incident.evidence_not_found');
      expectProblem(await verify(a.id, 'bukan-uuid', 'helpdesk'), 400, 'common.validation');
      expectProblem(await verify(a.id, evidenceOfB, 'verifier'), 403, 'auth.forbidden');
      expectProblem(await t.http().post(`${API}/incidents/${a.id}/evidence/${evidenceOfB}/verify`), 401);
      expect((await get(`/incidents/${a.id}`, 'helpdesk')).body.timeline.length).toBe(before);
    });
  });

  describe('files of a report that did not go through', () => {
    it('leaves no file behind when the report is refused after its upload', async () => {
      const file = evidenceFile('ditolak.png', 600);
      const res = await report(publicReportFields({ category: 'hacking/deface' }), [file]);
      expect(res.status).toBe(400);
      // Refused by the request validation, before the service saw it.
      expectProblem(await report(publicReportFields({ reporterEmail: 'bukan-email' }), [file]), 400, 'common.validation');
      // Refused by the upload itself: over the size limit (after one good file), too many files.
      expectProblem(await report(publicReportFields(), [file, evidenceFile('besar.bin', 5000)]), 413, 'storage.too_large');
      expectProblem(
        await report(publicReportFields(), [file, evidenceFile('b.png'), evidenceFile('c.png'), evidenceFile('d.png')]),
        413,
        'incident.too_many_files',
      );
      expect(staged()).toEqual([]);
      expect(existsSync(storedPath(sha256(file.content)))).toBe(false);
    });

    it('leaves no file and no row behind when the database refuses the report, and keeps a file another record shares', async () => {
      // An earlier report holds these bytes; a failed one with the same bytes must not take them away.
      const shared = evidenceFile('bersama.png', 650);
      await reported(publicReportFields(), [shared]);
      const lonely = evidenceFile('sendiri.png', 660);
      await t.db.dataSource.query(`
        CREATE FUNCTION refuse_test_incident() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused for the test'; END; $$;
        CREATE TRIGGER refuse_test_incident BEFORE INSERT ON incidents FOR EACH ROW WHEN (NEW.title LIKE 'GAGAL-%') EXECUTE FUNCTION refuse_test_incident();
      `);
      try {
        const rows = async () => {
          await t.app.get(AuditService).flush();
          return t.db.dataSource.query(
            `SELECT (SELECT count(*) FROM incidents)::int AS i, (SELECT count(*) FROM outbox_messages)::int AS o, (SELECT count(*) FROM audit_events)::int AS a`,
          );
        };
        const before = await rows();
        const res = await report(publicReportFields({ title: 'GAGAL-simpan' }), [shared, lonely]);
        expectProblem(res, 500);
        expect(await rows()).toEqual(before);
      } finally {
        await t.db.dataSource.query(`DROP TRIGGER refuse_test_incident ON incidents; DROP FUNCTION refuse_test_incident();`);
      }
      expect(staged()).toEqual([]);
      expect(existsSync(storedPath(sha256(lonely.content)))).toBe(false);
      expect(existsSync(storedPath(sha256(shared.content)))).toBe(true);
    });

    it('keeps the files when the answer of a write is lost after it committed, and the sweep puts them in place', async () => {
      const file = evidenceFile('koneksi-putus.png', 630);
      const ds = t.app.get(DataSource);
      const query = ds.query.bind(ds);
      // The report's statement commits, then the connection breaks before its answer arrives.
      const spy = vi
        .spyOn(ds, 'query')
        .mockImplementation(async (sql: string, ...rest: Parameters<DataSource['query']> extends [string, ...infer R] ? R : never) => {
          const result: unknown = await query(sql, ...rest);
          if (sql.startsWith('WITH incident AS')) throw new Error('Connection terminated unexpectedly');
          return result;
        });
      let res: Response;
      try {
        res = await report(publicReportFields({ title: 'Jawaban hilang' }), [file]);
      } finally {
        spy.mockRestore();
      }
      expectProblem(res, 500);
      const [row] = await t.db.dataSource.query(`SELECT id FROM incidents WHERE title = 'Jawaban hilang'`);
      expect(row).toBeDefined();
      // Not discarded: the outcome was unknown. Not in place yet either.
      expect(staged()).toHaveLength(1);
      expect(existsSync(storedPath(sha256(file.content)))).toBe(false);
      const later = new Date(Date.now() + STAGED_EVIDENCE_GRACE_MS + 60_000);
      expect(await t.app.get(IncidentService).sweepStagedEvidence(later)).toEqual({ promoted: 1, discarded: 0 });
      expect(existsSync(storedPath(sha256(file.content)))).toBe(true);
      expect(staged()).toEqual([]);
    });

    it('sweeps what a crash left in staging: kept when a record points at it, dropped otherwise, recent ones untouched', async () => {
      const storage = t.app.get(FileStorageService);
      const incidents = t.app.get(IncidentService);
      // A report committed but its file not yet moved into place (crash between the two)...
      const committed = evidenceFile('komit.png', 610);
      const { id } = await reported(publicReportFields(), [committed]);
      rmSync(storedPath(sha256(committed.content)));
      const left = await storage.stage(committed.content, { area: EVIDENCE_STAGING_AREA });
      // ...one that never committed, one still being uploaded, and a file another feature stored.
      const abandoned = await storage.stage(Buffer.from('laporan yang tidak pernah tersimpan'), { area: EVIDENCE_STAGING_AREA });
      const inFlight = await storage.stage(Buffer.from('unggahan yang masih berjalan'), { area: EVIDENCE_STAGING_AREA });
      const other = await storage.put(Buffer.from('surat rekomendasi fitur lain'));
      const old = new Date(Date.now() - STAGED_EVIDENCE_GRACE_MS - 60_000);
      for (const f of [left, abandoned]) utimesSync(f.path, old, old);

      expect(await incidents.sweepStagedEvidence()).toEqual({ promoted: 1, discarded: 1 });
      expect(existsSync(storedPath(sha256(committed.content)))).toBe(true);
      expect(existsSync(abandoned.path)).toBe(false);
      expect(existsSync(inFlight.path)).toBe(true);
      expect(await storage.stat(other.sha256)).toEqual(other);
      const evidenceId = (await get(`/incidents/${id}`, 'helpdesk')).body.evidence[0].id as string;
      expect((await verify(id, evidenceId, 'helpdesk')).body.status).toBe('intact');
      await storage.discard(inFlight);
    });

    it('serves a committed file still waiting in staging (the download moves it into place first)', async () => {
      const file = evidenceFile('menunggu.png', 620);
      const { id } = await reported(publicReportFields(), [file]);
      rmSync(storedPath(sha256(file.content)));
      await t.app.get(FileStorageService).stage(file.content, { area: EVIDENCE_STAGING_AREA });
      const evidenceId = (await get(`/incidents/${id}`, 'helpdesk')).body.evidence[0].id as string;
      const res = await get(`/incidents/${id}/evidence/${evidenceId}`, 'helpdesk')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(sha256(res.body as Buffer)).toBe(sha256(file.content));
      expect(staged()).toEqual([]);
    });
  });

  describe('what the forms need from the API', () => {
    it('publishes the upload limits of the report form to anyone', async () => {
      const res = await t.http().get(`${API}/public/incidents/form`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ evidenceField: 'evidence', maxEvidenceBytes: 4096, maxEvidenceFiles: 3 });
    });

    it("lists a team's active members for assignment, to the teams only", async () => {
      const res = await get('/incidents/teams/analysis/members', 'incident_analyst');
      expect(res.status).toBe(200);
      const [analyst] = await t.db.dataSource.query(`SELECT id, full_name FROM users WHERE username = 'incident.analyst'`);
      expect(res.body).toEqual([{ id: analyst.id, name: analyst.full_name }]);
      await t.db.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [analyst.id]);
      try {
        expect((await get('/incidents/teams/analysis/members', 'helpdesk')).body).toEqual([]);
      } finally {
        await t.db.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [analyst.id]);
      }
      expectProblem(await get('/incidents/teams/marketing/members', 'helpdesk'), 400, 'common.validation');
      expectProblem(await get('/incidents/teams/analysis/members', 'auditor'), 403, 'auth.forbidden');
    });

    it('gives each allowed step its form, and a form filled as described is accepted', async () => {
      const { id } = await reported();
      const detail = (await get(`/incidents/${id}`, 'helpdesk')).body;
      const validate = detail.allowedActions.find((a: { action: string }) => a.action === 'validate');
      expect(validate).toMatchObject({ to: 'validated', method: 'POST', path: '/incidents/{id}/actions/validate', encoding: 'json' });
      const impact = validate.fields.find((f: { name: string }) => f.name === 'classification.impact');
      expect(impact).toMatchObject({ type: 'enum', required: false, options: ['low', 'medium', 'high', 'critical'] });
      const res = await t
        .http()
        .post(`${API}${validate.path.replace('{id}', id)}`)
        .set(auth('helpdesk'))
        .send({ classification: { impact: impact.options[3] } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ status: 'validated', impact: 'critical' });
      expect(detail.allowedActions.find((a: { action: string }) => a.action === 'add_evidence').fields[0]).toMatchObject({
        type: 'file',
        maxBytes: 4096,
        maxFiles: 3,
      });
    });

    it('has words in both languages of the web UI for every field the API can ask a step for', () => {
      const fields = new Set<string>();
      for (const t of INCIDENT_TRANSITIONS) {
        for (const f of actionForms({ status: t.from, recommendationSent: true }, t.actors, { maxBytes: 1, maxFiles: 1 })) {
          if (['add_observable', 'remove_observable', 'add_evidence'].includes(f.action)) continue;
          for (const field of f.fields) fields.add(field.name);
        }
      }
      const at = (tree: unknown, path: string) =>
        path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], tree);
      for (const locale of [webId, webEn]) {
        const missing = [...fields].filter((name) => typeof at(locale, `incidents.fieldLabels.${name}`) !== 'string');
        expect(missing).toEqual([]);
      }
    });

    it('tells in each list item what is due next, for which team and when', async () => {
      const { id, ticket } = await reported();
      const item = (await get('/incidents', 'helpdesk', { q: ticket })).body.items[0];
      const detail = (await get(`/incidents/${id}`, 'helpdesk')).body;
      expect(item.nextDue).toEqual({
        target: 'recommendation',
        team: 'analysis',
        dueAt: detail.sla.recommendation.dueAt,
        status: 'on_track',
      });
    });
  });
});
