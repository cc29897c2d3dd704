/**
 * Interoperability of the PKI core with OpenSSL 3 (the `openssl` command line): what we issue,
 * sign and encrypt must be accepted by an independent implementation, and what OpenSSL makes
 * (requests, encrypted keys) must be read by ours. Shells out with execFile into a temp dir.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pki from '../../libs/certificates/src/pki/index.js';

const DAY = 86_400_000;
const PASS = 'Rahasia-Negara 2026';

let dir: string;
const path = (name: string) => join(dir, name);
const write = (name: string, content: string | Buffer) => {
  writeFileSync(path(name), content);
  return path(name);
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
}

/** Runs openssl; never throws for a non-zero exit (the tests look at it). */
function openssl(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd: dir, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr, out: stdout + stderr });
    });
  });
}

interface Pki {
  alg: pki.KeyAlgorithm;
  root: pki.CertificateInfo;
  issuing: pki.CertificateInfo;
  issuingKeys: pki.KeyPair;
  issuer: pki.CertificateIssuer;
  good: { cert: pki.CertificateInfo; keys: pki.KeyPair };
  revoked: { cert: pki.CertificateInfo; keys: pki.KeyPair };
  revokedAt: Date;
  files: { root: string; issuing: string; good: string; revoked: string };
}

async function makePki(alg: pki.KeyAlgorithm, tag: string): Promise<Pki> {
  const now = Date.now();
  const rootKeys = await pki.generateKeyPair(alg);
  const root = await pki.createRootCa({
    keys: rootKeys,
    subject: { commonName: `Uji ${tag} Root CA`, organization: 'Pemerintah Daerah Uji', country: 'ID' },
  });
  const issuingKeys = await pki.generateKeyPair(alg);
  const issuing = await pki.createIssuingCa({
    keys: issuingKeys,
    issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
    subject: { commonName: `Uji ${tag} Issuing CA`, organization: 'Pemerintah Daerah Uji', country: 'ID' },
    caIssuersUrl: 'http://pki.example.go.id/ca/root.crt',
  });
  const issuer = { certificate: issuing.der, privateKey: issuingKeys.privateKey };
  const leaf = async (name: string, email: string) => {
    const keys = await pki.generateKeyPair(alg);
    const cert = await pki.issueCertificate({
      issuer,
      publicKey: keys.publicKey,
      subject: {
        commonName: name,
        email,
        organization: 'Pemerintah Daerah Uji',
        organizationalUnit: 'Dinas Komunikasi dan Informatika',
        title: 'Pranata Komputer',
        country: 'ID',
        locality: 'Kota Uji',
        state: 'Jawa Barat',
      },
      email,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * DAY),
      crlUrl: 'http://pki.example.go.id/crl',
      ocspUrl: 'http://pki.example.go.id/ocsp',
      caIssuersUrl: 'http://pki.example.go.id/ca/issuing.crt',
      policies: [{ oid: '2.16.360.1.1.1.99', cpsUri: 'https://pki.example.go.id/cps' }],
    });
    return { cert, keys };
  };
  const good = await leaf('Siti Rahmawati', 'siti@kominfo.example.go.id');
  const revoked = await leaf('Budi Santoso', 'budi@kominfo.example.go.id');
  return {
    alg,
    root,
    issuing,
    issuingKeys,
    issuer,
    good,
    revoked,
    revokedAt: new Date(Math.floor((now - 3_600_000) / 1000) * 1000),
    files: {
      root: write(`${tag}-root.pem`, root.pem),
      issuing: write(`${tag}-issuing.pem`, issuing.pem),
      good: write(`${tag}-good.pem`, good.cert.pem),
      revoked: write(`${tag}-revoked.pem`, revoked.cert.pem),
    },
  };
}

