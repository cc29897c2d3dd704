import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalCaService, OCSP_MAX_BODY_BYTES, toPem } from '@sandi/certificates';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

const OCSP = '/api/v1/pki/ocsp';
const MALFORMED = '30030a0101'; // OCSPResponse { responseStatus malformedRequest(1) }

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
}

function openssl(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('openssl', args, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, out: stdout + stderr });
    });
  });
}

/** One raw HTTP/1.1 exchange: what the server answers to exactly these bytes, and whether it then closed. */
function rawExchange(port: number, request: string): Promise<{ head: string; body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, at), body: text.slice(at + 4), closed: true });
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.write(request);
  });
}

/**
 * The OCSP fast path (OcspEndpoint, ahead of Express): the AIA URL of issued certificates answered
 * without the application's middleware, for POST and GET, with the protocol's own errors for
 * garbage and HTTP errors for oversized bodies and wrong methods; everything else untouched.
 */
describe(`OCSP endpoint fast path (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let dir: string;
  let baseUrl: string;
  let port: number;
  const file = (name: string) => join(dir, name);
  const revokedAt = new Date('2026-03-04T05:06:07Z');

  async function issue(name: string, status: 'active' | 'revoked' | 'not stored'): Promise<string> {
    const ca = t.app.get(LocalCaService);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = new Date();
    const made = await ca.issue({
      publicKey,
      commonName: `Uji OCSP ${name}`,
      email: `ocsp.${name}@example.go.id`,
      organizationalUnit: 'Dinas Kesehatan',
      title: 'Staf',
      notBefore: now,
      notAfter: new Date(now.getTime() + 30 * 86_400_000),
    });
    if (status !== 'not stored') {
      const [unit] = (await t.db.dataSource.query(`SELECT id FROM org_units ORDER BY code LIMIT 1`)) as [{ id: string }];
      const [holder] = (await t.db.dataSource.query(
        `INSERT INTO cert_holders (nik_sealed, nik_index, nik_masked, full_name, email, position_title, org_unit_id)
         VALUES ('v1.test', $1, '3174********0001', $2, $3, 'Staf', $4) RETURNING id`,
        [randomBytes(32).toString('hex'), `Uji OCSP ${name}`, `ocsp.${name}@example.go.id`, unit.id],
      )) as [{ id: string }];
      await t.db.dataSource.query(
        `INSERT INTO certificates (holder_id, adapter, serial, subject, email, key_algorithm, not_before, not_after, der, fingerprint, status, revoked_at, revocation_reason)
         VALUES ($1, 'local', $2, $3, $4, 'ecdsa-p256', $5, $6, $7, $8, $9, $10, $11)`,
        [
          holder.id,
          made.serial,
          made.subject,
          `ocsp.${name}@example.go.id`,
          made.notBefore,
          made.notAfter,
          made.der,
          made.fingerprint,
          status,
          status === 'revoked' ? revokedAt : null,
          status === 'revoked' ? 'keyCompromise' : null,
        ],
      );
    }
    writeFileSync(file(`${name}.pem`), toPem(made.der));
    return made.serial;
  }

  const ask = (name: string) =>
    openssl([
      'ocsp',
      '-issuer',
      file('issuing.pem'),
      '-cert',
      file(`${name}.pem`),
      '-url',
      `${baseUrl}${OCSP}`,
      '-CAfile',
      file('root.pem'),
      '-resp_text',
    ]);
  const requestFor = async (name: string) => {
    const req = file(`${name}-${randomBytes(4).toString('hex')}.req`);
    expect((await openssl(['ocsp', '-issuer', file('issuing.pem'), '-cert', file(`${name}.pem`), '-reqout', req])).code).toBe(0);
    return { path: req, der: readFileSync(req) };
  };
  /** openssl checks the response against the request: signature, CertID and nonce. */
  const check = async (req: string, resp: Buffer) => {
    const respFile = `${req}.resp`;
    writeFileSync(respFile, resp);
    return openssl(['ocsp', '-reqin', req, '-respin', respFile, '-issuer', file('issuing.pem'), '-CAfile', file('root.pem'), '-resp_text']);
  };
  const post = (body: Uint8Array, headers: Record<string, string> = { 'content-type': 'application/ocsp-request' }, path = OCSP) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', body, headers });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandi-ocsp-e2e-'));
    t = await createTestApp({ env: { PUBLIC_URL: 'https://sandi.example.go.id' } });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    baseUrl = `http://127.0.0.1:${port}`;
    const { root, issuing } = await t.app.get(LocalCaService).authorities();
    writeFileSync(file('root.pem'), toPem(root.der));
    writeFileSync(file('issuing.pem'), toPem(issuing.der));
    await issue('good', 'active');
    await issue('revoked', 'revoked');
    await issue('unknown', 'not stored');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers POST good, revoked (time, reason) and unknown to openssl, verified, nonce echoed', async () => {
    const good = await ask('good');
    expect(good.stdout).toContain(`${file('good.pem')}: good`);
    const revoked = await ask('revoked');
    expect(revoked.stdout).toContain(`${file('revoked.pem')}: revoked`);
    expect(revoked.stdout).toContain('Reason: keyCompromise');
    expect(revoked.stdout).toContain('Revocation Time: Mar  4 05:06:07 2026 GMT');
    const unknown = await ask('unknown');
    expect(unknown.stdout).toContain(`${file('unknown.pem')}: unknown`);
    for (const r of [good, revoked, unknown]) {
      expect(r.out).toContain('Response verify OK');
      expect(r.stdout).toContain('OCSP Nonce');
      expect(r.stderr).not.toMatch(/nonce/i); // openssl warns on a missing or mismatched nonce
      expect(r.code).toBe(0);
    }
  });

  it('answers POST without the application middleware: its own headers, no request id, no CSP; counted in the metrics', async () => {
    const { path, der } = await requestFor('good');
    const res = await post(der);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/ocsp-response');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    // Express's request-context middleware and helmet would have set these: the fast path answered.
    expect(res.headers.get('x-request-id')).toBeNull();
    expect(res.headers.get('content-security-policy')).toBeNull();
    const r = await check(path, Buffer.from(await res.arrayBuffer()));
    expect(r.stdout).toContain('Cert Status: good');
    expect(r.out).toContain('Response verify OK');
    expect(r.stderr).not.toMatch(/nonce/i);
    // Relying parties that send another content type (or none) are answered too: the DER says what it is.
    const loose = await post(der, { 'content-type': 'application/octet-stream' });
    expect((await check(path, Buffer.from(await loose.arrayBuffer()))).stdout).toContain('Cert Status: good');
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/sandi_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/pki\/ocsp",status="200"\} [1-9]/);
  });

  it('answers GET with the URL-encoded base64 request in the path (RFC 6960 A.1), and raw base64 too', async () => {
    for (const name of ['good', 'revoked', 'unknown']) {
      const { path, der } = await requestFor(name);
      const res = await fetch(`${baseUrl}${OCSP}/${encodeURIComponent(der.toString('base64'))}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/ocsp-response');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-request-id')).toBeNull();
      const r = await check(path, Buffer.from(await res.arrayBuffer()));
      expect(r.stdout).toContain(`Cert Status: ${name}`);
      expect(r.out).toContain('Response verify OK');
      expect(r.stdout).toContain('OCSP Nonce');
      expect(r.stderr).not.toMatch(/nonce/i);
    }
    // Clients that do not escape '/', '+' and '=' are read the same way.
    const { path, der } = await requestFor('good');
    const raw = await fetch(`${baseUrl}${OCSP}/${der.toString('base64')}`);
    expect((await check(path, Buffer.from(await raw.arrayBuffer()))).stdout).toContain('Cert Status: good');
  });

  /** A request without a nonce (RFC 5019), as browsers and CDNs send. */
  const plainRequestFor = async (name: string) => {
    const req = file(`${name}-${randomBytes(4).toString('hex')}.plain.req`);
    expect((await openssl(['ocsp', '-issuer', file('issuing.pem'), '-cert', file(`${name}.pem`), '-no_nonce', '-reqout', req])).code).toBe(
      0,
    );
    return { path: req, der: readFileSync(req) };
  };
  const statusOf = async (req: { path: string; der: Buffer }, url = baseUrl) => {
    const body = Buffer.from(await (await fetch(`${url}${OCSP}`, { method: 'POST', body: req.der })).arrayBuffer());
    const r = await check(req.path, body);
    expect(r.out).toContain('Response verify OK');
    return { body, status: /Cert Status: (\w+)/.exec(r.stdout)?.[1], text: r.stdout };
  };

  it('keeps statuses and pre-produced answers (RFC 5019) until the certificate changes: a revocation shows on the next answer', async () => {
    const serial = await issue('later', 'active');
    const plain = await plainRequestFor('later');
    const first = await statusOf(plain);
    expect(first.status).toBe('good');
    // Without a nonce the same signed answer is served again (ECDSA signatures differ every time).
    expect((await statusOf(plain)).body.equals(first.body)).toBe(true);
    // With a nonce every answer is signed for it.
    const withNonce = await requestFor('later');
    const n1 = await statusOf(withNonce);
    const n2 = await statusOf(withNonce);
    expect(n1.status).toBe('good');
    expect(n1.body.equals(n2.body)).toBe(false);
    // Any change to the row notifies the responders (trigger + LISTEN/NOTIFY), well before the 60 s the status is kept.
    await t.db.dataSource.query(
      `UPDATE certificates SET status = 'revoked', revoked_at = now(), revocation_reason = 'superseded' WHERE serial = $1`,
      [serial],
    );
    await vi.waitFor(async () => expect((await statusOf(plain)).status).toBe('revoked'), { timeout: 3000, interval: 50 });
    const after = await ask('later');
    expect(after.stdout).toContain(`${file('later.pem')}: revoked`);
    expect(after.stdout).toContain('Reason: superseded');
  });

  it('a revocation written by another instance on the same database shows on this one at once', async () => {
    const other = await createTestApp({
      db: t.db,
      seed: false,
      env: {
        PUBLIC_URL: 'https://sandi.example.go.id',
        DATA_ENCRYPTION_KEY: t.config.DATA_ENCRYPTION_KEY!,
        AUTH_JWT_SECRET: t.config.AUTH_JWT_SECRET!,
      },
    });
    try {
      await other.app.listen(0, '127.0.0.1');
      const otherUrl = `http://127.0.0.1:${(other.app.getHttpServer().address() as AddressInfo).port}`;
      const serial = await issue('elsewhere', 'active');
      const plain = await plainRequestFor('elsewhere');
      expect((await statusOf(plain, otherUrl)).status).toBe('good');
      expect((await statusOf(plain, baseUrl)).status).toBe('good');
      // Revoked through the first instance's database connection: the other instance's cache drops it.
      await t.db.dataSource.query(
        `UPDATE certificates SET status = 'revoked', revoked_at = now(), revocation_reason = 'keyCompromise' WHERE serial = $1`,
        [serial],
      );
      await vi.waitFor(async () => expect((await statusOf(plain, otherUrl)).status).toBe('revoked'), { timeout: 3000, interval: 50 });
      if (usingPostgres()) {
        // The listening connection killed by the server: statuses are read from the database
        // meanwhile, and the listener comes back by itself.
        await t.db.dataSource.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sandi-listen' AND datname = current_database()`,
        );
        const serial2 = await issue('elsewhere2', 'active');
        const plain2 = await plainRequestFor('elsewhere2');
        expect((await statusOf(plain2, otherUrl)).status).toBe('good');
        await vi.waitFor(
          async () => {
            const rows = (await t.db.dataSource.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sandi-listen' AND datname = current_database()`,
            )) as [{ n: number }];
            expect(rows[0].n).toBe(2);
          },
          { timeout: 5000, interval: 100 },
        );
        expect((await statusOf(plain2, otherUrl)).status).toBe('good');
        await t.db.dataSource.query(
          `UPDATE certificates SET status = 'revoked', revoked_at = now(), revocation_reason = 'keyCompromise' WHERE serial = $1`,
          [serial2],
        );
        await vi.waitFor(async () => expect((await statusOf(plain2, otherUrl)).status).toBe('revoked'), { timeout: 3000, interval: 50 });
      }
    } finally {
      await other.close();
    }
  });

  it('answers garbage with the protocol error malformedRequest, never an HTTP error', async () => {
    const bodies = [
      Buffer.from('not der at all'),
      Buffer.alloc(0),
      Buffer.from([0x30, 0x82, 0xff, 0xff]),
      randomBytes(2000),
      Buffer.alloc(OCSP_MAX_BODY_BYTES, 0x30),
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/ocsp-response');
      expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe(MALFORMED);
    }
    for (const path of ['bm90IGRlcg%3D%3D', '%E0%A4%A', '!!!', 'MAA%3D']) {
      const res = await fetch(`${baseUrl}${OCSP}/${path}`);
      expect(res.status, path).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).toString('hex'), path).toBe(MALFORMED);
    }
    // The server is still answering.
    expect((await ask('good')).stdout).toContain(': good');
  });

  it('refuses a body over the cap with 413, from Content-Length without reading it, and while streaming one', async () => {
    const declared = await rawExchange(
      port,
      `POST ${OCSP} HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nContent-Length: 104857600\r\n\r\n0123456789`,
    );
    expect(declared.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.head).toMatch(/\r\nconnection: close/i);
    expect(declared.head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(JSON.parse(declared.body)).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(declared.closed).toBe(true);
    // Chunked (no Content-Length): refused once the cap is passed.
    const chunk = Buffer.alloc(OCSP_MAX_BODY_BYTES + 1, 0x30).toString('latin1');
    const streamed = await rawExchange(
      port,
      `POST ${OCSP} HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(streamed.head).toMatch(/^HTTP\/1\.1 413 /);
    // And the next client is served.
    expect((await ask('good')).stdout).toContain(': good');
  });

  it('answers other methods with 405 and the allowed ones', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${baseUrl}${OCSP}`, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const onGetPath = await fetch(`${baseUrl}${OCSP}/MAA%3D`, { method: 'POST', body: 'x' });
    expect(onGetPath.status).toBe(405);
    expect(onGetPath.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves every other request to the application, unchanged', async () => {
    // Other routes: Express's middleware runs (request id, helmet).
    const chain = await fetch(`${baseUrl}/api/v1/pki/ca/chain.pem`);
    expect(chain.status).toBe(200);
    expect(chain.headers.get('x-request-id')).toBeTruthy();
    expect(chain.headers.get('content-security-policy')).toBeTruthy();
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    // Paths that only start like the OCSP one are not it.
    const near = await fetch(`${baseUrl}${OCSP}x`, { method: 'POST', body: 'x' });
    expect(near.status).toBe(404);
    expect(near.headers.get('content-type')).toMatch(/application\/problem\+json/);
    // GET without a request is the router's 404, as before.
    expect((await fetch(`${baseUrl}${OCSP}`)).status).toBe(404);
    // Browsers (Origin) get the controller route and CORS from the application; the answer is the same.
    const { path, der } = await requestFor('good');
    const viaApp = await post(der, { 'content-type': 'application/ocsp-request', origin: 'https://elsewhere.example' });
    expect(viaApp.status).toBe(200);
    expect(viaApp.headers.get('x-request-id')).toBeTruthy();
    expect((await check(path, Buffer.from(await viaApp.arrayBuffer()))).stdout).toContain('Cert Status: good');
    const trailing = await post(der, { 'content-type': 'application/ocsp-request' }, `${OCSP}/`);
    expect(trailing.headers.get('x-request-id')).toBeTruthy();
    expect((await check(path, Buffer.from(await trailing.arrayBuffer()))).stdout).toContain('Cert Status: good');
    // Authenticated API routes still go through the guards.
    expect((await fetch(`${baseUrl}/api/v1/certificates`)).status).toBe(401);
  });
});
