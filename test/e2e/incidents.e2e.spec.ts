import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService, type Role } from '@sandi/core';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';
import { evidenceFile, multipart, publicReportFields, STEP_PAYLOADS } from '../factories/incident.factory.js';

const API = '/api/v1';
const PUBLIC_URL = 'https://sandi.example.go.id';
const TABLES = [
  'incidents',
  'incident_timeline',
  'incident_evidence',
  'incident_observables',
  'incident_coordinations',
  'audit_events',
  'outbox_messages',
] as const;

interface Receipt {
  ticket: string;
  trackingUrl: string;
}
interface Detail {
  id: string;
  ticket: string;
  status: string;
  priority: string;
  category: string;
  allowedActions: Array<{ action: string; to: string; path: string; fields: Array<{ name: string; type: string; required: boolean }> }>;
  evidence: Array<{ id: string; sha256: string; size: number; fileName: string; uploader: string }>;
  observables: Array<{ id: string; type: string; value: string; fromReporter: boolean }>;
  coordinations: Array<{ partyName: string; theirReference: string | null }>;
  correlated: Array<{ ticket: string; shared: Array<{ type: string; value: string }> }>;
  timeline: Array<{ kind: string; body: string | null; visibleToReporter: boolean; actorName: string | null }>;
  assignees: Record<string, { id: string; name: string } | null>;
  [k: string]: unknown;
}
interface Outbox {
  to_address: string;
  subject: string;
  text_body: string;
  template: string;
  locale: string;
}

/** The happy path: action, role, resulting state. */
const STEPS: Array<[string, Role, string]> = [
  ['validate', 'helpdesk', 'validated'],
  ['record', 'incident_data', 'recorded'],
  ['start_analysis', 'incident_analyst', 'in_analysis'],
  ['send_initial_recommendation', 'incident_analyst', 'in_analysis'],
  ['hand_over', 'incident_analyst', 'in_handling'],
  ['submit_resolution', 'incident_handler', 'resolved'],
  ['close', 'incident_data', 'closed'],
  ['close_reporter_status', 'helpdesk', 'reporter_closed'],
];