let ec: Pki;
let rsa: Pki;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandi-pki-openssl-'));
  [ec, rsa] = await Promise.all([makePki('ecdsa-p256', 'ec'), makePki('rsa-2048', 'rsa')]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const both = () =>
  [
    ['ecdsa-p256', () => ec],
    ['rsa-2048', () => rsa],
  ] as const;

describe.each(both())('certificates (%s)', (_alg, get) => {
  it('openssl verify accepts the issued certificate through the issuing CA to the root, for S/MIME signing too', async () => {
    const p = get();
    const r = await openssl(['verify', '-CAfile', p.files.root, '-untrusted', p.files.issuing, p.files.good]);
    expect(r.out).toContain(`${p.files.good}: OK`);
    expect(r.code).toBe(0);
    const smime = await openssl(['verify', '-purpose', 'smimesign', '-CAfile', p.files.root, '-untrusted', p.files.issuing, p.files.good]);
    expect(smime.code).toBe(0);
    // Without the intermediate, or against another root, it does not verify.
    expect((await openssl(['verify', '-CAfile', p.files.root, p.files.good])).code).not.toBe(0);
    const other = get() === ec ? rsa : ec;
    expect((await openssl(['verify', '-CAfile', other.files.root, '-untrusted', other.files.issuing, p.files.good])).code).not.toBe(0);
  });

  it('openssl x509 -text shows the end-entity profile', async () => {
    const p = get();
    const r = await openssl(['x509', '-in', p.files.good, '-noout', '-text']);
    expect(r.code).toBe(0);
    const text = r.stdout;
    for (const expected of [
      'Version: 3 (0x2)',
      `Signature Algorithm: ${p.alg === 'ecdsa-p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption'}`,
      `Issuer: C = ID, O = Pemerintah Daerah Uji, CN = Uji ${p === ec ? 'ec' : 'rsa'} Issuing CA`,
      'Subject: C = ID, ST = Jawa Barat, L = Kota Uji, O = Pemerintah Daerah Uji, OU = Dinas Komunikasi dan Informatika, title = Pranata Komputer, emailAddress = siti@kominfo.example.go.id, CN = Siti Rahmawati',
      'X509v3 Basic Constraints: critical\n                CA:FALSE',
      'X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation',
      'X509v3 Extended Key Usage: \n                E-mail Protection, 1.3.6.1.5.5.7.3.36',
      'X509v3 Subject Alternative Name: \n                email:siti@kominfo.example.go.id',
      'X509v3 CRL Distribution Points: \n                Full Name:\n                  URI:http://pki.example.go.id/crl',
      'OCSP - URI:http://pki.example.go.id/ocsp',
      'CA Issuers - URI:http://pki.example.go.id/ca/issuing.crt',
      'X509v3 Subject Key Identifier',
      'X509v3 Authority Key Identifier',
      'Policy: 2.16.360.1.1.1.99',
      'CPS: https://pki.example.go.id/cps',
    ]) {
      expect(text, expected).toContain(expected);
    }
    const serial = (await openssl(['x509', '-in', p.files.good, '-noout', '-serial'])).stdout.trim();
    expect(serial).toBe(`serial=${p.good.cert.serial.toUpperCase()}`);
    const fingerprint = (await openssl(['x509', '-in', p.files.good, '-noout', '-fingerprint', '-sha256'])).stdout.trim();
    expect(fingerprint.split('=')[1]!.replace(/:/g, '').toLowerCase()).toBe(p.good.cert.fingerprintSha256);
  });

  it('openssl x509 -text shows the CA profiles', async () => {
    const p = get();
    const root = (await openssl(['x509', '-in', p.files.root, '-noout', '-text'])).stdout;
    expect(root).toContain('X509v3 Basic Constraints: critical\n                CA:TRUE\n');
    expect(root).toContain('X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign');
    const issuing = (await openssl(['x509', '-in', p.files.issuing, '-noout', '-text'])).stdout;
    expect(issuing).toContain('X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0');
    expect(issuing).toContain('X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign, CRL Sign');
    expect(issuing).toContain('CA Issuers - URI:http://pki.example.go.id/ca/root.crt');
    expect((await openssl(['verify', '-CAfile', p.files.root, p.files.issuing])).code).toBe(0);
  });

  it('openssl crl parses and verifies the CRL, lists the revoked serials with reasons, and verify -crl_check rejects the revoked certificate', async () => {
    const p = get();
    const tag = p === ec ? 'ec' : 'rsa';
    const der = await pki.buildCrl({
      issuer: p.issuer,
      thisUpdate: new Date(Date.now() - 60_000),
      nextUpdate: new Date(Date.now() + DAY),
      crlNumber: 17n,
      revoked: [
        { serial: p.revoked.cert.serial, revokedAt: p.revokedAt, reason: 'keyCompromise' },
        { serial: '0badc0de', revokedAt: p.revokedAt, reason: 'superseded' },
        { serial: 'C0FFEE', revokedAt: p.revokedAt, reason: 'unspecified' },
        { serial: 0x1234n, revokedAt: p.revokedAt, reason: 'certificateHold' },
      ],
    });
    const crlDer = write(`${tag}.crl`, der);
    const r = await openssl(['crl', '-inform', 'DER', '-in', crlDer, '-noout', '-text', '-CAfile', p.files.issuing]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('verify OK');
    expect(r.stdout).toContain('Version 2 (0x1)');
    expect(r.stdout).toMatch(/X509v3 CRL Number: \n\s+17/);
    expect(r.stdout).toContain('X509v3 Authority Key Identifier');
    const entries = r.stdout.split('Serial Number: ').slice(1);
    expect(entries.map((e) => e.split('\n')[0]!.trim())).toEqual([p.revoked.cert.serial.toUpperCase(), '0BADC0DE', 'C0FFEE', '1234']); // openssl prints whole bytes
    expect(entries[0]).toContain('Key Compromise');
    expect(entries[1]).toContain('Superseded');
    expect(entries[2]).not.toContain('CRL Reason Code');
    expect(entries[3]).toContain('Certificate Hold');
    // Against the wrong CA it does not verify.
    const other = p === ec ? rsa : ec;
    expect((await openssl(['crl', '-inform', 'DER', '-in', crlDer, '-noout', '-CAfile', other.files.issuing])).out).not.toContain(
      'verify OK',
    );

    const crlPem = write(`${tag}-crl.pem`, pki.toPem(der, 'X509 CRL'));
    const revoked = await openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      p.files.root,
      '-untrusted',
      p.files.issuing,
      '-CRLfile',
      crlPem,
      p.files.revoked,
    ]);
    expect(revoked.code).not.toBe(0);
    expect(revoked.out).toContain('certificate revoked');
    const good = await openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      p.files.root,
      '-untrusted',
      p.files.issuing,
      '-CRLfile',
      crlPem,
      p.files.good,
    ]);
    expect(good.out).toContain(`${p.files.good}: OK`);
    expect(good.code).toBe(0);
  });
});

