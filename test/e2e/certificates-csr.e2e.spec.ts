import { execFile } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCaService } from '@sandi/certificates';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectProblem } from '../support/http.js';
import { usingPostgres } from '../support/database.js';
import { GOOD_PASSPHRASE, identityFields, samplePdf } from '../factories/certificate.factory.js';
import { certificateDriver, type CertificateDriver } from '../support/certificates.js';

const run = promisify(execFile);
const API = '/api/v1';

/**
 * Issuance where the applicant keeps their own key: at the passphrase step they send a PKCS#10
 * request made with OpenSSL instead of a passphrase. Bad requests are refused and change nothing;
 * the certificate carries the verified identity (not the requested subject) and the request's key;
 * the platform then holds no key, so signing here is refused clearly.
 */
describe(`certificate issuance from the applicant's own CSR (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let dir: string;
  let c: CertificateDriver;

  const csrPost = (token: string, csr: string) => t.http().post(`${API}/public/certificates/csr`).send({ token, csr });
  /** A CSR made by OpenSSL; returns its PEM and the path of its key. */
  const openssl = async (name: string, args: string[]) => {
    const out = join(dir, `${name}.csr`);
    await run('openssl', ['req', '-new', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', out, ...args]);
    return readFileSync(out, 'utf8');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandi-csr-e2e-'));
    t = await createTestApp({ env: { PUBLIC_URL: 'https://sandi.example.go.id' } });
    c = await certificateDriver(t);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An issuance application brought to awaiting_passphrase; returns its id, the holder and the passphrase link. */
  async function toPassphraseStep(): Promise<{ id: string; email: string; nik: string; token: string }> {
    const app = await c.applyForIssuance();
    const idToken = await c.lastLink(app.email, 'certificates.identity_link');
    expect((await t.http().post(`${API}/public/certificates/identity`).send(identityFields(idToken, app.nik))).status).toBe(200);
    expect((await c.act(app.id, 'approve_identity', c.verifier)).body.state).toBe('awaiting_passphrase');
    return { id: app.id, email: app.email, nik: app.nik, token: await c.lastLink(app.email, 'certificates.passphrase_link') };
  }

  const state = async (id: string) =>
    (
      (await t.db.dataSource.query(`SELECT state, pending_csr, pending_public_key, key_source FROM cert_applications WHERE id = $1`, [
        id,
      ])) as Array<Record<string, string | null>>
    )[0]!;

  it('refuses bad requests with a clear 422, leaves the application and the link as they were', async () => {
    const app = await toPassphraseStep();
    const view = await t.http().post(`${API}/public/certificates/links/open`).send({ token: app.token });
    expect(view.body).toMatchObject({ purpose: 'passphrase', csrAccepted: true });

    expectProblem(await csrPost(app.token, 'bukan CSR sama sekali'), 422, 'certificates.malformed_csr', 'csr');
    expectProblem(
      await csrPost(app.token, '-----BEGIN CERTIFICATE REQUEST-----\nMIIBAAAA\n-----END CERTIFICATE REQUEST-----\n'),
      422,
      'certificates.malformed_csr',
    );
    // A valid request whose signature was changed.
    const good = await openssl('tampered', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', '/CN=Siti']);
    const der = Buffer.from(good.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 3] ^= 0x01;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const badSig = await csrPost(app.token, tampered);
    expectProblem(badSig, 422, 'certificates.malformed_csr');
    expect(badSig.body.reason).toBe('BAD_CSR_SIGNATURE');
    // A weak key, a SHA-1 signature, an e-mail that is not the applicant's.
    const weak = await csrPost(app.token, await openssl('weak', ['-newkey', 'rsa:1024', '-subj', '/CN=Siti']));
    expectProblem(weak, 422, 'certificates.malformed_csr');
    expect(weak.body.reason).toBe('WEAK_KEY');
    const sha1 = await csrPost(
      app.token,
      await openssl('sha1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha1', '-subj', '/CN=Siti']),
    );
    expectProblem(sha1, 422, 'certificates.malformed_csr');
    expect(sha1.body.reason).toBe('UNSUPPORTED_ALGORITHM');
    const other = await csrPost(
      app.token,
      await openssl('other', [
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-subj',
        '/CN=Siti',
        '-addext',
        'subjectAltName=email:orang.lain@example.com',
      ]),
    );
    expectProblem(other, 422, 'certificates.malformed_csr', 'csr');
    expect(other.body.reason).toBe('EMAIL_MISMATCH');
    // An unknown link, and a link of the wrong purpose.
    expectProblem(await csrPost('A'.repeat(43), good), 404, 'certificates.link_invalid');

    expect(await state(app.id)).toMatchObject({
      state: 'awaiting_passphrase',
      pending_csr: null,
      pending_public_key: null,
      key_source: null,
    });
    // The link still works after all that.
    expect((await csrPost(app.token, good)).status).toBe(200);
    // …once.
    expectProblem(await csrPost(app.token, good), 410, 'certificates.link_used');
    expectProblem(
      await t
        .http()
        .post(`${API}/public/certificates/passphrase`)
        .send({ token: app.token, passphrase: GOOD_PASSPHRASE, passphraseConfirmation: GOOD_PASSPHRASE }),
      410,
      'certificates.link_used',
    );
  });

  it("issues for the request's key with the verified identity; OpenSSL verifies it; the platform cannot sign for this holder", async () => {
    const app = await toPassphraseStep();
    const pem = await openssl('own', [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-subj',
      '/CN=Nama Lain Yang Diminta/O=Organisasi Lain',
      '-addext',
      `subjectAltName=email:${app.email}`,
    ]);
    const sent = await csrPost(app.token, pem);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.state).toBe('ra_review');

    // The RA operator sees what was requested before deciding.
    const review = await t.http().get(`${API}/certificates/applications/${app.id}`).set(c.auth(c.ra));
    expect(review.body).toMatchObject({ state: 'ra_review', keySource: 'csr' });
    expect(review.body.csr).toMatchObject({ key: 'EC P-256', signatureAlgorithm: 'ecdsa-with-SHA256', requestedEmails: [app.email] });
    expect(review.body.csr.requestedSubject).toContain('CN=Nama Lain Yang Diminta');
    expect(review.body.timeline.map((e: { action: string }) => e.action)).toContain('submit_csr');
    const [row] = (await t.db.dataSource.query(`SELECT pending_private_key FROM cert_applications WHERE id = $1`, [app.id])) as [
      { pending_private_key: string | null },
    ];
    expect(row.pending_private_key).toBeNull();

    const done = await c.act(app.id, 'ra_approve', c.ra, { note: 'Data sesuai' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', keySource: 'csr', csr: null });
    const certId = done.body.issuedCertificate.id as string;

    const view = await t.http().get(`${API}/certificates/${certId}`).set(c.auth(c.verifier));
    expect(view.body).toMatchObject({ keyCustody: 'holder', keyAlgorithm: 'ecdsa-p256', status: 'active' });
    const certPem = (await t.http().get(`${API}/certificates/${certId}/download`).set(c.auth(c.verifier))).text;
    const x509 = new X509Certificate(certPem);
    // The request's key, the verified identity (not the requested subject).
    const requested = createPublicKey(readFileSync(join(dir, 'own.key')));
    expect(x509.publicKey.export({ format: 'der', type: 'spki' }).equals(requested.export({ format: 'der', type: 'spki' }))).toBe(true);
    expect(x509.subject).toContain('CN=Siti Rahmawati');
    expect(x509.subject).not.toContain('Nama Lain');
    expect(x509.subject).not.toContain('Organisasi Lain');
    expect(x509.subjectAltName).toContain(app.email);

    // The holder is sent the certificate itself, not signing instructions for a key we do not have.
    const ownKeyMail = (await c.mails(app.email, 'certificates.completed_own_key')).at(-1);
    expect(ownKeyMail?.text_body).toContain(certPem.trim().split('\n')[1]);
    expect(ownKeyMail?.text_body).toContain('/api/v1/pki/ca/chain.pem');
    expect(await c.mails(app.email, 'certificates.completed')).toHaveLength(0);

    // OpenSSL accepts it with the CA chain.
    writeFileSync(join(dir, 'leaf.pem'), certPem);
    const chain = (await t.http().get(`${API}/pki/ca/chain.pem`)).text;
    const [issuingPem, rootPem] = chain.split(/(?<=-----END CERTIFICATE-----\n)/);
    writeFileSync(join(dir, 'issuing.pem'), issuingPem!);
    writeFileSync(join(dir, 'root.pem'), rootPem!);
    const v = await run('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'issuing.pem'),
      '-purpose',
      'smimesign',
      join(dir, 'leaf.pem'),
    ]);
    expect(v.stdout.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
    // The holder signs with their own tools: an S/MIME signature with their key verifies against our chain.
    writeFileSync(join(dir, 'memo.txt'), 'Nota dinas');
    await run('openssl', [
      'cms',
      '-sign',
      '-in',
      join(dir, 'memo.txt'),
      '-signer',
      join(dir, 'leaf.pem'),
      '-inkey',
      join(dir, 'own.key'),
      '-certfile',
      join(dir, 'issuing.pem'),
      '-binary',
      '-nodetach',
      '-outform',
      'DER',
      '-out',
      join(dir, 'memo.p7s'),
    ]);
    const cv = await run('openssl', [
      'cms',
      '-verify',
      '-in',
      join(dir, 'memo.p7s'),
      '-inform',
      'DER',
      '-binary',
      '-CAfile',
      join(dir, 'root.pem'),
      '-purpose',
      'smimesign',
    ]);
    expect(cv.stdout).toBe('Nota dinas');

    // No key in our keeping: signing through the platform is refused clearly, and nothing is logged as signed.
    const doc = await samplePdf('Nota Dinas');
    const sign = await t
      .http()
      .post(`${API}/public/certificates/sign`)
      .field('nik', app.nik)
      .field('passphrase', GOOD_PASSPHRASE)
      .attach('file', doc, { filename: 'nota.pdf', contentType: 'application/pdf' });
    expectProblem(sign, 422, 'certificates.no_signing_certificate');
    expect(sign.body.reason).toBe('KEY_NOT_HELD');
    expect(sign.body.detail).toContain('tidak tersimpan di platform');
    const signatures = (await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM cert_signatures WHERE certificate_id = $1 AND outcome = 'signed'`,
      [certId],
    )) as [{ n: number }];
    expect(signatures[0].n).toBe(0);
  });

  it('never issues a certificate that outlives the issuing CA', async () => {
    const ca = t.app.get(LocalCaService);
    const { issuing } = await ca.authorities();
    const key = createPublicKey(readFileSync(join(dir, 'own.key')));
    const far = new Date(issuing.entity.notAfter.getTime() + 400 * 86_400_000);
    const made = await ca.issue({
      publicKey: key,
      commonName: 'Uji Batas',
      email: 'uji@example.go.id',
      organizationalUnit: 'Diskominfo',
      title: 'Staf',
      notBefore: new Date(),
      notAfter: far,
    });
    expect(Math.floor(made.notAfter.getTime() / 1000)).toBe(Math.floor(issuing.entity.notAfter.getTime() / 1000));
    const soon = new Date(Date.now() + 30 * 86_400_000);
    const normal = await ca.issue({
      publicKey: key,
      commonName: 'Uji Biasa',
      email: 'uji@example.go.id',
      organizationalUnit: 'Diskominfo',
      title: 'Staf',
      notBefore: new Date(),
      notAfter: soon,
    });
    expect(Math.floor(normal.notAfter.getTime() / 1000)).toBe(Math.floor(soon.getTime() / 1000));
  });
});
