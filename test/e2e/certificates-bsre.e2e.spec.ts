import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateLifecycleService } from '@sandi/certificates';
import { createTestApp, type TestApp } from '../support/app.js';
import { binary, expectProblem } from '../support/http.js';
import { startBsreTestServer, type BsreTestServer } from '../support/bsre-test-server.js';
import { usingPostgres } from '../support/database.js';
import { identityFields, issuanceFields, samplePdf } from '../factories/certificate.factory.js';
import * as pki from '../../libs/certificates/src/pki/index.js';
import { signPdf } from '../../libs/certificates/src/pdf/index.js';

const API = '/api/v1';
const PASSPHRASE = 'Passphrase-di-BSrE 2026';

/** A stand-in for the certification body's own CA, so that the test server signs for real. */
async function bodyCa() {
  const rootKeys = await pki.generateKeyPair('ecdsa-p256');
  const root = await pki.createRootCa({
    keys: rootKeys,
    subject: { commonName: 'Root CA Uji BSrE', organization: 'Balai Sertifikasi Elektronik' },
  });
  const issKeys = await pki.generateKeyPair('ecdsa-p256');
  const issuing = await pki.createIssuingCa({
    keys: issKeys,
    issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
    subject: { commonName: 'OSD Uji BSrE', organization: 'Balai Sertifikasi Elektronik' },
  });
  const keys = new Map<string, KeyObject>();
  const issueFor = async (nik: string, name: string, email: string) => {
    const k = await pki.generateKeyPair('ecdsa-p256');
    keys.set(nik, k.privateKey);
    const now = Date.now();
    const leaf = await pki.issueCertificate({
      issuer: { certificate: issuing.der, privateKey: issKeys.privateKey },
      publicKey: k.publicKey,
      subject: { commonName: name, email },
      email,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * 86_400_000),
    });
    return [leaf.der, issuing.der, root.der] as Uint8Array[];
  };
  return { keys, issueFor, issuing, root };
}