describe('CRL at scale', () => {
  it('openssl reads and verifies a 100 000-entry CRL, every entry in order', async () => {
    const n = 100_000;
    const reasons = pki.CRL_REASONS;
    const revoked = Array.from({ length: n }, (_, i) => ({
      serial: pki.randomSerial(),
      revokedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      reason: reasons[i % reasons.length],
    }));
    const der = await pki.buildCrl({
      issuer: ec.issuer,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
      crlNumber: 1,
      revoked,
    });
    const file = write('big.crl', der);
    const r = await openssl(['crl', '-inform', 'DER', '-in', file, '-noout', '-text', '-CAfile', ec.files.issuing]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('verify OK');
    const serials = [...r.stdout.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]!.toLowerCase());
    expect(serials).toHaveLength(n);
    expect(serials).toEqual(revoked.map((e) => e.serial));
  });
});

// ---------------------------------------------------------------------------------------------
// OCSP

interface Server {
  url: string;
  close: () => Promise<void>;
}

/** A tiny OCSP HTTP front: POST bodies and GET base64 paths (RFC 6960 A.1) go to `respond`. */
function serve(responder: pki.OcspResponder, lookup: pki.OcspLookup): Promise<Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer;
      if (req.method === 'GET') {
        body = Buffer.from(decodeURIComponent((req.url ?? '/').slice(1)), 'base64');
      } else {
        body = Buffer.concat(chunks);
      }
      void responder.respond(body, lookup).then((der) => {
        res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length });
        res.end(der);
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function lookupFor(p: Pki): pki.OcspLookup {
  return (serial) => {
    if (serial === p.good.cert.serial) return { status: 'good' };
    if (serial === p.revoked.cert.serial) return Promise.resolve({ status: 'revoked', revokedAt: p.revokedAt, reason: 'keyCompromise' });
    return { status: 'unknown' };
  };
}

