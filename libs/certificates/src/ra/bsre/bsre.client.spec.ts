import 'reflect-metadata'; // @peculiar/x509 needs it
import { createHash, webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import * as x509 from '@peculiar/x509';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
// The test server lives with the other shared test helpers; a spec importing it crosses no library boundary.
// eslint-disable-next-line no-restricted-imports
import {
  startBsreTestServer,
  type BsreTestHolder,
  type BsreTestServer,
  type BsreTestServerOptions,
} from '../../../../../test/support/bsre-test-server.js';
import { BsreClient } from './bsre.client.js';
import { BsreError, BsreErrorCode } from './bsre.exception.js';
import { BSRE_PATHS, type BsreSignatureProperties, type BsreWireVerifyResponse } from './bsre.types.js';

/*
 * The client against the in-process eSign test server over real HTTP. The server's signer and verifier are
 * test doubles of the body's internals (an appended PDF comment stands in for a PAdES signature); the
 * HTTP contract around them is the one under test.
 */

const BASIC_PASSWORD = 'Basic-Rahasia-Kominfo-77';
const PASSPHRASE = 'Passphrase-Ani-2025';
const NIK = '3201014506870001';
const EMAIL = 'ani.lestari@kominfo.example.go.id';

const MINIMAL_PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const nikHash = (nik: string) => createHash('sha256').update(nik).digest('hex');
const MARKER = '%BSrE-uji-signature';

/** Test double of the body's signing: an incremental-update comment naming the holder by NIK hash. */
async function appendingSigner(pdf: Uint8Array, holder: BsreTestHolder, properties: BsreSignatureProperties): Promise<Uint8Array> {
  const update = `\n${MARKER} nik-sha256=${nikHash(holder.nik)} tampilan=${properties.tampilan}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(pdf), Buffer.from(update, 'latin1')]);
}

/** Test double of the body's verification, answering in the body's shape (typos included). */
async function markerVerifier(pdf: Uint8Array): Promise<BsreWireVerifyResponse> {
  const signed = Buffer.from(pdf).toString('latin1').includes(MARKER);
  if (!signed)
    return {
      conclusion: 'NO_SIGNATURE',
      description: 'Dokumen tidak memiliki tanda tangan elektronik',
      signatureCount: 0,
      signatureInformations: [],
    };
  return {
    conclusion: 'VALID',
    description: 'Dokumen valid, Sertifikat yang digunakan terpercaya',
    signatureCount: 1,
    signatureInformations: [
      {
        id: 'S-1',
        signatureFormat: 'PAdES-BASELINE-T',
        signerName: 'Ani Lestari',
        signatureDate: '2025-01-02T03:04:05.000+00:00',
        fieldName: 'sig_1',
        reason: 'Persetujuan',
        location: 'Bandung',
        certLevelCode: 0,
        signatureAlgorithm: '',
        digestAlgorithm: null,
        timestampInfomation: { id: 'T-1', signerName: 'Timestamp Authority Uji', timestampDate: '2025-01-02T03:04:06.000+00:00' },
        certificateDetails: [
          {
            id: 'C-1',
            commonName: 'Ani Lestari',
            issuerName: 'C=ID,O=BSrE Uji,CN=Uji OSD',
            serialNumber: '1234567890',
            notBeforeDate: '2025-01-01T00:00:00.000+00:00',
            notAfterDate: '2027-01-01T00:00:00.000+00:00',
            signatureAlgoritm: 'ECDSA with SHA256',
            keyUsages: ['digitalSignature', 'nonRepudiation'],
          },
        ],
        integrityValid: true,
        certificateTrusted: true,
        lastSignature: false,
        ltv: false,
      },
    ],
  };
}

/** root -> intermediate -> leaf, DER. */
async function makeChain(leafName: string): Promise<{ root: Uint8Array; intermediate: Uint8Array; leaf: Uint8Array }> {
  const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = () => webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
  const [rootKeys, caKeys, leafKeys] = await Promise.all([keys(), keys(), keys()]);
  const ca = (pathLength: number) => [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: 'C=ID, O=BSrE Uji, CN=Uji Root CA', keys: rootKeys, signingAlgorithm: alg, extensions: ca(1) },
    crypto,
  );
  const intermediate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: '02',
      subject: 'C=ID, O=BSrE Uji, CN=Uji OSD',
      issuer: root.subject,
      publicKey: caKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: alg,
      extensions: ca(0),
    },
    crypto,
  );
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: '03',
      subject: `C=ID, O=Dinas Kominfo, CN=${leafName}`,
      issuer: intermediate.subject,
      publicKey: leafKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: alg,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
    },
    crypto,
  );
  const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);
  return { root: der(root), intermediate: der(intermediate), leaf: der(leaf) };
}

type Chain = Awaited<ReturnType<typeof makeChain>>;
let chain: Chain;
let renewedChain: Chain;

beforeAll(async () => {
  [chain, renewedChain] = await Promise.all([makeChain('Ani Lestari'), makeChain('Ani Lestari (renewed)')]);
});

const holders = (): BsreTestHolder[] => [
  {
    nik: NIK,
    email: EMAIL,
    name: 'Ani Lestari',
    status: 'ISSUE',
    passphrase: PASSPHRASE,
    chain: [chain.leaf, chain.intermediate, chain.root],
  },
  { nik: '3201014506870002', email: 'budi@kominfo.example.go.id', status: 'NO_CERTIFICATE', passphrase: 'Budi-Passphrase-1', chain: [] },
  {
    nik: '3201014506870003',
    email: 'citra@kominfo.example.go.id',
    status: 'REVOKE',
    passphrase: 'Citra-Passphrase-1',
    chain: [chain.leaf, chain.intermediate, chain.root],
  },
  {
    nik: '3201014506870004',
    email: 'dodi@kominfo.example.go.id',
    status: 'EXPIRED',
    passphrase: 'Dodi-Passphrase-1',
    chain: [chain.leaf, chain.intermediate, chain.root],
  },
];

const invisible: BsreSignatureProperties[] = [{ tampilan: 'INVISIBLE', reason: 'Persetujuan dokumen', location: 'Bandung' }];

let server: BsreTestServer;
const servers: BsreTestServer[] = [];

async function start(opts: BsreTestServerOptions = {}): Promise<BsreTestServer> {
  const s = await startBsreTestServer({
    username: 'sandi-esign',
    password: BASIC_PASSWORD,
    holders: holders(),
    signer: appendingSigner,
    verifier: markerVerifier,
    ...opts,
  });
  servers.push(s);
  return s;
}

function clientFor(s: { url: string }, overrides: Partial<ConstructorParameters<typeof BsreClient>[0]> = {}): BsreClient {
  return new BsreClient({
    baseUrl: s.url,
    username: 'sandi-esign',
    password: BASIC_PASSWORD,
    timeoutMs: 5_000,
    signTimeoutMs: 10_000,
    ...overrides,
  });
}

async function caught(promise: Promise<unknown>): Promise<BsreError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BsreError);
  return err as BsreError;
}

beforeEach(async () => {
  server = await start();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('checkStatus', () => {
  it('answers ISSUE with status_code 1111 by NIK and by e-mail', async () => {
    const client = clientFor(server);
    await expect(client.checkStatus({ nik: NIK })).resolves.toMatchObject({ status: 'ISSUE', statusCode: 1111 });
    await expect(client.checkStatus({ email: EMAIL })).resolves.toMatchObject({ status: 'ISSUE', statusCode: 1111 });
  });

  it('answers NOT_REGISTERED (2011) for an unknown NIK and NO_CERTIFICATE (2021) for a holder without one', async () => {
    const client = clientFor(server);
    await expect(client.checkStatus({ nik: '3201019999990009' })).resolves.toEqual({
      status: 'NOT_REGISTERED',
      statusCode: 2011,
      message: 'User belum terdaftar',
    });
    await expect(client.checkStatus({ nik: '3201014506870002' })).resolves.toMatchObject({ status: 'NO_CERTIFICATE', statusCode: 2021 });
    await expect(client.checkStatus({ nik: '3201014506870004' })).resolves.toMatchObject({ status: 'EXPIRED' });
  });

  it('follows the RA decisions the test server is told about', async () => {
    const client = clientFor(server);
    server.state.addHolder({
      nik: '3201014506870005',
      email: 'eka@kominfo.example.go.id',
      status: 'NOT_REGISTERED',
      passphrase: 'Eka-Passphrase-1',
      chain: [],
    });
    await expect(client.checkStatus({ nik: '3201014506870005' })).resolves.toMatchObject({ status: 'NOT_REGISTERED' });
    server.state.decide('3201014506870005', 'ISSUE', { chain: [renewedChain.leaf, renewedChain.intermediate, renewedChain.root] });
    await expect(client.checkStatus({ nik: '3201014506870005' })).resolves.toMatchObject({ status: 'ISSUE' });
    server.state.decide('3201014506870005', 'REVOKE');
    await expect(client.checkStatus({ email: 'eka@kominfo.example.go.id' })).resolves.toMatchObject({ status: 'REVOKE' });
  });

  it('refuses a call naming neither or both of NIK and e-mail without sending it', async () => {
    const client = clientFor(server);
    expect((await caught(client.checkStatus({ nik: '' }))).code).toBe(BsreErrorCode.InvalidRequest);
    expect((await caught(client.checkStatus({ nik: NIK, email: EMAIL } as never))).code).toBe(BsreErrorCode.InvalidRequest);
    expect(server.state.received.status).toBe(0);
  });
});

describe('getCertificateChain', () => {
  it('returns the DER chain leaf first, by NIK and by e-mail', async () => {
    const client = clientFor(server);
    const byNik = await client.getCertificateChain(NIK);
    expect(byNik.map((c) => Buffer.from(c))).toEqual([chain.leaf, chain.intermediate, chain.root].map((c) => Buffer.from(c)));
    const byEmail = await client.getCertificateChain(EMAIL);
    expect(byEmail).toHaveLength(3);
  });

  it('puts a chain delivered root first into leaf-first order', async () => {
    server.state.decide(NIK, 'ISSUE', { chain: [chain.root, chain.intermediate, chain.leaf] });
    const got = await clientFor(server).getCertificateChain(NIK);
    expect(Buffer.from(got[0]!)).toEqual(Buffer.from(chain.leaf));
    expect(Buffer.from(got[2]!)).toEqual(Buffer.from(chain.root));
  });

  it('shows a renewed certificate once the RA has decided', async () => {
    server.state.decide(NIK, 'ISSUE', { chain: [renewedChain.leaf, renewedChain.intermediate, renewedChain.root] });
    const got = await clientFor(server).getCertificateChain(NIK);
    expect(Buffer.from(got[0]!)).toEqual(Buffer.from(renewedChain.leaf));
  });

  it("maps the body's HTTP 400 with a non-JSON body for an unknown id to REJECTED", async () => {
    const err = await caught(clientFor(server).getCertificateChain('3201019999990009'));
    expect(err.code).toBe(BsreErrorCode.Rejected);
    expect(err.httpStatus).toBe(400);
    expect(err.message).not.toContain('3201019999990009');
  });
});

describe('signPdf', () => {
  it("signs: the file comes back changed by the server's signer, in one request", async () => {
    const result = await clientFor(server).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    expect(result.outcome).toBe('signed');
    if (result.outcome !== 'signed') return;
    expect(result.files).toHaveLength(1);
    const signed = Buffer.from(result.files[0]!);
    expect(signed.subarray(0, MINIMAL_PDF.length)).toEqual(Buffer.from(MINIMAL_PDF));
    expect(signed.toString('latin1')).toContain(`nik-sha256=${nikHash(NIK)} tampilan=INVISIBLE`);
    expect(typeof result.time).toBe('number');
    expect(server.state.signCalls).toBe(1);
    expect(server.state.signRequests[0]).toEqual({
      nik: NIK,
      email: undefined,
      signatureProperties: invisible,
      fileSizes: [MINIMAL_PDF.length],
    });
  });

  it('signs several files by e-mail with a visible signature, pairing properties by position', async () => {
    const visible: BsreSignatureProperties[] = [
      {
        tampilan: 'VISIBLE',
        page: 1,
        originX: 100,
        originY: 120,
        width: 150,
        height: 60,
        reason: 'Setuju',
        imageBase64: Buffer.from('PNG').toString('base64'),
      },
      { tampilan: 'INVISIBLE' },
    ];
    const result = await clientFor(server).signPdf({
      email: EMAIL,
      passphrase: PASSPHRASE,
      properties: visible,
      files: [MINIMAL_PDF, MINIMAL_PDF],
    });
    expect(result.outcome).toBe('signed');
    if (result.outcome !== 'signed') return;
    expect(Buffer.from(result.files[0]!).toString('latin1')).toContain('tampilan=VISIBLE');
    expect(Buffer.from(result.files[1]!).toString('latin1')).toContain('tampilan=INVISIBLE');
    expect(server.state.signRequests[0]!.signatureProperties[0]).toEqual(visible[0]);
  });

  it('is refused with NOT_REGISTERED (2011) for an unknown NIK', async () => {
    const result = await clientFor(server).signPdf({
      nik: '3201019999990009',
      passphrase: PASSPHRASE,
      properties: invisible,
      files: [MINIMAL_PDF],
    });
    expect(result).toMatchObject({ outcome: 'refused', code: 'NOT_REGISTERED', statusCode: 2011, httpStatus: 400 });
  });

  it('is refused with NO_CERTIFICATE (2021) for a holder without a certificate', async () => {
    const result = await clientFor(server).signPdf({
      nik: '3201014506870002',
      passphrase: 'Budi-Passphrase-1',
      properties: invisible,
      files: [MINIMAL_PDF],
    });
    expect(result).toMatchObject({ outcome: 'refused', code: 'NO_CERTIFICATE', statusCode: 2021 });
  });

  it('is refused with WRONG_PASSPHRASE (2031), and nothing in the result carries a secret', async () => {
    const wrong = 'Salah-Passphrase-123';
    const result = await clientFor(server).signPdf({ nik: NIK, passphrase: wrong, properties: invisible, files: [MINIMAL_PDF] });
    expect(result).toEqual({
      outcome: 'refused',
      code: 'WRONG_PASSPHRASE',
      statusCode: 2031,
      httpStatus: 400,
      message: 'Passphrase anda salah',
    });
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(JSON.stringify(result)).not.toContain(BASIC_PASSWORD);
    expect(server.state.signed).toBe(0);
  });

  it('is refused as CERTIFICATE_NOT_ACTIVE for a revoked or expired certificate', async () => {
    const client = clientFor(server);
    await expect(
      client.signPdf({ nik: '3201014506870003', passphrase: 'Citra-Passphrase-1', properties: invisible, files: [MINIMAL_PDF] }),
    ).resolves.toMatchObject({
      outcome: 'refused',
      code: 'CERTIFICATE_NOT_ACTIVE',
      statusCode: 2025,
    });
    await expect(
      client.signPdf({ nik: '3201014506870004', passphrase: 'Dodi-Passphrase-1', properties: invisible, files: [MINIMAL_PDF] }),
    ).resolves.toMatchObject({
      outcome: 'refused',
      code: 'CERTIFICATE_NOT_ACTIVE',
      statusCode: 2022,
    });
  });

  it('does not send an empty PDF (the body would answer HTTP 500): a definite failure', async () => {
    const result = await clientFor(server).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [new Uint8Array(0)] });
    expect(result).toMatchObject({ outcome: 'failed', code: 'INVALID_REQUEST' });
    expect(server.state.signCalls).toBe(0);
  });

  it('reports a 5xx after the request was sent as unknown (UPSTREAM_ERROR), never retried', async () => {
    const failing = await start({ signer: () => Promise.reject(new Error('HSM unavailable')) });
    const result = await clientFor(failing).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    expect(result).toMatchObject({ outcome: 'unknown', cause: 'UPSTREAM_ERROR', httpStatus: 500 });
    expect(failing.state.signCalls).toBe(1);
  });

  it('reports a timeout after sending as unknown; exactly one request reached the server, which signed anyway', async () => {
    server.state.delays.sign = 1_000;
    const result = await clientFor(server, { signTimeoutMs: 150 }).signPdf({
      nik: NIK,
      passphrase: PASSPHRASE,
      properties: invisible,
      files: [MINIMAL_PDF],
    });
    expect(result).toMatchObject({ outcome: 'unknown', cause: 'TIMEOUT' });
    // The body finishes its work although nobody listens: that is why the outcome is unknown, not failed.
    await vi.waitFor(() => expect(server.state.signed).toBe(1), { timeout: 10_000, interval: 50 });
    expect(server.state.signCalls).toBe(1);
  });

  it('reports a connection dropped after sending as unknown (CONNECTION_LOST), never retried', async () => {
    server.state.dropNext('sign');
    const result = await clientFor(server).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    expect(result).toMatchObject({ outcome: 'unknown', cause: 'CONNECTION_LOST' });
    expect(server.state.signCalls).toBe(1);
  });

  it('reports a refused connection (closed port) as a definite failure', async () => {
    const gone = await start();
    const url = gone.url;
    await gone.close();
    const result = await clientFor({ url }).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'failed') return;
    expect(result.code).toBe('UNREACHABLE');
    expect(result.reason).toContain('ECONNREFUSED');
  });

  it('reports a malformed success body as unknown (BAD_RESPONSE)', async () => {
    server.state.malformNext('sign');
    const result = await clientFor(server).signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    expect(result).toMatchObject({ outcome: 'unknown', cause: 'BAD_RESPONSE', httpStatus: 200 });
  });
});

describe('verifyPdf', () => {
  it("verifies a document the server signed, normalising the body's field-name typos", async () => {
    const client = clientFor(server);
    const signed = await client.signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] });
    if (signed.outcome !== 'signed') throw new Error(`expected signed, got ${signed.outcome}`);
    const result = await client.verifyPdf(signed.files[0]!);
    expect(result).toMatchObject({ conclusion: 'VALID', signatureCount: 1, warnings: [] });
    const s = result.signatures[0]!;
    expect(s).toMatchObject({
      signerName: 'Ani Lestari',
      integrityValid: true,
      certificateTrusted: true,
      signatureFormat: 'PAdES-BASELINE-T',
      signatureAlgorithm: null,
    });
    expect(s.timestamp).toEqual({ id: 'T-1', signerName: 'Timestamp Authority Uji', timestampDate: '2025-01-02T03:04:06.000+00:00' });
    expect(s.certificates[0]).toMatchObject({
      commonName: 'Ani Lestari',
      signatureAlgorithm: 'ECDSA with SHA256',
      serialNumber: '1234567890',
    });
  });

  it('answers NO_SIGNATURE for an unsigned document', async () => {
    await expect(clientFor(server).verifyPdf(MINIMAL_PDF)).resolves.toMatchObject({
      conclusion: 'NO_SIGNATURE',
      signatureCount: 0,
      signatures: [],
    });
  });

  it("maps the body's HTTP 500 on an empty PDF to UPSTREAM_ERROR", async () => {
    const err = await caught(clientFor(server).verifyPdf(new Uint8Array(0)));
    expect(err.code).toBe(BsreErrorCode.UpstreamError);
    expect(err.httpStatus).toBe(500);
    expect(err.message).toContain('Internal Server Error');
  });
});

describe('read-only calls and the connection', () => {
  it('retry once when the connection is reset, and succeed', async () => {
    const client = clientFor(server);
    server.state.dropNext('status');
    await expect(client.checkStatus({ nik: NIK })).resolves.toMatchObject({ status: 'ISSUE' });
    expect(server.state.received.status).toBe(2);
    server.state.dropNext('chain');
    await expect(client.getCertificateChain(NIK)).resolves.toHaveLength(3);
    expect(server.state.received.chain).toBe(2);
    server.state.dropNext('verify');
    await expect(client.verifyPdf(MINIMAL_PDF)).resolves.toMatchObject({ conclusion: 'NO_SIGNATURE' });
    expect(server.state.received.verify).toBe(2);
  });

  it('retry only once: a second reset is CONNECTION_LOST', async () => {
    server.state.dropNext('status', 2);
    const err = await caught(clientFor(server).checkStatus({ nik: NIK }));
    expect(err.code).toBe(BsreErrorCode.ConnectionLost);
    expect(server.state.received.status).toBe(2);
  });

  it('report a closed port as UNREACHABLE', async () => {
    const gone = await start();
    const url = gone.url;
    await gone.close();
    const err = await caught(clientFor({ url }).checkStatus({ nik: NIK }));
    expect(err.code).toBe(BsreErrorCode.Unreachable);
  });

  it('are not retried after a timeout', async () => {
    server.state.delays.status = 1_000;
    const err = await caught(clientFor(server, { timeoutMs: 150 }).checkStatus({ nik: NIK }));
    expect(err.code).toBe(BsreErrorCode.Timeout);
    expect(server.state.received.status).toBe(1);
  });

  it('map a success body that is not JSON to BAD_RESPONSE', async () => {
    const client = clientFor(server);
    server.state.malformNext('status');
    expect((await caught(client.checkStatus({ nik: NIK }))).code).toBe(BsreErrorCode.BadResponse);
    server.state.malformNext('chain');
    expect((await caught(client.getCertificateChain(NIK))).code).toBe(BsreErrorCode.BadResponse);
    server.state.malformNext('verify');
    expect((await caught(client.verifyPdf(MINIMAL_PDF))).code).toBe(BsreErrorCode.BadResponse);
  });
});

describe('credentials', () => {
  it('wrong Basic credentials are UNAUTHORIZED on every call, and no error text carries a password', async () => {
    const wrongPassword = 'Basic-Salah-Sekali-99';
    const client = new BsreClient({
      baseUrl: server.url,
      username: 'sandi-esign',
      password: wrongPassword,
      timeoutMs: 5_000,
      signTimeoutMs: 10_000,
    });
    const errors = [
      await caught(client.checkStatus({ nik: NIK })),
      await caught(client.getCertificateChain(NIK)),
      await caught(client.signPdf({ nik: NIK, passphrase: PASSPHRASE, properties: invisible, files: [MINIMAL_PDF] })),
      await caught(client.verifyPdf(MINIMAL_PDF)),
    ];
    for (const err of errors) {
      expect(err.code).toBe(BsreErrorCode.Unauthorized);
      expect(err.httpStatus).toBe(401);
      const everything = `${err.message} ${err.stack ?? ''} ${inspect(err, { depth: 5 })} ${JSON.stringify(err)}`;
      for (const secret of [wrongPassword, BASIC_PASSWORD, PASSPHRASE, Buffer.from(`sandi-esign:${wrongPassword}`).toString('base64')]) {
        expect(everything).not.toContain(secret);
      }
    }
    expect(server.state.signed).toBe(0);
    expect(inspect(client, { depth: 5 })).not.toContain(wrongPassword);
  });

  it('the test server answers bad credentials with a Spring Boot 401 body', async () => {
    const res = await fetch(server.url + BSRE_PATHS.status, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('sandi-esign:salah').toString('base64')}` },
      body: JSON.stringify({ nik: NIK }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'path', 'status', 'timestamp']);
    expect(body).toMatchObject({ status: 401, error: 'Unauthorized', path: BSRE_PATHS.status });
  });

  it('the test server answers an empty PDF to sign with HTTP 500 and a Spring Boot body', async () => {
    const res = await fetch(server.url + BSRE_PATHS.sign, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`sandi-esign:${BASIC_PASSWORD}`).toString('base64')}`,
      },
      body: JSON.stringify({ nik: NIK, passphrase: PASSPHRASE, signatureProperties: invisible, file: [''] }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ status: 500, error: 'Internal Server Error', path: BSRE_PATHS.sign });
  });

  it('a base URL carrying credentials is refused without echoing them', () => {
    let err: unknown;
    try {
      new BsreClient({
        baseUrl: `http://sandi:${BASIC_PASSWORD}@127.0.0.1:1`,
        username: 'sandi',
        password: BASIC_PASSWORD,
        timeoutMs: 1_000,
        signTimeoutMs: 1_000,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BsreError);
    expect((err as BsreError).code).toBe(BsreErrorCode.InvalidRequest);
    expect((err as BsreError).message).not.toContain(BASIC_PASSWORD);
  });
});
