import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Response, Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService, type Role } from '@sandi/core';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';
import { evidenceFile, multipart, publicReportFields, STEP_PAYLOADS } from '../factories/incident.factory.js';

const API = '/api/v1';

function expectProblem(res: Response, status: number, code?: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
  if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
}

/** The text pdfkit drew: inflate the content streams and decode the hex strings of the Tj/TJ operators. */
function pdfTextOf(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const op of content.matchAll(/\[((?:[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[2]!];
      out.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

const binary = (req: Test) =>
  req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

const createHashHex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface StixObject {
  type: string;
  id: string;
  [k: string]: unknown;
}

describe(`incident exports and figures over HTTP (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let storageDir: string;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sandi-incidents-exports-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir, PUBLIC_URL: 'https://sandi.example.go.id' } });
    for (const role of ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor', 'verifier'] as Role[])
      tokens.set(role, await t.tokenFor(role));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const auth = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });
  const get = (path: string, role: Role, query: Record<string, string> = {}) => t.http().get(`${API}${path}`).query(query).set(auth(role));
  const auditCount = async () => {
    // Intake events are sealed in the background: seal now, so the count is settled.
    await t.app.get(AuditService).flush();
    return (await t.db.dataSource.query(`SELECT count(*)::int AS c FROM audit_events`))[0].c as number;
  };

  async function reported(fields: Record<string, string>): Promise<string> {
    const res = await multipart(t.http().post(`${API}/public/incidents`), fields);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (await t.db.dataSource.query(`SELECT id FROM incidents WHERE ticket = $1`, [res.body.ticket]))[0].id;
  }

  it('exports a STIX 2.1 bundle marked with the official TLP 2.0 marking, and records the disclosure', async () => {
    const id = await reported(
      publicReportFields({
        tlp: 'AMBER',
        observables: JSON.stringify([
          { type: 'ipv4', value: '203.0.113.99' },
          { type: 'url', value: 'http://phish.example/login' },
          { type: 'cve', value: 'cve-2024-3400' },
        ]),
      }),
    );
    const res = await get(`/incidents/${id}/stix`, 'incident_analyst');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/stix\+json; ?version=2\.1/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="INC-\d{4}-\d{6}\.stix\.json"/);
    const bundle = JSON.parse(res.text) as { type: string; objects: StixObject[] };
    expect(bundle.type).toBe('bundle');
    const types = bundle.objects.map((o) => o.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'marking-definition',
        'identity',
        'incident',
        'indicator',
        'observed-data',
        'vulnerability',
        'relationship',
        'ipv4-addr',
        'url',
      ]),
    );
    expect(bundle.objects.find((o) => o.type === 'marking-definition')!.id).toBe(
      'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    );
    expect(bundle.objects.find((o) => o.type === 'incident')!.id).toBe(`incident--${id}`);
    expect(
      bundle.objects
        .filter((o) => o.type === 'indicator')
        .map((o) => o.pattern)
        .sort(),
    ).toEqual(["[ipv4-addr:value = '203.0.113.99']", "[url:value = 'http://phish.example/login']"]);
    expect(bundle.objects.find((o) => o.type === 'vulnerability')!.name).toBe('CVE-2024-3400');
    // The reporter's personal data does not travel.
    expect(res.text).not.toMatch(/siti\.|\+62 812/);

    const audit = await get('/audit/events', 'auditor', { entityId: id, action: 'incident.stix_exported' });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].summary.detail).toMatchObject({ tlp: 'AMBER', scope: 'full', format: 'stix-2.1' });
  });

  it('restricts an AMBER+STRICT export, refuses a RED one, and lets only the sharing teams export', async () => {
    const strictId = await reported(
      publicReportFields({ tlp: 'AMBER+STRICT', observables: JSON.stringify([{ type: 'ipv4', value: '203.0.113.98' }]) }),
    );
    const strict = await get(`/incidents/${strictId}/stix`, 'incident_handler');
    expect(strict.status).toBe(200);
    const objects = (JSON.parse(strict.text) as { objects: StixObject[] }).objects;
    expect(objects.map((o) => o.type).sort()).toEqual(['identity', 'incident', 'marking-definition']);
    expect(objects.find((o) => o.type === 'marking-definition')!.name).toBe('TLP:AMBER+STRICT');
    expect(strict.text).not.toContain('203.0.113.98');
    expect(objects.find((o) => o.type === 'incident')).not.toHaveProperty('description');

    const redId = await reported(publicReportFields({ tlp: 'RED' }));
    const before = await auditCount();
    expectProblem(await get(`/incidents/${redId}/stix`, 'incident_analyst'), 403, 'incident.tlp_forbids_export');
    expectProblem(await get(`/incidents/${strictId}/stix`, 'helpdesk'), 403, 'auth.forbidden');
    expectProblem(await get(`/incidents/${strictId}/stix`, 'admin'), 403, 'auth.forbidden');
    expectProblem(await get(`/incidents/00000000-0000-4000-8000-000000000000/stix`, 'incident_analyst'), 404, 'incident.not_found');
    expect(await auditCount()).toBe(before);
  });

  it('exports CSV with proper quoting, formula-injection protection, no reporter personal data, RED titles withheld', async () => {
    const from = new Date().toISOString();
    await reported(
      publicReportFields({ title: '=HYPERLINK("http://evil.example","klik")', reporterOrganisation: 'Dinas "Contoh", Bagian IT' }),
    );
    await reported(publicReportFields({ title: 'Judul, dengan koma dan\nbaris baru' }));
    await reported(publicReportFields({ title: 'Rahasia sekali', tlp: 'RED' }));
    const res = await get('/incidents.csv', 'auditor', { from });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="insiden-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = res.text;
    expect(text.startsWith('\uFEFFticket,status,source,reported_at,')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""klik"")"`);
    expect(text).toContain('"Judul, dengan koma dan\nbaris baru"');
    expect(text).toContain('[TLP:RED]');
    expect(text).not.toContain('Rahasia sekali');
    expect(text).not.toMatch(/siti\.|@dinkes|\+62/);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + 3);
    expect(lines.slice(1).every((l) => /^INC-\d{4}-\d{6},reported,public,/.test(l))).toBe(true);

    const events = await get('/audit/events', 'auditor', { action: 'incident.csv_exported' });
    expect(events.body.items[0].summary.detail).toMatchObject({ rows: 3, from });
    expectProblem(await get('/incidents.csv', 'auditor', { from, to: from }), 400, 'common.validation', 'to');
    expectProblem(await get('/incidents.csv', 'auditor', { from: 'kemarin' }), 400, 'common.validation', 'from');
    expectProblem(await get('/incidents.csv', 'verifier'), 403, 'auth.forbidden');
  });

  it('reports figures for a period: times, SLA compliance and counts per month, category, priority and OPD', async () => {
    const from = new Date().toISOString();
    const [dinkes] = await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'DINKES'`);
    const a = await reported(publicReportFields({ category: 'phishing' }));
    await reported(publicReportFields({ category: 'ddos' }));
    const act = (id: string, action: string, role: Role, body: object = STEP_PAYLOADS[action] ?? {}) =>
      t.http().post(`${API}/incidents/${id}/actions/${action}`).set(auth(role)).send(body);
    expect(
      (await act(a, 'validate', 'helpdesk', { classification: { opdUnitId: dinkes.id, impact: 'high', urgency: 'high' } })).status,
    ).toBe(200);
    await act(a, 'record', 'incident_data');
    await act(a, 'start_analysis', 'incident_analyst');
    await act(a, 'send_initial_recommendation', 'incident_analyst');
    const to = new Date(Date.now() + 60_000).toISOString();

    const res = await get('/incidents/metrics', 'incident_data', { from, to });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ from, to, total: 2, rejected: 0, open: 2 });
    expect(res.body.timeToValidate.count).toBe(1);
    expect(res.body.timeToInitialRecommendation.count).toBe(1);
    expect(res.body.timeToResolution.count).toBe(0);
    expect(res.body.slaCompliance.recommendation).toEqual({ met: 1, missed: 0, percent: 100 });
    expect(res.body.byMonth).toHaveLength(1);
    expect(res.body.byMonth[0].byCategory).toEqual({ 'fraud/phishing': 1, 'availability/ddos': 1 });
    expect(res.body.byMonth[0].byPriority).toEqual({ P1: 1, P3: 1 });
    expect(res.body.byMonth[0].byOpd).toEqual(
      expect.arrayContaining([
        { unitId: dinkes.id, unitName: 'Dinas Kesehatan', count: 1 },
        { unitId: null, unitName: null, count: 1 },
      ]),
    );
    expectProblem(await get('/incidents/metrics', 'incident_data', { from: to, to: from }), 400, 'common.validation', 'to');
    expectProblem(await get('/incidents/metrics', 'incident_data', { from }), 400, 'common.validation', 'to');
    expectProblem(
      await get('/incidents/metrics', 'incident_data', { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
      400,
      'common.validation',
      'to',
    );
  });

  it('prints an incident report PDF with milestones, evidence hashes and the resolution, and records the printing', async () => {
    const file = evidenceFile('log-akses.txt', 900, 'text/plain');
    const res = await multipart(t.http().post(`${API}/public/incidents`), publicReportFields({ tlp: 'GREEN' }), [file]);
    const id = (await t.db.dataSource.query(`SELECT id FROM incidents WHERE ticket = $1`, [res.body.ticket]))[0].id as string;
    for (const [action, role] of [
      ['validate', 'helpdesk'],
      ['record', 'incident_data'],
      ['start_analysis', 'incident_analyst'],
      ['send_initial_recommendation', 'incident_analyst'],
      ['hand_over', 'incident_analyst'],
      ['submit_resolution', 'incident_handler'],
    ] as const) {
      expect(
        (
          await t
            .http()
            .post(`${API}/incidents/${id}/actions/${action}`)
            .set(auth(role))
            .send(STEP_PAYLOADS[action] ?? {})
        ).status,
      ).toBe(200);
    }
    const pdf = await binary(get(`/incidents/${id}/report.pdf`, 'auditor'));
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`${res.body.ticket}.pdf`);
    const body = pdf.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfTextOf(body);
    expect(text).toContain('LAPORAN INSIDEN SIBER');
    expect(text).toContain(res.body.ticket);
    expect(text).toContain('TLP:GREEN');
    expect(text).toContain(createHashHex(file.content));
    expect(text).toContain('Halaman sisipan dihapus');
    expect(text).toContain('Putuskan sementara');
    const audit = await get('/audit/events', 'auditor', { entityId: id, action: 'incident.report_printed' });
    expect(audit.body.items).toHaveLength(1);
    expectProblem(await get(`/incidents/${id}/report.pdf`, 'verifier'), 403, 'auth.forbidden');
    expectProblem(await get(`/incidents/00000000-0000-4000-8000-000000000000/report.pdf`, 'auditor'), 404, 'incident.not_found');
  });

  it('prints the monthly report for the head of the office, withholding TLP:RED titles', async () => {
    const red = await multipart(
      t.http().post(`${API}/public/incidents`),
      publicReportFields({ tlp: 'RED', title: 'Judul yang sangat rahasia' }),
    );
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' })
      .format(new Date())
      .slice(0, 7);
    const pdf = await binary(get('/incidents/monthly-report.pdf', 'incident_data', { month }));
    expect(pdf.status, String(pdf.body)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfTextOf(pdf.body as Buffer);
    expect(text).toContain('LAPORAN BULANAN LAYANAN SECURITY OPERATION CENTER');
    expect(text).toContain(red.body.ticket);
    expect(text).toContain('[TLP:RED]');
    expect(text).not.toContain('sangat rahasia');
    expectProblem(await get('/incidents/monthly-report.pdf', 'incident_data', { month: '2026-13' }), 400, 'common.validation', 'month');
    expectProblem(await get('/incidents/monthly-report.pdf', 'verifier', { month }), 403, 'auth.forbidden');
  });

  it('keeps recommendation templates: created and retired by the analysis and data teams, audited, found by category', async () => {
    const create = (role: Role, body: object) => t.http().post(`${API}/incident-recommendation-templates`).set(auth(role)).send(body);
    const made = await create('incident_analyst', {
      title: 'Pemulihan situs yang dideface',
      bodyId: 'Pulihkan dari cadangan bersih, tambal celah, ganti kredensial.',
      bodyEn: 'Restore from a clean backup, patch the hole, rotate credentials.',
      categoryCodes: ['web-defacement'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      categoryCodes: ['information-content-security/unauthorised-information-modification'],
      active: true,
    });
    const generic = await create('incident_data', {
      title: 'Umum: laporkan ke BSSN',
      bodyId: 'Laporkan juga ke BSSN.',
      bodyEn: 'Also report to BSSN.',
    });
    expect(generic.status).toBe(201);
    expectProblem(
      await create('incident_analyst', { title: 'PEMULIHAN situs yang dideface', bodyId: 'x', bodyEn: 'x' }),
      409,
      'common.conflict',
    );
    expectProblem(
      await create('incident_analyst', { title: 'Lain', bodyId: 'x', bodyEn: 'x', categoryCodes: ['bukan/kategori'] }),
      400,
      'incident.unknown_category',
      'categoryCodes[0]',
    );
    expectProblem(await create('helpdesk', { title: 'Lain', bodyId: 'x', bodyEn: 'x' }), 403, 'auth.forbidden');
    expectProblem(await create('incident_analyst', { title: 'Lain', bodyId: 'x' }), 400, 'common.validation', 'bodyEn');

    const forDeface = await get('/incident-recommendation-templates', 'helpdesk', {
      category: 'information-content-security/unauthorised-information-modification',
    });
    expect(forDeface.body.map((x: { title: string }) => x.title)).toEqual(
      expect.arrayContaining(['Pemulihan situs yang dideface', 'Umum: laporkan ke BSSN']),
    );
    const forDdos = await get('/incident-recommendation-templates', 'helpdesk', { category: 'availability/ddos' });
    expect(forDdos.body.map((x: { title: string }) => x.title)).not.toContain('Pemulihan situs yang dideface');

    const retired = await t
      .http()
      .patch(`${API}/incident-recommendation-templates/${made.body.id}`)
      .set(auth('incident_data'))
      .send({ active: false });
    expect(retired.status).toBe(200);
    expect((await get('/incident-recommendation-templates', 'auditor')).body.map((x: { id: string }) => x.id)).not.toContain(made.body.id);
    expect(
      (await get('/incident-recommendation-templates', 'auditor', { includeInactive: 'true' })).body.map((x: { id: string }) => x.id),
    ).toContain(made.body.id);
    expectProblem(
      await t
        .http()
        .patch(`${API}/incident-recommendation-templates/00000000-0000-4000-8000-000000000000`)
        .set(auth('incident_data'))
        .send({ active: false }),
      404,
      'incident.template_not_found',
    );
    const audit = await get('/audit/events', 'auditor', { entityId: made.body.id });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['incident.template_updated', 'incident.template_created']);
  });
});