function expectProblem(res: Response, status: number, code?: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
  if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The names of the steps a detail offers (each comes with its form). */
const actionsOf = (detail: { allowedActions: Array<{ action: string }> }) => detail.allowedActions.map((a) => a.action);
const tokenOf = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('token')!;

describe(`SOC incident procedure over HTTP (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let storageDir: string;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sandi-incidents-e2e-'));
    t = await createTestApp({
      env: { STORAGE_DIR: storageDir, PUBLIC_URL, INCIDENT_EVIDENCE_MAX_BYTES: '4096', INCIDENT_EVIDENCE_MAX_FILES: '3' },
    });
    for (const role of ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor', 'verifier'] as Role[]) {
      tokens.set(role, await t.tokenFor(role));
    }
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const auth = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });
  const get = (path: string, role: Role, query: Record<string, string | number | boolean> = {}) =>
    t.http().get(`${API}${path}`).query(query).set(auth(role));
  const act = (id: string, action: string, role: Role, body: object = STEP_PAYLOADS[action] ?? {}) =>
    t.http().post(`${API}/incidents/${id}/actions/${action}`).set(auth(role)).send(body);
  const track = (ticket: string, token: string) => t.http().get(`${API}/public/incidents/track`).query({ ticket, token });
  const report = (fields: Record<string, string> = publicReportFields(), files = [evidenceFile()]) =>
    multipart(t.http().post(`${API}/public/incidents`), fields, files);

  async function counts(): Promise<Record<string, number>> {
    // Audit events of an intake are sealed in the background: seal now, so the count is settled.
    await t.app.get(AuditService).flush();
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM ${table}`);
      out[table] = c;
    }
    return out;
  }

  async function changesNothing(attempts: () => Promise<void>): Promise<void> {
    const before = await counts();
    await attempts();
    expect(await counts()).toEqual(before);
  }

  async function outboxFor(to: string): Promise<Outbox[]> {
    return t.db.dataSource.query(
      `SELECT to_address, subject, text_body, template, locale FROM outbox_messages WHERE to_address = $1 ORDER BY created_at, id`,
      [to],
    );
  }

  async function idOf(ticket: string): Promise<string> {
    const [row] = await t.db.dataSource.query(`SELECT id FROM incidents WHERE ticket = $1`, [ticket]);
    return row.id as string;
  }

  /** A fresh public report, driven through the happy path until it reaches `state`. */
  async function incidentIn(
    state: string,
    fields: Record<string, string> = publicReportFields(),
  ): Promise<{ id: string; receipt: Receipt; fields: Record<string, string> }> {
    const res = await report(fields);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const receipt = res.body as Receipt;
    const id = await idOf(receipt.ticket);
    let current = 'reported';
    for (const [action, role, next] of STEPS) {
      if (current === state) break;
      const r = await act(id, action, role);
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      current = next;
    }
    expect(current).toBe(state);
    return { id, receipt, fields };
  }

  it('carries a public report through the whole service standard, with mail, tracking and an intact audit chain', async () => {
    const fields = publicReportFields({ category: 'web-defacement' });
    const file = evidenceFile('deface halaman utama.png', 700);

    // 1. The reporter files the report with evidence; no account needed.
    const res = await report(fields, [file]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const receipt = res.body as Receipt;
    expect(receipt.ticket).toMatch(/^INC-\d{4}-\d{6}$/);
    expect(receipt.trackingUrl).toMatch(new RegExp(`^${PUBLIC_URL}/lacak#ticket=${receipt.ticket}&token=[A-Za-z0-9_-]{43}$`));
    expect(Object.keys(res.body).sort()).toEqual(['ticket', 'trackingUrl']);
    const token = tokenOf(receipt.trackingUrl);
    const id = await idOf(receipt.ticket);

    // The receipt is in the outbox, in Bahasa Indonesia, with the secret link; the helpdesk is told too.
    const [receiptMail, ...laterMail] = await outboxFor(fields.reporterEmail!);
    expect(laterMail).toEqual([]);
    expect(receiptMail).toMatchObject({ template: 'incidents.report_received', locale: 'id' });
    expect(receiptMail!.subject).toContain(receipt.ticket);
    expect(receiptMail!.text_body).toContain(receipt.trackingUrl);
    const helpdeskMail = await outboxFor('helpdesk@demo.sandi.local');
    expect(helpdeskMail.map((m) => m.template)).toContain('incidents.forwarded');
    // Only the hash of the token is stored.
    const [stored] = await t.db.dataSource.query(`SELECT tracking_token_hash FROM incidents WHERE id = $1`, [id]);
    expect(stored.tracking_token_hash).toBe(sha256(Buffer.from(token)));

    // 2. The tracking page.
    let page = await track(receipt.ticket, token);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      ticket: receipt.ticket,
      status: 'reported',
      canSupplement: false,
      recommendation: null,
      tlp: 'AMBER',
    });
    expect(page.body.milestones.map((m: { kind: string }) => m.kind)).toEqual(['reported']);

    // 3. The helpdesk sees it in its queue, with evidence (by SHA-256) and normalised observables.
    const queue = await get('/incidents', 'helpdesk', { team: 'helpdesk', q: receipt.ticket });
    expect(queue.body.items.map((i: { ticket: string }) => i.ticket)).toEqual([receipt.ticket]);
    let detail = (await get(`/incidents/${id}`, 'helpdesk')).body as Detail;
    expect(detail.category).toBe('information-content-security/unauthorised-information-modification');
    expect(detail.evidence).toEqual([
      expect.objectContaining({ sha256: sha256(file.content), size: 700, fileName: 'deface halaman utama.png', uploader: 'reporter' }),
    ]);
    expect(detail.observables.map((o) => `${o.type} ${o.value}`).sort()).toEqual(
      ['ipv4 203.0.113.7', `url ${JSON.parse(fields.observables!)[0].value.replace('hxxps', 'https').replace('[.]', '.')}`].sort(),
    );
    expect(actionsOf(detail)).toEqual(
      expect.arrayContaining(['validate', 'return_incomplete', 'reject_out_of_scope', 'reclassify', 'comment']),
    );
    expect(actionsOf((await get(`/incidents/${id}`, 'incident_data')).body)).not.toContain('validate');

    const [dinkes] = await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'DINKES'`);
    const validated = await act(id, 'validate', 'helpdesk', {
      classification: { impact: 'high', urgency: 'high', opdUnitId: dinkes.id },
      note: 'Bukti valid.',
    });
    expect(validated.status, JSON.stringify(validated.body)).toBe(200);
    expect(validated.body).toMatchObject({ status: 'validated', priority: 'P1', opdUnitName: 'Dinas Kesehatan', team: 'data' });

    // 4. Data team records, analysis team analyses and sends the initial recommendation.
    expect((await act(id, 'record', 'incident_data')).body.status).toBe('recorded');
    const started = await act(id, 'start_analysis', 'incident_analyst');
    expect(started.body.status).toBe('in_analysis');
    expect(started.body.assignees.analysis.name).toBe('Demo Tim Analisis Insiden');
    expect(actionsOf(started.body)).not.toContain('hand_over');
    const recommended = await act(id, 'send_initial_recommendation', 'incident_analyst');
    expect(recommended.status).toBe(200);
    expect(actionsOf(recommended.body)).toContain('hand_over');
    const recommendationMail = (await outboxFor(fields.reporterEmail!)).find((m) => m.template === 'incidents.initial_recommendation');
    expect(recommendationMail?.text_body).toContain(STEP_PAYLOADS.send_initial_recommendation!.recommendation as string);
    page = await track(receipt.ticket, token);
    expect(page.body.recommendation.text).toBe(STEP_PAYLOADS.send_initial_recommendation!.recommendation);
    expect(page.body.status).toBe('in_analysis');

    // 5. Handling: coordination with an external CSIRT, then the resolution report to the data team.
    expect((await act(id, 'hand_over', 'incident_analyst')).body.status).toBe('in_handling');
    const comment = await t
      .http()
      .post(`${API}/incidents/${id}/comments`)
      .set(auth('incident_handler'))
      .send({ comment: 'Catatan internal: kredensial admin bocor di forum.' });
    expect(comment.status).toBe(201);
    const coordination = await t
      .http()
      .post(`${API}/incidents/${id}/coordinations`)
      .set(auth('incident_handler'))
      .send({
        partyName: 'Gov-CSIRT Indonesia (BSSN)',
        partyKind: 'csirt',
        contact: 'bantuan70@bssn.go.id',
        contactedAt: new Date(Date.now() - 60_000).toISOString(),
        theirReference: 'BSSN-2026-0042',
        notes: 'Diminta takedown domain phishing tiruan.',
      });
    expect(coordination.status, JSON.stringify(coordination.body)).toBe(201);
    expect(coordination.body.coordinations).toEqual([
      expect.objectContaining({ partyName: 'Gov-CSIRT Indonesia (BSSN)', theirReference: 'BSSN-2026-0042' }),
    ]);
    expect(coordination.body.status).toBe('in_handling');
    expect((await act(id, 'submit_resolution', 'incident_handler')).body.status).toBe('resolved');

    // 6. The data team closes with a closure record; the helpdesk closes the reporter's status.
    const closed = await act(id, 'close', 'incident_data');
    expect(closed.body).toMatchObject({ status: 'closed', closureRecord: STEP_PAYLOADS.close!.closureRecord, closedAutomatically: false });
    expect((await act(id, 'close_reporter_status', 'helpdesk')).body.status).toBe('reporter_closed');
    expect((await outboxFor(fields.reporterEmail!)).map((m) => m.template)).toEqual([
      'incidents.report_received',
      'incidents.initial_recommendation',
      'incidents.reporter_closed',
    ]);

    // The tracking page shows the whole way, and nothing internal.
    page = await track(receipt.ticket, token);
    expect(page.body.status).toBe('reporter_closed');
    expect(page.body.milestones.map((m: { kind: string }) => m.kind)).toEqual([
      'reported',
      'validate',
      'record',
      'start_analysis',
      'send_initial_recommendation',
      'hand_over',
      'submit_resolution',
      'close',
      'close_reporter_status',
    ]);
    expect(page.body.milestones.at(-1).message).toBe(STEP_PAYLOADS.close_reporter_status!.message);
    const pageText = JSON.stringify(page.body);
    for (const secret of ['Catatan internal', 'takedown', 'BSSN-2026-0042', 'Bukti valid', '203.0.113.7', fields.reporterPhone!])
      expect(pageText).not.toContain(secret);

    // Evidence comes back byte for byte, as an opaque attachment, and the download is a custody event.
    const download = await t
      .http()
      .get(`${API}/incidents/${id}/evidence/${detail.evidence[0]!.id}`)
      .set(auth('incident_analyst'))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, file.content)).toBe(0);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="deface halaman utama.png"; filename\*=UTF-8''deface%20halaman%20utama.png$/,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['repr-digest']).toBe(`sha-256=:${createHash('sha256').update(file.content).digest('base64')}:`);

    // Every step is in the audit chain, in order, and the chain verifies.
    const audit = await get('/audit/events', 'auditor', { entityId: id, pageSize: 100 });
    expect((audit.body.items as Array<{ action: string }>).map((e) => e.action).reverse()).toEqual([
      'incident.reported',
      'incident.validate',
      'incident.record',
      'incident.start_analysis',
      'incident.send_initial_recommendation',
      'incident.hand_over',
      'incident.comment',
      'incident.record_coordination',
      'incident.submit_resolution',
      'incident.close',
      'incident.close_reporter_status',
      'incident.evidence_downloaded',
    ]);
    const verify = await get('/audit/verify', 'auditor');
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    detail = (await get(`/incidents/${id}`, 'auditor')).body as Detail;
    expect(detail.allowedActions).toEqual([]);
    expect(detail.timeline.filter((e) => !e.visibleToReporter).map((e) => e.kind)).toEqual([
      'comment',
      'record_coordination',
      'evidence_downloaded',
    ]);
  });

  it('answers every out-of-order step with 409 and the allowed actions, and changes nothing', async () => {
    const states = ['reported', 'validated', 'recorded', 'in_analysis', 'in_handling', 'resolved', 'closed', 'reporter_closed'];
    for (const state of states) {
      const { id } = await incidentIn(state);
      for (const [action, role, next] of STEPS) {
        const legal =
          (state === 'reported' && action === 'validate') ||
          (state === 'validated' && action === 'record') ||
          (state === 'recorded' && action === 'start_analysis') ||
          (state === 'in_analysis' && action === 'send_initial_recommendation') ||
          (state === 'in_analysis' && action === 'hand_over') ||
          (state === 'in_handling' && action === 'submit_resolution') ||
          (state === 'resolved' && action === 'close') ||
          (state === 'closed' && action === 'close_reporter_status');
        if (legal) continue;
        const allowed = actionsOf((await get(`/incidents/${id}`, role)).body);
        await changesNothing(async () => {
          const res = await act(id, action, role);
          expectProblem(res, 409, 'common.illegal_transition');
          expect(res.body).toMatchObject({ state, allowedActions: allowed });
        });
        expect(next).toBeTruthy();
      }
      expect((await get(`/incidents/${id}`, 'helpdesk')).body.status).toBe(state);
    }
  });

  it('refuses steps of another team with 403, and readers and strangers with 403', async () => {
    const { id } = await incidentIn('reported');
    const { id: resolvedId } = await incidentIn('resolved');
    await changesNothing(async () => {
      expectProblem(await act(id, 'validate', 'incident_analyst'), 403, 'incident.role_not_allowed');
      expectProblem(await act(id, 'validate', 'incident_data'), 403, 'incident.role_not_allowed');
      expectProblem(await act(resolvedId, 'close', 'helpdesk'), 403, 'incident.role_not_allowed');
      expectProblem(await act(resolvedId, 'close', 'incident_handler'), 403, 'incident.role_not_allowed');
      // Readers may look but not act; others may not even look.
      expectProblem(await act(id, 'comment', 'auditor', { comment: 'x' }), 403, 'auth.forbidden');
      expectProblem(await act(id, 'comment', 'admin', { comment: 'x' }), 403, 'auth.forbidden');
      expectProblem(await get(`/incidents/${id}`, 'verifier'), 403, 'auth.forbidden');
      expectProblem(await t.http().post(`${API}/incidents`).set(auth('incident_analyst')).send({}), 403, 'auth.forbidden');
      expectProblem(await t.http().get(`${API}/incidents/${id}`), 401);
      // Assigning for a team needs that team's role.
      const [analyst] = await t.db.dataSource.query(`SELECT id FROM users WHERE username = 'incident.analyst'`);
      expectProblem(
        await t.http().put(`${API}/incidents/${id}/assignees/analysis`).set(auth('helpdesk')).send({ userId: analyst.id }),
        403,
        'incident.role_not_allowed',
      );
    });
  });

  it('checks action payloads: required parts, parts the action does not take, unknown actions and unknown fields', async () => {
    const { id } = await incidentIn('in_analysis');
    await changesNothing(async () => {
      expectProblem(
        await act(id, 'send_initial_recommendation', 'incident_analyst', {}),
        400,
        'incident.invalid_payload',
        'recommendation',
      );
      expectProblem(
        await act(id, 'send_initial_recommendation', 'incident_analyst', { recommendation: '   ' }),
        400,
        'common.validation',
        'recommendation',
      );
      expectProblem(
        await act(id, 'send_initial_recommendation', 'incident_analyst', { recommendation: 'x', closureRecord: 'y' }),
        400,
        'incident.invalid_payload',
        'closureRecord',
      );
      expectProblem(
        await act(id, 'reclassify', 'incident_analyst', { classification: { category: 'hacking/deface' } }),
        400,
        'incident.unknown_category',
        'classification.category',
      );
      expectProblem(
        await act(id, 'reclassify', 'incident_analyst', { classification: {} }),
        400,
        'incident.invalid_payload',
        'classification',
      );
      expectProblem(await act(id, 'launch_missiles', 'incident_analyst', {}), 400, 'common.validation', 'action');
      expectProblem(await act(id, 'comment', 'incident_analyst', { comment: 'x', priority: 'P1' }), 400, 'common.validation', 'priority');
      expectProblem(await act(id, 'add_evidence', 'incident_analyst', {}), 400, 'incident.invalid_payload');
      expectProblem(await act(randomUUID(), 'comment', 'incident_analyst', { comment: 'x' }), 404, 'incident.not_found');
      expectProblem(await act('not-a-uuid', 'comment', 'incident_analyst', { comment: 'x' }), 400, 'common.validation', 'id');
    });
    // Reclassification moves priority and due dates.
    const before = (await get(`/incidents/${id}`, 'incident_analyst')).body;
    const after = await act(id, 'reclassify', 'incident_analyst', {
      classification: { impact: 'critical', urgency: 'high', category: 'availability/ddos' },
    });
    expect(after.body).toMatchObject({ priority: 'P1', category: 'availability/ddos' });
    expect(new Date(after.body.resolutionDueAt).getTime()).toBeLessThan(new Date(before.resolutionDueAt).getTime());
  });

  it('returns an incomplete report to the reporter, who supplements it through the tracking link', async () => {
    const { id, receipt, fields } = await incidentIn('reported');
    const token = tokenOf(receipt.trackingUrl);
    const returned = await act(id, 'return_incomplete', 'helpdesk', {
      message: 'Mohon lampirkan tangkapan layar dan alamat halaman yang terdampak.',
    });
    expect(returned.body.status).toBe('returned_to_reporter');
    expect((await outboxFor(fields.reporterEmail!)).map((m) => m.template)).toContain('incidents.returned_to_reporter');
    let page = await track(receipt.ticket, token);
    expect(page.body).toMatchObject({ status: 'returned_to_reporter', canSupplement: true });
    expect(page.body.milestones.at(-1).message).toContain('tangkapan layar');

    // A forged token cannot supplement; a supplement with a bad observable stores nothing.
    await changesNothing(async () => {
      const forged = multipart(t.http().post(`${API}/public/incidents/supplement`), {
        ticket: receipt.ticket,
        token: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        message: 'x',
      });
      expectProblem(await forged, 404, 'incident.tracking_not_found');
      const bad = multipart(t.http().post(`${API}/public/incidents/supplement`), {
        ticket: receipt.ticket,
        token,
        message: 'x',
        observables: JSON.stringify([{ type: 'ipv4', value: '999.1.1.1' }]),
      });
      expectProblem(await bad, 400, 'incident.invalid_observable', 'observables[0].value');
    });

    const extra = evidenceFile('halaman-slot.png', 300);
    const before = (await get(`/incidents/${id}`, 'helpdesk')).body;
    const supplemented = await multipart(
      t.http().post(`${API}/public/incidents/supplement`),
      {
        ticket: receipt.ticket,
        token,
        message: 'Terlampir tangkapan layar; halaman: /slot-gacor',
        observables: JSON.stringify([{ type: 'domain', value: 'Slot-Gacor.example' }]),
      },
      [extra],
    );
    expect(supplemented.status, JSON.stringify(supplemented.body)).toBe(200);
    expect(supplemented.body).toMatchObject({ status: 'reported', canSupplement: false });
    const after = (await get(`/incidents/${id}`, 'helpdesk')).body as Detail;
    expect(after.evidence.map((e) => e.sha256)).toContain(sha256(extra.content));
    expect(after.observables.map((o) => o.value)).toContain('slot-gacor.example');
    // The report is complete only now: the SLA clock restarted.
    expect((after.sla as { startedAt: string }).startedAt > (before.sla as { startedAt: string }).startedAt).toBe(true);
    // Supplementing twice is out of order.
    expectProblem(
      await multipart(t.http().post(`${API}/public/incidents/supplement`), { ticket: receipt.ticket, token, message: 'lagi' }),
      409,
      'common.illegal_transition',
    );
    page = await track(receipt.ticket, token);
    expect(page.body.milestones.map((m: { kind: string }) => m.kind)).toEqual(['reported', 'return_incomplete', 'supplement']);
  });

  it('rejects an out-of-scope report with a reason for the reporter, and it stays rejected', async () => {
    const { id, receipt, fields } = await incidentIn('reported');
    const rejected = await act(id, 'reject_out_of_scope', 'helpdesk', { reason: 'Bukan sistem milik pemerintah daerah.' });
    expect(rejected.body).toMatchObject({ status: 'rejected', allowedActions: [] });
    const mail = (await outboxFor(fields.reporterEmail!)).find((m) => m.template === 'incidents.rejected');
    expect(mail?.text_body).toContain('Bukan sistem milik pemerintah daerah.');
    const page = await track(receipt.ticket, tokenOf(receipt.trackingUrl));
    expect(page.body.status).toBe('rejected');
    expect(page.body.milestones.at(-1).message).toBe('Bukan sistem milik pemerintah daerah.');
    await changesNothing(async () => {
      const res = await act(id, 'comment', 'helpdesk', { comment: 'x' });
      expectProblem(res, 409, 'common.illegal_transition');
      expect(res.body.allowedActions).toEqual([]);
    });
  });

  it('keeps a TLP:RED recommendation off the tracking page and out of mail', async () => {
    const fields = publicReportFields({ tlp: 'RED' });
    const { id, receipt } = await incidentIn('in_analysis', fields);
    await act(id, 'send_initial_recommendation', 'incident_analyst');
    const page = await track(receipt.ticket, tokenOf(receipt.trackingUrl));
    expect(page.body).toMatchObject({ tlp: 'RED', recommendation: null, recommendationWithheld: true, category: null });
    const mails = await outboxFor(fields.reporterEmail!);
    expect(mails.map((m) => m.template)).toEqual(['incidents.report_received', 'incidents.recommendation_withheld']);
    expect(mails.map((m) => m.text_body).join('\n')).not.toContain('Putuskan sementara');
  });

  it('answers a forged or unknown tracking request with the same 404, and a malformed one with 400', async () => {
    const { receipt } = await incidentIn('reported');
    const token = tokenOf(receipt.trackingUrl);
    const forged = await track(
      receipt.ticket,
      token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    const unknown = await track('INC-1999-999999', token);
    const otherTicket = await track(receipt.ticket.replace(/\d{6}$/, '999998'), token);
    for (const res of [forged, unknown, otherTicket]) expectProblem(res, 404, 'incident.tracking_not_found');
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    expect(strip(forged.body)).toEqual(strip(unknown.body));
    expect(JSON.stringify(forged.body)).not.toContain(receipt.ticket);
    expectProblem(await track('INC-2026-1', token), 400, 'common.validation', 'ticket');
    expectProblem(await track(receipt.ticket, 'short'), 400, 'common.validation', 'token');
    expectProblem(await t.http().get(`${API}/public/incidents/track`), 400, 'common.validation');
  });

  it('refuses bad reports with a problem and stores nothing: category, observables, fields, oversize, empty and too many files', async () => {
    const filesBefore = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM incident_evidence`);
    await changesNothing(async () => {
      expectProblem(await report(publicReportFields({ category: 'hacking/deface' })), 400, 'incident.unknown_category', 'category');
      expectProblem(
        await report(
          publicReportFields({
            observables: JSON.stringify([
              { type: 'ipv4', value: '999.1.1.1' },
              { type: 'url', value: 'javascript:alert(1)' },
            ]),
          }),
        ),
        400,
        'incident.invalid_observable',
      );
      const two = await report(
        publicReportFields({
          observables: JSON.stringify([
            { type: 'domain', value: 'example..com' },
            { type: 'sha256', value: 'abc' },
          ]),
        }),
      );
      expectProblem(two, 400, 'incident.invalid_observable');
      expect(two.body.errors.map((e: { field: string }) => e.field)).toEqual(['observables[0].value', 'observables[1].value']);
      expectProblem(await report(publicReportFields({ observables: '[{"type":"ipv4"' })), 400, 'common.validation', 'observables');
      expectProblem(
        await report(publicReportFields({ observables: JSON.stringify([{ type: 'bitcoin', value: 'x' }]) })),
        400,
        'common.validation',
        'observables.0.type',
      );
      expectProblem(await report(publicReportFields({ reporterEmail: 'bukan-email' })), 400, 'common.validation', 'reporterEmail');
      expectProblem(await report(publicReportFields({ reporterEmail: undefined })), 400, 'common.validation', 'reporterEmail');
      expectProblem(await report(publicReportFields({ title: 'x'.repeat(201) })), 400, 'common.validation', 'title');
      expectProblem(await report(publicReportFields({ description: '   ' })), 400, 'common.validation', 'description');
      expectProblem(
        await report(publicReportFields({ occurredAt: new Date(Date.now() + 86400_000).toISOString() })),
        400,
        'common.validation',
        'occurredAt',
      );
      expectProblem(await report(publicReportFields({ occurredAt: 'kemarin' })), 400, 'common.validation', 'occurredAt');
      expectProblem(await report(publicReportFields({ tlp: 'YELLOW' })), 400, 'common.validation', 'tlp');
      expectProblem(await report(publicReportFields({ reporterPhone: 'call me' })), 400, 'common.validation', 'reporterPhone');
      expectProblem(await report({ ...publicReportFields(), priority: 'P1' }), 400, 'common.validation', 'priority');
      // Evidence limits: 4096 bytes and 3 files in this suite.
      const big = await report(publicReportFields(), [evidenceFile('besar.bin', 5000)]);
      expectProblem(big, 413, 'storage.too_large');
      expectProblem(await report(publicReportFields(), [evidenceFile('kosong.txt', 0, 'text/plain')]), 422, 'storage.empty');
      expectProblem(
        await report(publicReportFields(), [evidenceFile('a.png'), evidenceFile('b.png'), evidenceFile('c.png'), evidenceFile('d.png')]),
        413,
        'incident.too_many_files',
      );
      const wrongField = multipart(t.http().post(`${API}/public/incidents`), publicReportFields()).attach(
        'lampiran',
        Buffer.from('x'),
        'x.txt',
      );
      expectProblem(await wrongField, 400, 'incident.invalid_upload');
      const broken = await t
        .http()
        .post(`${API}/public/incidents`)
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc');
      expectProblem(broken, 400, 'incident.invalid_upload');
    });
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS c FROM incident_evidence`)).toEqual(filesBefore);
  });

  it('takes a report by phone from the helpdesk (JSON, no e-mail): no receipt, the link returned once', async () => {
    const [dinkes] = await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'DINKES'`);
    const res = await t
      .http()
      .post(`${API}/incidents`)
      .set(auth('helpdesk'))
      .send({
        reporterName: 'Pak Joko (operator)',
        reporterOrganisation: 'Dinas Kesehatan',
        title: 'Akun media sosial dinas diambil alih',
        description: 'Dilaporkan melalui telepon pukul 09.10.',
        category: 'account-takeover',
        channel: 'phone',
        impact: 'high',
        urgency: 'high',
        opdUnitId: dinkes.id,
        observables: [{ type: 'email', value: 'Admin.Dinkes@Example.GO.ID' }],
      });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.incident).toMatchObject({
      source: 'staff',
      priority: 'P1',
      reporterEmail: null,
      category: 'intrusions/unprivileged-account-compromise',
    });
    expect(res.body.incident.observables.map((o: { value: string }) => o.value)).toEqual(['admin.dinkes@example.go.id']);
    expect((await track(res.body.incident.ticket, tokenOf(res.body.trackingUrl))).status).toBe(200);
    const [mails] = await t.db.dataSource.query(
      `SELECT count(*)::int AS c FROM outbox_messages WHERE template = 'incidents.report_received' AND text_body LIKE $1`,
      [`%${res.body.incident.ticket}%`],
    );
    expect(mails.c).toBe(0);
    expectProblem(
      await t
        .http()
        .post(`${API}/incidents`)
        .set(auth('helpdesk'))
        .send({ reporterName: 'x', title: 'x', description: 'x', channel: 'pigeon' }),
      400,
      'common.validation',
      'channel',
    );
  });

  it('manages observables, correlates incidents that share one, and assigns within a team', async () => {
    const shared = '198.51.100.23';
    const a = await incidentIn('recorded', publicReportFields({ observables: JSON.stringify([{ type: 'ipv4', value: shared }]) }));
    const b = await incidentIn('reported', publicReportFields({ observables: '[]' }));
    const added = await t
      .http()
      .post(`${API}/incidents/${b.id}/observables`)
      .set(auth('incident_analyst'))
      .send({ type: 'ipv4', value: ` ${shared} ` });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.correlated).toEqual([
      expect.objectContaining({ ticket: a.receipt.ticket, shared: [{ type: 'ipv4', value: shared }] }),
    ]);
    expect((await get(`/incidents/${a.id}`, 'incident_analyst')).body.correlated.map((c: { ticket: string }) => c.ticket)).toContain(
      b.receipt.ticket,
    );
    await changesNothing(async () => {
      expectProblem(
        await t.http().post(`${API}/incidents/${b.id}/observables`).set(auth('incident_analyst')).send({ type: 'ipv4', value: shared }),
        409,
        'incident.observable_exists',
      );
      expectProblem(
        await t
          .http()
          .post(`${API}/incidents/${b.id}/observables`)
          .set(auth('incident_analyst'))
          .send({ type: 'ipv6', value: 'fe80::1%eth0' }),
        400,
        'incident.invalid_observable',
        'value',
      );
      expectProblem(
        await t.http().delete(`${API}/incidents/${b.id}/observables/${randomUUID()}`).set(auth('incident_analyst')),
        404,
        'incident.observable_not_found',
      );
    });
    const obsId = (added.body.observables as Array<{ id: string; value: string }>).find((o) => o.value === shared)!.id;
    const removed = await t.http().delete(`${API}/incidents/${b.id}/observables/${obsId}`).set(auth('incident_analyst'));
    expect(removed.status).toBe(200);
    expect(removed.body.observables).toEqual([]);
    expect(removed.body.correlated).toEqual([]);

    // Assignment: to an active holder of the team role, by a member of that team; mailed to the assignee.
    const [analyst] = await t.db.dataSource.query(`SELECT id FROM users WHERE username = 'incident.analyst'`);
    const [handler] = await t.db.dataSource.query(`SELECT id FROM users WHERE username = 'incident.handler'`);
    const assigned = await t
      .http()
      .put(`${API}/incidents/${a.id}/assignees/analysis`)
      .set(auth('incident_analyst'))
      .send({ userId: analyst.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.assignees.analysis).toEqual({ id: analyst.id, name: 'Demo Tim Analisis Insiden' });
    expectProblem(
      await t.http().put(`${API}/incidents/${a.id}/assignees/analysis`).set(auth('incident_analyst')).send({ userId: handler.id }),
      400,
      'incident.invalid_assignee',
    );
    const mine = await get('/incidents', 'incident_analyst', { assignedToMe: true, pageSize: 200 });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
    expect(mine.body.items.map((i: { id: string }) => i.id)).not.toContain(b.id);
    const unassigned = await t
      .http()
      .put(`${API}/incidents/${a.id}/assignees/analysis`)
      .set(auth('incident_analyst'))
      .send({ userId: null });
    expect(unassigned.body.assignees.analysis).toBeNull();
  });

  it('lists queues with filters, search and paging', async () => {
    const a = await incidentIn('validated', publicReportFields({ title: 'Antrean-uji-alfa phishing' }));
    await incidentIn('recorded', publicReportFields({ title: 'Antrean-uji-beta phishing' }));
    const dataQueue = await get('/incidents', 'incident_data', { team: 'data', q: 'antrean-uji', pageSize: 200 });
    expect(dataQueue.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const both = await get('/incidents', 'auditor', { q: 'ANTREAN-UJI', pageSize: 1 });
    expect(both.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(both.body.items).toHaveLength(1);
    const byStatus = await get('/incidents', 'admin', { status: 'validated,recorded', q: 'antrean-uji' });
    expect(byStatus.body.total).toBe(2);
    expect((await get('/incidents', 'admin', { q: 'antrean-uji', overdue: true })).body.total).toBe(0);
    expect((await get('/incidents', 'admin', { q: '%' })).body.total).toBe(0);
    expectProblem(await get('/incidents', 'admin', { status: 'lost' }), 400, 'common.validation', 'status');
    expectProblem(await get('/incidents', 'admin', { overdue: 'maybe' }), 400, 'common.validation', 'overdue');
    expectProblem(await get('/incidents', 'admin', { team: 'marketing' }), 400, 'common.validation', 'team');
  });

  it('serves the taxonomy to anyone, for the report form', async () => {
    const res = await t.http().get(`${API}/incident-taxonomy`);
    expect(res.status).toBe(200);
    expect(res.body.rsitVersion).toBe(1003);
    expect(res.body.classes).toHaveLength(11);
    expect(res.body.quickPicks.map((p: { key: string }) => p.key)).toContain('web-defacement');
    expect(res.body.tlp.map((x: { label: string }) => x.label)).toEqual(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']);
  });
});