describe.each(both())('OCSP with openssl ocsp (%s)', (_alg, get) => {
  let server: Server;
  beforeAll(async () => {
    const p = get();
    server = await serve(pki.createOcspResponder({ issuerCertificate: p.issuing.der, signerKey: p.issuingKeys.privateKey }), lookupFor(p));
  });
  afterAll(() => server.close());

  const ask = (p: Pki, certs: string[], extra: string[] = []) =>
    openssl([
      'ocsp',
      '-issuer',
      p.files.issuing,
      ...certs.flatMap((c) => ['-cert', c]),
      '-url',
      server.url,
      '-CAfile',
      p.files.root,
      '-resp_text',
      ...extra,
    ]);

  it('answers good, with the nonce echoed and the response verified', async () => {
    const p = get();
    const r = await ask(p, [p.files.good]);
    expect(r.out).toContain('Response verify OK');
    expect(r.stdout).toContain(`${p.files.good}: good`);
    expect(r.stdout).toContain('OCSP Nonce');
    expect(r.stderr).not.toMatch(/nonce/i); // openssl warns on a missing or mismatched nonce
    expect(r.code).toBe(0);
  });

  it('answers revoked with time and reason', async () => {
    const p = get();
    const r = await ask(p, [p.files.revoked]);
    expect(r.out).toContain('Response verify OK');
    expect(r.stdout).toContain(`${p.files.revoked}: revoked`);
    expect(r.stdout).toContain('Reason: keyCompromise');
    const time = p.revokedAt
      .toUTCString()
      .replace(
        /^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/,
        (_m, d: string, mo: string, y: string, t: string) => `${mo} ${d.replace(/^0/, ' ')} ${t} ${y} GMT`,
      );
    expect(r.stdout).toContain(`Revocation Time: ${time}`);
  });

  it('answers several certificates in one request', async () => {
    const p = get();
    const r = await ask(p, [p.files.good, p.files.revoked]);
    expect(r.out).toContain('Response verify OK');
    expect(r.stdout).toContain(`${p.files.good}: good`);
    expect(r.stdout).toContain(`${p.files.revoked}: revoked`);
  });

  it('answers unknown for a certificate of another CA', async () => {
    const p = get();
    const other = p === ec ? rsa : ec;
    // Trust our responder explicitly (-VAfile): it is not the other certificate's issuer.
    const r = await openssl([
      'ocsp',
      '-issuer',
      other.files.issuing,
      '-cert',
      other.files.good,
      '-url',
      server.url,
      '-VAfile',
      p.files.issuing,
      '-resp_text',
    ]);
    expect(r.out).toContain('Response verify OK');
    expect(r.stdout).toContain(`${other.files.good}: unknown`);
  });

  it('answers a GET request (base64 in the path, RFC 6960 A.1) that openssl then verifies with its nonce', async () => {
    const p = get();
    const tag = p === ec ? 'ec' : 'rsa';
    const req = path(`${tag}-req.der`);
    expect((await openssl(['ocsp', '-issuer', p.files.issuing, '-cert', p.files.revoked, '-reqout', req])).code).toBe(0);
    const b64 = readFileSync(req).toString('base64');
    const res = await fetch(server.url + encodeURIComponent(b64));
    expect(res.headers.get('content-type')).toBe('application/ocsp-response');
    const resp = write(`${tag}-resp.der`, Buffer.from(await res.arrayBuffer()));
    const r = await openssl(['ocsp', '-reqin', req, '-respin', resp, '-issuer', p.files.issuing, '-CAfile', p.files.root, '-resp_text']);
    expect(r.out).toContain('Response verify OK');
    expect(r.stdout).toContain('Cert Status: revoked');
    expect(r.stdout).toContain('OCSP Nonce');
    expect(r.stderr).not.toContain('nonce');
    // The same response against a different request (another nonce) is caught by openssl.
    const req2 = path(`${tag}-req2.der`);
    await openssl(['ocsp', '-issuer', p.files.issuing, '-cert', p.files.revoked, '-reqout', req2]);
    const mismatch = await openssl(['ocsp', '-reqin', req2, '-respin', resp, '-issuer', p.files.issuing, '-CAfile', p.files.root]);
    expect(mismatch.out).toContain('Nonce Verify error');
    expect(mismatch.code).not.toBe(0);
  });

  it('answers garbage with malformedRequest', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('not an OCSP request')),
      headers: { 'content-type': 'application/ocsp-request' },
    });
    expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe('30030a0101');
  });
});

