import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '@sandi/certificates';
import { createTestApp, type TestApp } from '../support/app.js';
import { binary, expectProblem } from '../support/http.js';
import { usingPostgres } from '../support/database.js';
import { GOOD_PASSPHRASE, identityFields, issuanceFields, samplePdf } from '../factories/certificate.factory.js';

const run = promisify(execFile);
const API = '/api/v1';
const PUBLIC_URL = 'https://sandi.example.go.id';

interface Detail {
  id: string;
  number: string;
  state: string;
  procedure: string;
  allowedActions: Array<{ action: string; required: string[] }>;
  issuedCertificate: { id: string; serial: string } | null;
  identity: { fullNameOnId: string } | null;
  holder: { nikMasked: string };
  documents: Array<{ id: string; sha256: string }>;
  timeline: Array<{ action: string }>;
}

describe(`e-signature certificate procedures on the local CA (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let dir: string;
  let unitId: string;
  let verifier: string;
  let ra: string;
  let baseUrl: string;
  let letter: Buffer;
  const people: { nik: string; email: string } = { nik: '', email: '' };
  let certId = '';
  let signedPdf: Buffer;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const mailsTo = async (to: string) =>
    (await t.db.dataSource.query(`SELECT template, text_body FROM outbox_messages WHERE to_address = $1 ORDER BY created_at, id`, [
      to,
    ])) as Array<{ template: string; text_body: string }>;
  const lastLink = async (to: string, template: string) => {
    const mails = (await mailsTo(to)).filter((m) => m.template === template);
    const m = /#token=([A-Za-z0-9_-]{43})/.exec(mails.at(-1)?.text_body ?? '');
    expect(m, `a ${template} mail to ${to}`).not.toBeNull();
    return m![1]!;
  };
  const act = (id: string, action: string, token: string, body: Record<string, string> = {}) =>
    t.http().post(`${API}/certificates/applications/${id}/actions/${action}`).set(auth(token)).send(body);
  const submit = (path: string, fields: Record<string, string>, files: Array<[string, Buffer]> = [['surat-rekomendasi.pdf', letter]]) => {
    const req = t.http().post(`${API}/certificates/applications/${path}`).set(auth(verifier));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    for (const [name, content] of files) void req.attach('documents', content, { filename: name, contentType: 'application/pdf' });
    return req;
  };
  const sign = (nik: string, passphrase: string, pdf: Buffer, extra: Record<string, string> = {}) => {
    const req = t.http().post(`${API}/public/certificates/sign`).field('nik', nik).field('passphrase', passphrase);
    for (const [k, v] of Object.entries(extra)) void req.field(k, v);
    return req.attach('file', pdf, { filename: 'nota-dinas.pdf', contentType: 'application/pdf' }).buffer(true).parse(binary);
  };
  const verify = (file: Buffer, name = 'dokumen.pdf') =>
    t.http().post(`${API}/public/certificates/verify`).attach('file', file, { filename: name });

  /** Runs identity → verification → passphrase → RA for an application in awaiting_identity. */
  async function enrol(app: Detail, email: string, nik: string): Promise<Detail> {
    const idToken = await lastLink(email, 'certificates.identity_link');
    expect((await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, nik))).status).toBe(200);
    expect((await act(app.id, 'approve_identity', verifier)).body.state).toBe('awaiting_passphrase');
    const ppToken = await lastLink(email, 'certificates.passphrase_link');
    const pp = await t
      .http()
      .post(`${API}/public/certificates/passphrase`)
      .send({ token: ppToken, passphrase: GOOD_PASSPHRASE, passphraseConfirmation: GOOD_PASSPHRASE });
    expect(pp.status, JSON.stringify(pp.body)).toBe(200);
    const done = await act(app.id, 'ra_approve', ra, { note: 'Data sesuai' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return done.body as Detail;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandi-cert-e2e-'));
    t = await createTestApp({ env: { PUBLIC_URL, CERT_SIGN_MAX_ATTEMPTS: '3', CERT_DOCUMENT_MAX_BYTES: '200000' } });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    verifier = await t.tokenFor('verifier');
    ra = await t.tokenFor('ra_operator');
    const [u] = (await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'DINKES'`)) as [{ id: string }];
    unitId = u.id;
    letter = await samplePdf();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad issuance request and stores nothing', async () => {
    const before = (await t.db.dataSource.query(`SELECT count(*)::int AS c FROM cert_applications`)) as [{ c: number }];
    expectProblem(await submit('issuance', issuanceFields(unitId, { nik: '3174013202900001' })), 400, 'certificates.invalid_nik', 'nik');
    expectProblem(await submit('issuance', issuanceFields(unitId, { nip: '199001252015033001' })), 400, 'certificates.invalid_nip', 'nip');
    expectProblem(await submit('issuance', issuanceFields(unitId), []), 400, 'certificates.letter_required', 'documents');
    expectProblem(
      await submit('issuance', issuanceFields(unitId), [['surat.pdf', Buffer.from('GIF89a not a pdf')]]),
      422,
      'certificates.invalid_document',
    );
    expectProblem(
      await submit('issuance', issuanceFields(unitId), [['besar.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000)])]]),
      413,
    );
    expectProblem(await submit('issuance', issuanceFields('00000000-0000-4000-8000-000000000000')), 400, 'certificates.invalid_unit');
    expectProblem(await submit('issuance', { ...issuanceFields(unitId), email: 'bukan-email' }), 400, undefined, 'email');
    // Only the verifier submits.
    const asRa = await t.http().post(`${API}/certificates/applications/issuance`).set(auth(ra)).field('fullName', 'X');
    expectProblem(asRa, 403);
    const after = (await t.db.dataSource.query(`SELECT count(*)::int AS c FROM cert_applications`)) as [{ c: number }];
    expect(after[0].c).toBe(before[0].c);
  });

  it('carries issuance from the verifier through the applicant and the RA to a certificate OpenSSL accepts', async () => {
    const fields = issuanceFields(unitId);
    people.nik = fields.nik!;
    people.email = fields.email!;
    const created = await submit('issuance', fields);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const app = created.body as Detail;
    expect(app.number).toMatch(/^TTE-\d{4}-\d{6}$/);
    expect(app.state).toBe('awaiting_identity');
    expect(app.holder.nikMasked).toBe(`${people.nik.slice(0, 4)}********${people.nik.slice(12)}`);
    expect(JSON.stringify(app)).not.toContain(people.nik);
    // NIK at rest: sealed, never in clear.
    const rows = (await t.db.dataSource.query(`SELECT nik_sealed, nik_masked FROM cert_holders WHERE email = $1`, [
      people.email,
    ])) as Array<{ nik_sealed: string }>;
    expect(rows[0]!.nik_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(people.nik);

    // A second open application for the same person is refused.
    expectProblem(await submit('issuance', { ...fields, email: `lain.${people.email}` }), 409, 'certificates.open_application_exists');

    // Out of order: the RA cannot decide yet, the verifier cannot approve identity not yet submitted.
    const early = await act(app.id, 'ra_approve', ra);
    expectProblem(early, 409, 'common.illegal_transition');
    expect(early.body.allowedActions).toEqual([]);
    expectProblem(await act(app.id, 'approve_identity', verifier), 409);

    // Step 2: the applicant's link.
    const idToken = await lastLink(people.email, 'certificates.identity_link');
    const view = await t.http().post(`${API}/public/certificates/links/open`).send({ token: idToken });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ purpose: 'identity', number: app.number, fullName: 'Siti Rahmawati' });
    expectProblem(
      await t
        .http()
        .post(`${API}/public/certificates/links/open`)
        .send({ token: 'A'.repeat(43) }),
      404,
      'certificates.link_invalid',
    );
    // A NIK or birth date that does not match changes nothing and leaves the link usable.
    const wrongNik = await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, '3174012501900002'));
    expectProblem(wrongNik, 422, 'certificates.identity_mismatch', 'nik');
    expectProblem(
      await t
        .http()
        .post(`${API}/public/certificates/identity`)
        .send(identityFields(idToken, people.nik, { birthDate: '1991-01-25' })),
      422,
      'certificates.identity_mismatch',
      'birthDate',
    );
    const ok = await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, people.nik));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.state).toBe('identity_review');
    // Single use.
    expectProblem(
      await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, people.nik)),
      410,
      'certificates.link_used',
    );

    // Step 3: the verifier sees the identity data and sends it back once, with a reason.
    const review = (await t.http().get(`${API}/certificates/applications/${app.id}`).set(auth(verifier))).body as Detail;
    expect(review.identity?.fullNameOnId).toBe('SITI RAHMAWATI');
    expect(review.allowedActions.map((a) => a.action)).toEqual(['approve_identity', 'return_identity', 'cancel']);
    expect(review.allowedActions.find((a) => a.action === 'return_identity')?.required).toEqual(['reason']);
    const auditorView = (
      await t
        .http()
        .get(`${API}/certificates/applications/${app.id}`)
        .set(auth(await t.tokenFor('auditor')))
    ).body as Detail;
    expect(auditorView.identity).toBeNull();
    expectProblem(await act(app.id, 'return_identity', verifier), 400, 'certificates.invalid_payload', 'reason');
    expectProblem(await act(app.id, 'approve_identity', ra), 403, 'certificates.role_not_allowed');
    expect((await act(app.id, 'return_identity', verifier, { reason: 'Alamat belum lengkap' })).body.state).toBe('awaiting_identity');
    const second = await lastLink(people.email, 'certificates.identity_link');
    expect(second).not.toBe(idToken);
    expect((await mailsTo(people.email)).at(-1)!.text_body).toContain('Alamat belum lengkap');
    expect((await t.http().post(`${API}/public/certificates/identity`).send(identityFields(second, people.nik))).status).toBe(200);
    expect((await act(app.id, 'approve_identity', verifier)).body.state).toBe('awaiting_passphrase');

    // Step 4: passphrase rules, then the key is generated and kept only encrypted.
    const ppToken = await lastLink(people.email, 'certificates.passphrase_link');
    const pp = (passphrase: string, confirm = passphrase) =>
      t.http().post(`${API}/public/certificates/passphrase`).send({ token: ppToken, passphrase, passphraseConfirmation: confirm });
    expectProblem(await pp('pendek1'), 400, 'certificates.weak_passphrase', 'passphrase');
    expectProblem(await pp(`Rahmawati${people.nik.slice(-4)}xx`), 400, 'certificates.weak_passphrase', 'passphrase');
    expectProblem(await pp(GOOD_PASSPHRASE, `${GOOD_PASSPHRASE}!`), 400, 'certificates.weak_passphrase', 'passphraseConfirmation');
    const set = await pp(GOOD_PASSPHRASE);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.state).toBe('ra_review');
    const [pending] = (await t.db.dataSource.query(`SELECT pending_private_key FROM cert_applications WHERE id = $1`, [app.id])) as [
      { pending_private_key: string },
    ];
    expect(pending.pending_private_key).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    // RA operators are told.
    const [raUser] = (await t.db.dataSource.query(`SELECT email FROM users WHERE 'ra_operator' = ANY(roles) LIMIT 1`)) as [
      { email: string },
    ];
    expect((await mailsTo(raUser.email)).map((m) => m.template)).toContain('certificates.ra_request');

    // Step 5: the RA decides — not the verifier.
    expectProblem(await act(app.id, 'ra_approve', verifier), 403, 'certificates.role_not_allowed');
    const done = await act(app.id, 'ra_approve', ra, { note: 'Data sesuai dokumen' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const finished = done.body as Detail;
    expect(finished.state).toBe('completed');
    expect(finished.issuedCertificate).not.toBeNull();
    certId = finished.issuedCertificate!.id;
    expect(finished.timeline.map((e) => e.action)).toEqual([
      'submitted',
      'submit_identity',
      'return_identity',
      'submit_identity',
      'approve_identity',
      'set_passphrase',
      'ra_approve',
    ]);
    // Step 6: the applicant is told.
    expect((await mailsTo(people.email)).map((m) => m.template)).toContain('certificates.completed');
    // The passphrase is nowhere: not in the database, not in mail, not in the audit trail.
    for (const table of [
      'cert_applications',
      'cert_holders',
      'certificates',
      'audit_events',
      'outbox_messages',
      'cert_application_events',
    ]) {
      const dump = JSON.stringify(await t.db.dataSource.query(`SELECT * FROM ${table}`));
      expect(dump, table).not.toContain(GOOD_PASSPHRASE);
      expect(dump, table).not.toContain(people.nik);
    }

    // The certificate, the CA chain and OpenSSL's verdict.
    const pem = await t.http().get(`${API}/certificates/${certId}/download`).set(auth(verifier));
    expect(pem.status).toBe(200);
    writeFileSync(join(dir, 'leaf.pem'), pem.text);
    const chain = await t.http().get(`${API}/pki/ca/chain.pem`);
    // Public and cacheable, unlike the rest of the API (no-store).
    expect(chain.headers['cache-control']).toBe('public, max-age=86400');
    expect(pem.headers['cache-control']).toBe('no-store');
    const [issuingPem, rootPem] = chain.text.split(/(?<=-----END CERTIFICATE-----\n)/);
    writeFileSync(join(dir, 'issuing.pem'), issuingPem!);
    writeFileSync(join(dir, 'root.pem'), rootPem!);
    const v = await run('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'issuing.pem'),
      join(dir, 'leaf.pem'),
    ]);
    expect(v.stdout).toContain('leaf.pem: OK');
    const text = (await run('openssl', ['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text'])).stdout;
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    expect(text).toContain(`email:${people.email}`);
    expect(text).toContain(`${PUBLIC_URL}/api/v1/pki/crl`);
    expect(text).toContain(`OCSP - URI:${PUBLIC_URL}/api/v1/pki/ocsp`);
    const der = await t.http().get(`${API}/certificates/${certId}/download?format=der`).set(auth(verifier)).buffer(true).parse(binary);
    expect(toPem(der.body as Buffer)).toBe(pem.text);
  });

  it('lists certificates with masked NIK and answers OCSP good through OpenSSL', async () => {
    const list = await t
      .http()
      .get(`${API}/certificates?status=active&q=${encodeURIComponent(people.email)}`)
      .set(auth(verifier));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: certId, status: 'active', dueForRenewal: false });
    expect(JSON.stringify(list.body)).not.toContain(people.nik);
    // Every filter, and none, answers (each binds only the parameters it uses).
    for (const filter of ['', 'status=revoked', 'status=expired', 'status=expiring', `q=${encodeURIComponent(people.email)}`]) {
      const r = await t.http().get(`${API}/certificates?${filter}`).set(auth(verifier));
      expect(r.status, `${filter}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    expect(
      (
        await t
          .http()
          .get(`${API}/certificates?q=${encodeURIComponent(people.email)}`)
          .set(auth(verifier))
      ).body.items,
    ).toHaveLength(1);
    const o = await run('openssl', [
      'ocsp',
      '-issuer',
      join(dir, 'issuing.pem'),
      '-cert',
      join(dir, 'leaf.pem'),
      '-url',
      `${baseUrl}/api/v1/pki/ocsp`,
      '-CAfile',
      join(dir, 'root.pem'),
    ]);
    expect(o.stdout).toContain('leaf.pem: good');
    expect(`${o.stdout}${o.stderr}`).toContain('Response verify OK');
    const garbage = await t
      .http()
      .post(`${API}/pki/ocsp`)
      .set('Content-Type', 'application/ocsp-request')
      .send(Buffer.from('not der at all'))
      .buffer(true)
      .parse(binary);
    expect(garbage.status).toBe(200);
    expect(garbage.headers['content-type']).toContain('application/ocsp-response');
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED malformedRequest(1) }
    expect(
      Buffer.from(garbage.body as Buffer)
        .subarray(0, 5)
        .toString('hex'),
    ).toBe('3003' + '0a0101');
  });

  it('signs a PDF with NIK + passphrase, limits wrong passphrases, and the verification page accepts the signature', async () => {
    const doc = await samplePdf('Nota Dinas');
    const res = await sign(people.nik, GOOD_PASSPHRASE, doc, { visible: 'true', page: '1', reason: 'Menyetujui', location: 'Jakarta' });
    expect(res.status, String(res.body)).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    signedPdf = res.body as Buffer;
    const report = await verify(signedPdf);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.kind).toBe('pdf');
    expect(report.body.signatures[0]).toMatchObject({
      signerName: 'Siti Rahmawati',
      intact: true,
      coversWholeDocument: true,
      chain: 'trusted',
      revocation: 'good',
      verdict: 'valid',
    });
    // A changed byte inside the signed range is detected.
    const tampered = Buffer.from(signedPdf);
    const at = tampered.indexOf('/MediaBox [ 0 0 595');
    expect(at).toBeGreaterThan(0);
    tampered[at + '/MediaBox [ 0 0 59'.length] = '6'.charCodeAt(0);
    const bad = await verify(tampered);
    expect(bad.body.signatures[0]).toMatchObject({ intact: false, verdict: 'invalid' });

    // Wrong passphrases: counted, audited, then a lock (and a mail to the holder).
    const w1 = await sign(people.nik, 'Salah-Passphrase 1', doc);
    expect(w1.status).toBe(401);
    expect(JSON.parse(String(w1.body)).attemptsLeft).toBe(2);
    expect((await sign(people.nik, 'Salah-Passphrase 2', doc)).status).toBe(401);
    const locked = await sign(people.nik, 'Salah-Passphrase 3', doc);
    expect(locked.status).toBe(423);
    expect((await sign(people.nik, GOOD_PASSPHRASE, doc)).status).toBe(423);
    expect((await mailsTo(people.email)).map((m) => m.template)).toContain('certificates.signing_locked');
    const outcomes = (await t.db.dataSource.query(
      `SELECT outcome FROM cert_signatures s JOIN certificates c ON c.id = s.certificate_id WHERE c.id = $1 ORDER BY at`,
      [certId],
    )) as Array<{ outcome: string }>;
    expect(outcomes.map((o) => o.outcome)).toEqual(['signed', 'wrong_passphrase', 'wrong_passphrase', 'wrong_passphrase', 'locked']);
    await t.db.dataSource.query(`UPDATE cert_holders SET sign_locked_until = now() - interval '1 minute' WHERE email = $1`, [people.email]);

    // Bad input.
    expect((await sign('1234', GOOD_PASSPHRASE, doc)).status).toBe(400);
    expect((await sign('3174012501900077', GOOD_PASSPHRASE, doc)).status).toBe(422);
    expect((await sign(people.nik, GOOD_PASSPHRASE, Buffer.from('hello'))).status).toBe(422);
    expectProblem(await verify(Buffer.from('neither pdf nor certificate'), 'x.bin'), 422, 'certificates.unrecognised_file');
    // A certificate upload gets a certificate report.
    const certReport = await verify(
      Buffer.from((await t.http().get(`${API}/certificates/${certId}/download`).set(auth(verifier))).text),
      'sertifikat.pem',
    );
    expect(certReport.body.certificate).toMatchObject({ status: 'valid', chain: 'trusted', revocation: 'good', email: people.email });
  });

  it('updates the certificate data for the same key, then renews with a new key', async () => {
    const upd = await submit('update', { certificateId: certId, positionTitle: 'Kepala Bidang Persandian' }, [
      ['sk-jabatan.pdf', await samplePdf('SK Jabatan')],
    ]);
    expect(upd.status, JSON.stringify(upd.body)).toBe(201);
    expect(upd.body.state).toBe('ra_review');
    expectProblem(await submit('update', { certificateId: certId }, [['sk.pdf', letter]]), 400);
    const refusedFirst = await act(upd.body.id as string, 'ra_refuse', ra);
    expectProblem(refusedFirst, 400, 'certificates.invalid_payload', 'reason');
    const approved = (await act(upd.body.id as string, 'ra_approve', ra)).body as Detail;
    expect(approved.state).toBe('completed');
    const newId = approved.issuedCertificate!.id;
    const old = (await t.http().get(`${API}/certificates/${certId}`).set(auth(verifier))).body;
    expect(old).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    const fresh = (await t.http().get(`${API}/certificates/${newId}`).set(auth(verifier))).body;
    expect(fresh.subject).toContain('Kepala Bidang Persandian');
    // Same key and passphrase keep working, now with the new certificate.
    const s = await sign(people.nik, GOOD_PASSPHRASE, await samplePdf('Surat Edaran'));
    expect(s.status).toBe(200);
    expect((await verify(s.body as Buffer)).body.signatures[0]).toMatchObject({
      serial: approved.issuedCertificate!.serial,
      verdict: 'valid',
    });
    certId = newId;

    // Renewal: the issuance steps again; the old certificate is superseded on completion.
    const ren = await submit('renewal', { certificateId: certId });
    expect(ren.status, JSON.stringify(ren.body)).toBe(201);
    const renewed = await enrol(ren.body as Detail, people.email, people.nik);
    expect(renewed.state).toBe('completed');
    expect((await t.http().get(`${API}/certificates/${certId}`).set(auth(verifier))).body.status).toBe('revoked');
    certId = renewed.issuedCertificate!.id;
    expect((await mailsTo(people.email)).filter((m) => m.template === 'certificates.completed')).toHaveLength(3);
  });

  it('revokes with an RFC 5280 reason: OCSP says revoked, the CRL lists it, signing is refused', async () => {
    expectProblem(
      await submit('revocation', { certificateId: certId, reason: 'certificateHold' }, [['bap.pdf', letter]]),
      400,
      undefined,
      'reason',
    );
    expectProblem(
      await submit('revocation', { certificateId: certId, reason: 'keyCompromise' }, []),
      400,
      'certificates.document_required',
    );
    const rev = await submit('revocation', { certificateId: certId, reason: 'keyCompromise', note: 'Laptop hilang' }, [
      ['berita-acara.pdf', letter],
    ]);
    expect(rev.status, JSON.stringify(rev.body)).toBe(201);
    const done = (await act(rev.body.id as string, 'ra_approve', ra)).body as Detail;
    expect(done.state).toBe('completed');
    expect((await mailsTo(people.email)).map((m) => m.template)).toContain('certificates.revoked');

    const pem = (await t.http().get(`${API}/certificates/${certId}/download`).set(auth(verifier))).text;
    writeFileSync(join(dir, 'revoked.pem'), pem);
    const o = await run('openssl', [
      'ocsp',
      '-issuer',
      join(dir, 'issuing.pem'),
      '-cert',
      join(dir, 'revoked.pem'),
      '-url',
      `${baseUrl}/api/v1/pki/ocsp`,
      '-CAfile',
      join(dir, 'root.pem'),
    ]);
    expect(o.stdout).toContain('revoked.pem: revoked');
    expect(o.stdout).toMatch(/Reason: keyCompromise/);

    const crl = await t.http().get(`${API}/pki/crl`).buffer(true).parse(binary);
    expect(crl.headers['content-type']).toContain('application/pkix-crl');
    writeFileSync(join(dir, 'crl.der'), crl.body as Buffer);
    const crlText = (await run('openssl', ['crl', '-inform', 'DER', '-in', join(dir, 'crl.der'), '-noout', '-text'])).stdout;
    const serial = (await t.http().get(`${API}/certificates/${certId}`).set(auth(verifier))).body.serial as string;
    expect(crlText.toLowerCase().replace(/:/g, '')).toContain(serial.toUpperCase().toLowerCase());
    expect(crlText).toContain('Key Compromise');
    expect(crlText).toContain('Next Update');

    const refused = await sign(people.nik, GOOD_PASSPHRASE, await samplePdf());
    expect(refused.status).toBe(409);
    expect(JSON.parse(String(refused.body)).code).toBe('certificates.certificate_not_active');
    // A revoked certificate cannot be revoked or renewed again.
    expectProblem(
      await submit('revocation', { certificateId: certId, reason: 'unspecified' }, [['x.pdf', letter]]),
      409,
      'certificates.certificate_not_active',
    );
  });

  it('keeps the audit chain intact and wrote an event per step', async () => {
    const v = await t
      .http()
      .get(`${API}/audit/verify`)
      .set(auth(await t.tokenFor('auditor')));
    expect(v.body.ok).toBe(true);
    const actions = (await t.db.dataSource.query(`SELECT DISTINCT action FROM audit_events WHERE action LIKE 'certificates.%'`)) as Array<{
      action: string;
    }>;
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'certificates.ca_created',
        'certificates.application_submitted',
        'certificates.submit_identity',
        'certificates.return_identity',
        'certificates.approve_identity',
        'certificates.set_passphrase',
        'certificates.ra_approve',
        'certificates.document_signed',
        'certificates.sign_wrong_passphrase',
      ]),
    );
  });
});