describe(`certificate procedures through the BSrE adapter against its contract (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let bsre: BsreTestServer;
  let ca: Awaited<ReturnType<typeof bodyCa>>;
  let verifier: string;
  let unitId: string;
  let letter: Buffer;
  let lifecycle: CertificateLifecycleService;
  let clock = Date.now();
  const person = { nik: '', email: '' };
  let certId = '';
  let trustDir = '';

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const act = (id: string, action: string, body: Record<string, string> = {}) =>
    t.http().post(`${API}/certificates/applications/${id}/actions/${action}`).set(auth(verifier)).send(body);
  const submit = (path: string, fields: Record<string, string>) => {
    const req = t.http().post(`${API}/certificates/applications/${path}`).set(auth(verifier));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('documents', letter, { filename: 'surat.pdf', contentType: 'application/pdf' });
  };
  const detail = async (id: string) =>
    (await t.http().get(`${API}/certificates/applications/${id}`).set(auth(verifier))).body as {
      state: string;
      raLastStatus: string | null;
      issuedCertificate: { id: string } | null;
    };
  /** One scheduler run, BSRE_POLL_MINUTES later than the previous one. */
  const poll = async () => {
    clock += 2 * 60_000;
    return lifecycle.pollRegistrationAuthority(new Date(clock));
  };
  const lastLink = async (template: string) => {
    const rows = (await t.db.dataSource.query(
      `SELECT text_body FROM outbox_messages WHERE to_address = $1 AND template = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [person.email, template],
    )) as Array<{ text_body: string }>;
    return /#token=([A-Za-z0-9_-]{43})/.exec(rows[0]!.text_body)![1]!;
  };
  const sign = (passphrase: string) =>
    t
      .http()
      .post(`${API}/public/certificates/sign`)
      .field('nik', person.nik)
      .field('passphrase', passphrase)
      .field('visible', 'true')
      .attach('file', letter, { filename: 'surat.pdf', contentType: 'application/pdf' })
      .buffer(true)
      .parse(binary);

  beforeAll(async () => {
    ca = await bodyCa();
    bsre = await startBsreTestServer({
      signer: async (pdf, holder, props) =>
        signPdf({
          pdf,
          privateKey: ca.keys.get(holder.nik)!,
          certificate: holder.chain[0]!,
          chain: holder.chain.slice(1),
          reason: props.reason,
          location: props.location,
          signerName: holder.name,
        }),
      // The body's verify service, as it answers for one good signature.
      verifier: async () => ({
        documentName: 'surat-ttd.pdf',
        conclusion: 'VALID',
        description: 'Dokumen valid, Sertifikat yang digunakan terpercaya',
        signatureCount: 1,
        signatureInformations: [
          {
            id: 'sig-1',
            signerName: 'Budi Santoso',
            signatureDate: '2026-11-23T09:00:00.000+07:00',
            integrityValid: true,
            certificateTrusted: true,
          },
        ],
      }),
    });
    // The operator installed the body's root (as published) and nothing else; a stray file is skipped.
    trustDir = mkdtempSync(join(tmpdir(), 'sandi-trust-'));
    writeFileSync(join(trustDir, 'root-ca-uji-bsre.pem'), pki.toPem(ca.root.der));
    writeFileSync(join(trustDir, 'catatan.pem'), 'bukan sertifikat');
    t = await createTestApp({
      env: {
        CERT_TRUST_DIR: trustDir,
        CERT_RA_ADAPTER: 'bsre',
        BSRE_BASE_URL: bsre.url,
        BSRE_USERNAME: bsre.username,
        BSRE_PASSWORD: bsre.password,
        BSRE_SIGN_TIMEOUT_MS: '400',
        BSRE_TIMEOUT_MS: '2000',
        BSRE_POLL_MINUTES: '1',
      },
    });
    verifier = await t.tokenFor('verifier');
    lifecycle = t.app.get(CertificateLifecycleService);
    unitId = ((await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'BAPPEDA'`)) as [{ id: string }])[0].id;
    letter = await samplePdf();
  });
  afterAll(async () => {
    await t?.close();
    await bsre?.close();
    rmSync(trustDir, { recursive: true, force: true });
  });

  it('issues: identity verified here, portal submission recorded, decision followed by polling the holder status', async () => {
    const fields = issuanceFields(unitId, { fullName: 'Budi Santoso' });
    person.nik = fields.nik!;
    person.email = fields.email!;
    const created = await submit('issuance', fields);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body.adapter).toBe('bsre');
    expect(
      (
        await t
          .http()
          .post(`${API}/public/certificates/identity`)
          .send(identityFields(await lastLink('certificates.identity_link'), person.nik))
      ).status,
    ).toBe(200);
    // With BSrE the passphrase is set on the body's side: approval leads to the portal submission.
    expect((await act(id, 'approve_identity')).body.state).toBe('ra_submission');
    expect(
      (
        await t.db.dataSource.query(
          `SELECT count(*)::int AS c FROM outbox_messages WHERE template = 'certificates.passphrase_link' AND to_address = $1`,
          [person.email],
        )
      )[0].c,
    ).toBe(0);
    expectProblem(await act(id, 'ra_approve'), 409, 'common.illegal_transition');
    expectProblem(await act(id, 'record_submission'), 400, 'certificates.invalid_payload');
    const recorded = await act(id, 'record_submission', { reference: 'BSRE-REG-2026-0042', note: 'Diajukan di portal' });
    expect(recorded.body).toMatchObject({ state: 'ra_review', raReference: 'BSRE-REG-2026-0042' });

    // Not registered yet at the body: the poll records the status and changes nothing else.
    expect(await poll()).toEqual({ polled: 1, decided: 0 });
    expect(await detail(id)).toMatchObject({ state: 'ra_review', raLastStatus: 'NOT_REGISTERED' });
    // Polled again only after BSRE_POLL_MINUTES.
    expect(await lifecycle.pollRegistrationAuthority(new Date(clock + 1000))).toEqual({ polled: 0, decided: 0 });

    // The body registers and then issues.
    bsre.state.addHolder({ nik: person.nik, email: person.email, name: 'Budi Santoso', status: 'NEW', passphrase: PASSPHRASE, chain: [] });
    expect(await poll()).toEqual({ polled: 1, decided: 0 });
    bsre.state.decide(person.nik, 'ISSUE', { chain: await ca.issueFor(person.nik, 'Budi Santoso', person.email) });
    expect(await poll()).toEqual({ polled: 1, decided: 1 });
    const done = await detail(id);
    expect(done.state).toBe('completed');
    certId = done.issuedCertificate!.id;
    const cert = (await t.http().get(`${API}/certificates/${certId}`).set(auth(verifier))).body;
    expect(cert).toMatchObject({ adapter: 'bsre', status: 'active', subject: expect.stringContaining('Budi Santoso') });
    const templates = (
      (await t.db.dataSource.query(`SELECT template FROM outbox_messages WHERE to_address = $1`, [person.email])) as Array<{
        template: string;
      }>
    ).map((r) => r.template);
    expect(templates).toContain('certificates.completed');
    const timeline = (await t.db.dataSource.query(
      `SELECT actor_kind, action FROM cert_application_events WHERE application_id = $1 ORDER BY id`,
      [id],
    )) as Array<{ actor_kind: string; action: string }>;
    expect(timeline.at(-1)).toEqual({ actor_kind: 'system', action: 'ra_approve' });
  });

  it('signs through the eSign service: wrong passphrase counted, a timeout is an unknown outcome and never retried', async () => {
    const ok = await sign(PASSPHRASE);
    expect(ok.status, String(ok.body)).toBe(200);
    const report = await t
      .http()
      .post(`${API}/public/certificates/verify`)
      .attach('file', ok.body as Buffer, { filename: 'surat-ttd.pdf' });
    // Trusted through the installed root, the intermediate coming from the signature itself.
    expect(report.body.signatures[0]).toMatchObject({
      signerName: 'Budi Santoso',
      intact: true,
      coversWholeDocument: true,
      chain: 'trusted',
      revocation: 'good',
      verdict: 'valid',
    });
    // BSrE's own verdict stands beside ours; when its verify service fails, ours still answers.
    expect(report.body.certificationBody).toMatchObject({
      checked: true,
      conclusion: 'VALID',
      signatures: [{ signerName: 'Budi Santoso', integrityValid: true, certificateTrusted: true }],
      problem: null,
    });
    bsre.state.malformNext('verify', 1);
    const down = await t
      .http()
      .post(`${API}/public/certificates/verify`)
      .attach('file', ok.body as Buffer, { filename: 'surat-ttd.pdf' });
    expect(down.status).toBe(200);
    expect(down.body.signatures[0]).toMatchObject({ verdict: 'valid' });
    expect(down.body.certificationBody).toMatchObject({ checked: false, conclusion: null });
    expect(down.body.certificationBody.problem).toContain('BSrE');
    // The certificate alone (no intermediate with it) chains through the one BSrE sent when it was issued.
    const pem = await t.http().get(`${API}/certificates/${certId}/download`).set(auth(verifier));
    const certReport = await t
      .http()
      .post(`${API}/public/certificates/verify`)
      .attach('file', Buffer.from(pem.text), { filename: 'budi.pem' });
    expect(certReport.body.certificate).toMatchObject({ chain: 'trusted', status: 'valid', revocation: 'good' });
    expect(bsre.state.signRequests.at(-1)).toMatchObject({
      nik: person.nik,
      signatureProperties: [expect.objectContaining({ tampilan: 'VISIBLE' })],
    });

    const wrong = await sign('bukan-passphrase-nya 1');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(String(wrong.body)).code).toBe('certificates.wrong_passphrase');

    const before = bsre.state.signCalls;
    bsre.state.delays.sign = 1500;
    const slow = await sign(PASSPHRASE);
    bsre.state.delays.sign = 0;
    expect(slow.status).toBe(504);
    expect(JSON.parse(String(slow.body)).code).toBe('certificates.signing_outcome_unknown');
    expect(bsre.state.signCalls).toBe(before + 1);
    const outcomes = (await t.db.dataSource.query(`SELECT outcome FROM cert_signatures WHERE certificate_id = $1 ORDER BY at`, [
      certId,
    ])) as Array<{ outcome: string }>;
    expect(outcomes.map((o) => o.outcome)).toEqual(['signed', 'wrong_passphrase', 'unknown']);
    // The passphrase went to the body and nowhere else.
    const dump = JSON.stringify(await t.db.dataSource.query(`SELECT * FROM audit_events`));
    expect(dump).not.toContain(PASSPHRASE);
  });

  it('records an update decided on the portal, then follows a revocation until the status says REVOKE', async () => {
    const upd = await submit('update', { certificateId: certId, positionTitle: 'Kepala Bidang Perencanaan' });
    expect(upd.status, JSON.stringify(upd.body)).toBe(201);
    expect(upd.body.state).toBe('ra_submission');
    await act(upd.body.id as string, 'record_submission', { reference: 'BSRE-UPD-77' });
    // Updates do not show in the status endpoint: the verifier records the portal's decision.
    expect(await poll()).toEqual({ polled: 0, decided: 0 });
    const approved = await act(upd.body.id as string, 'ra_approve', { note: 'Disetujui di portal BSrE' });
    expect(approved.body.state).toBe('completed');
    expect(approved.body.holder.positionTitle).toBe('Kepala Bidang Perencanaan');

    const rev = await submit('revocation', { certificateId: certId, reason: 'affiliationChanged' });
    expect(rev.status, JSON.stringify(rev.body)).toBe(201);
    await act(rev.body.id as string, 'record_submission', { reference: 'BSRE-REV-9' });
    expect(await poll()).toEqual({ polled: 1, decided: 0 });
    bsre.state.decide(person.nik, 'REVOKE');
    expect(await poll()).toEqual({ polled: 1, decided: 1 });
    expect((await detail(rev.body.id as string)).state).toBe('completed');
    expect((await t.http().get(`${API}/certificates/${certId}`).set(auth(verifier))).body).toMatchObject({
      status: 'revoked',
      revocationReason: 'affiliationChanged',
    });
    const refused = await sign(PASSPHRASE);
    expect(refused.status).toBe(409);
  });

  it('keeps working when the body is unreachable: the poll notes it and tries again later', async () => {
    const fields = issuanceFields(unitId, { fullName: 'Rina Wulandari', nik: '3174016501920003' });
    const created = await submit('issuance', fields);
    const id = created.body.id as string;
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(
      (
        (await t.db.dataSource.query(
          `SELECT text_body FROM outbox_messages WHERE to_address = $1 AND template = 'certificates.identity_link'`,
          [fields.email],
        )) as Array<{ text_body: string }>
      )[0]!.text_body,
    )![1]!;
    expect(
      (
        await t
          .http()
          .post(`${API}/public/certificates/identity`)
          .send(identityFields(token, fields.nik!, { birthDate: '1992-01-25' }))
      ).status,
    ).toBe(200);
    await act(id, 'approve_identity');
    await act(id, 'record_submission', { reference: 'BSRE-REG-2' });
    bsre.state.dropNext('status', 2);
    await poll();
    expect((await detail(id)).state).toBe('ra_review');
    expect((await detail(id)).raLastStatus).toBe('poll_failed');
  });
});