describe('OCSP with a delegated responder certificate', () => {
  it('openssl accepts responses signed by an OCSPSigning certificate of the issuing CA', async () => {
    const keys = await pki.generateKeyPair('ecdsa-p256');
    const signer = await pki.issueOcspSignerCertificate({
      issuer: ec.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'Uji OCSP Responder', organization: 'Pemerintah Daerah Uji' },
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 7 * DAY),
    });
    const text = (await openssl(['x509', '-in', write('ocsp-signer.pem', signer.pem), '-noout', '-text'])).stdout;
    expect(text).toContain('OCSP Signing');
    expect(text).toContain('OCSP No Check');
    const server = await serve(
      pki.createOcspResponder({ issuerCertificate: ec.issuing.der, signerKey: keys.privateKey, signerCertificate: signer.der }),
      lookupFor(ec),
    );
    try {
      const r = await openssl([
        'ocsp',
        '-issuer',
        ec.files.issuing,
        '-cert',
        ec.files.good,
        '-url',
        server.url,
        '-CAfile',
        ec.files.root,
        '-verify_other',
        ec.files.issuing,
        '-resp_text',
      ]);
      expect(r.out).toContain('Response verify OK');
      expect(r.stdout).toContain(`${ec.files.good}: good`);
      expect(r.stdout).toContain('Uji OCSP Responder');
    } finally {
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Keys at rest

describe('encrypted private keys', () => {
  it('openssl pkey opens our key with the passphrase, refuses a wrong one, and sees PBES2/PBKDF2-SHA256/AES-256-CBC × 600000', async () => {
    const pem = await pki.encryptPrivateKey(ec.good.keys.privateKey, PASS);
    const file = write('holder.key', pem);
    const ok = await openssl(['pkey', '-in', file, '-passin', `pass:${PASS}`, '-pubout']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(ec.good.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const wrong = await openssl(['pkey', '-in', file, '-passin', 'pass:salah', '-noout']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/bad decrypt|maybe wrong password/);
    const asn1 = (await openssl(['asn1parse', '-in', file])).stdout;
    expect(asn1).toContain(':PBES2');
    expect(asn1).toContain(':PBKDF2');
    expect(asn1).toContain(':hmacWithSHA256');
    expect(asn1).toContain(':aes-256-cbc');
    expect(asn1).toContain(':0927C0'); // 600 000
    const rsaFile = write('holder-rsa.key', await pki.encryptPrivateKey(rsa.good.keys.privateKey, PASS));
    expect((await openssl(['pkey', '-in', rsaFile, '-passin', `pass:${PASS}`, '-noout'])).code).toBe(0);
  });

  it('opens keys openssl encrypts (PBES2 PBKDF2 and scrypt, legacy PBES1) and refuses wrong passphrases', async () => {
    const plain = write('plain.key', ec.good.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const variants: Array<[string, string[]]> = [
      ['pbkdf2-600000', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256', '-iter', '600000']],
      ['pbkdf2-sha512-aes128', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512']],
      ['scrypt', ['-scrypt']],
      ['pbes1-3des', ['-v1', 'PBE-SHA1-3DES']],
    ];
    for (const [name, args] of variants) {
      const out = path(`${name}.key`);
      const r = await openssl(['pkcs8', '-topk8', '-in', plain, '-out', out, '-passout', `pass:${PASS}`, ...args]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const pem = readFileSync(out, 'utf8');
      expect((await pki.decryptPrivateKey(pem, PASS)).equals(ec.good.keys.privateKey), name).toBe(true);
      await expect(pki.decryptPrivateKey(pem, 'salah'), name).rejects.toMatchObject({ code: pki.PkiErrorCode.WrongPassphrase });
    }
    // An unencrypted key is never accepted where a passphrase should protect it.
    await expect(pki.decryptPrivateKey(readFileSync(plain, 'utf8'), PASS)).rejects.toMatchObject({ code: pki.PkiErrorCode.MalformedKey });
    expect(createPrivateKey(readFileSync(plain)).equals(ec.good.keys.privateKey)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Requests

describe('PKCS#10 requests from openssl req', () => {
  const req = async (name: string, keyArgs: string[], subj: string, extra: string[] = []) => {
    const r = await openssl([
      'req',
      '-new',
      ...keyArgs,
      '-nodes',
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
      '-subj',
      subj,
      ...extra,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(path(`${name}.csr`));
  };

  it('parses EC P-256 and RSA-2048 requests with subject and requested e-mail, and our CA certifies them for openssl verify', async () => {
    const ecCsr = await req(
      'ec-req',
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      '/C=ID/ST=Jawa Barat/O=Pemerintah Daerah Uji/OU=Dinas Kesehatan/title=Kepala Seksi/CN=Dewi Lestari',
      ['-addext', 'subjectAltName=email:dewi@dinkes.example.go.id'],
    );
    const info = pki.parseCsr(ecCsr);
    expect(info.subject).toBe('CN=Dewi Lestari,title=Kepala Seksi,OU=Dinas Kesehatan,O=Pemerintah Daerah Uji,ST=Jawa Barat,C=ID');
    expect(info.subjectFields).toMatchObject({
      commonName: 'Dewi Lestari',
      organizationalUnit: 'Dinas Kesehatan',
      title: 'Kepala Seksi',
      state: 'Jawa Barat',
      country: 'ID',
    });
    expect(info.email).toBe('dewi@dinkes.example.go.id');
    expect(info.publicKeyInfo.algorithm).toBe('ecdsa-p256');
    const cert = await pki.issueCertificate({
      issuer: ec.issuer,
      publicKey: info.publicKey,
      subject: { commonName: info.subjectFields.commonName!, organization: 'Pemerintah Daerah Uji', email: info.email! },
      email: info.email!,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + DAY),
    });
    const certFile = write('from-csr.pem', cert.pem);
    expect((await openssl(['verify', '-CAfile', ec.files.root, '-untrusted', ec.files.issuing, certFile])).code).toBe(0);
    // The certificate belongs to the key openssl made.
    const pub = (await openssl(['pkey', '-in', path('ec-req.key'), '-pubout'])).stdout;
    expect(cert.publicKey!.export({ type: 'spki', format: 'pem' }).toString()).toBe(pub);

    const rsaCsr = await req('rsa-req', ['-newkey', 'rsa:2048'], '/C=ID/CN=Rudi/emailAddress=rudi@example.go.id');
    const rsaInfo = pki.parseCsr(rsaCsr.toString('utf8'));
    expect(rsaInfo.email).toBe('rudi@example.go.id');
    expect(rsaInfo.publicKeyInfo.algorithm).toBe('rsa-2048');
    expect(rsaInfo.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  it('refuses a weak RSA-1024 request, a P-384 request and a tampered request with typed errors', async () => {
    expect(() => pki.parseCsr(readFileSync(path('rsa-req.csr')))).not.toThrow();
    const weak = await req('weak-req', ['-newkey', 'rsa:1024'], '/CN=Lemah');
    expect(() => pki.parseCsr(weak)).toThrow(expect.objectContaining({ code: pki.PkiErrorCode.WeakKey }));
    const p384 = await req('p384-req', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], '/CN=Kurva');
    expect(() => pki.parseCsr(p384)).toThrow(expect.objectContaining({ code: pki.PkiErrorCode.UnsupportedKey }));
    const der =
      (await openssl(['req', '-in', path('rsa-req.csr'), '-outform', 'DER', '-out', path('rsa-req.der')])).code === 0
        ? readFileSync(path('rsa-req.der'))
        : Buffer.alloc(0);
    const tampered = Buffer.from(der);
    tampered[tampered.indexOf(Buffer.from('Rudi'))] = 'B'.charCodeAt(0);
    expect(() => pki.parseCsr(tampered)).toThrow(expect.objectContaining({ code: pki.PkiErrorCode.BadCsrSignature }));
    expect(() => pki.parseCsr(der.subarray(0, 100))).toThrow(expect.objectContaining({ code: pki.PkiErrorCode.MalformedCsr }));
  });

  it('openssl req -verify accepts our requests', async () => {
    for (const p of [ec, rsa]) {
      const csr = pki.createCsr({
        keys: p.good.keys,
        subject: { commonName: 'Siti Rahmawati', organization: 'Pemerintah Daerah Uji' },
        email: 'siti@kominfo.example.go.id',
      });
      const r = await openssl(['req', '-in', write(`ours-${p.alg}.csr`, csr.pem), '-noout', '-verify', '-text']);
      expect(r.out).toMatch(/verify OK/);
      expect(r.stdout).toContain('email:siti@kominfo.example.go.id');
    }
  });
});
