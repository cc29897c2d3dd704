import { execFileSync } from 'node:child_process';
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr, parseCsr } from './csr.util.js';
import { DER_NULL, algorithmIdentifier, bitString, bytesOf, children, explicit, integer, readRoot, sequence } from './der.util.js';
import { generateKeyPair } from './key.util.js';
import { OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { errorCode } from './pki-test.fixture.js';

/** Re-signs a request's certificationRequestInfo with another algorithm. */
function resign(der: Buffer, algId: Buffer, signer: (data: Buffer) => Buffer): Buffer {
  const [cri] = children(der, readRoot(der));
  const criBytes = bytesOf(der, cri!);
  return sequence(criBytes, algId, bitString(signer(criBytes)));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandi-csr-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createCsr / parseCsr', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)('round-trips a %s request with subject and requested e-mail', async (alg) => {
    const keys = await generateKeyPair(alg);
    const csr = createCsr({
      keys,
      subject: { commonName: 'Siti Rahmawati', organization: 'Pemda Uji', organizationalUnit: 'Dinkes', title: 'Analis' },
      email: 'siti@dinkes.example.go.id',
    });
    expect(csr.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    for (const input of [csr.der, csr.pem, Buffer.from(csr.pem)]) {
      const info = parseCsr(input);
      expect(info.subject).toBe('CN=Siti Rahmawati,title=Analis,OU=Dinkes,O=Pemda Uji,C=ID');
      expect(info.subjectFields).toMatchObject({
        commonName: 'Siti Rahmawati',
        organization: 'Pemda Uji',
        organizationalUnit: 'Dinkes',
        title: 'Analis',
        country: 'ID',
      });
      expect(info.email).toBe('siti@dinkes.example.go.id');
      expect(info.emails).toEqual(['siti@dinkes.example.go.id']);
      expect(info.publicKey.equals(keys.publicKey)).toBe(true);
      expect(info.publicKeyInfo.algorithm).toBe(alg);
      expect(info.signatureAlgorithm).toBe(alg === 'ecdsa-p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');
      expect(info.der.equals(csr.der)).toBe(true);
    }
  });

  it('takes the e-mail from the subject emailAddress when there is no SAN, and lists both when both exist', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    expect(parseCsr(createCsr({ keys, subject: { commonName: 'A', email: 'a@example.go.id' } }).der).email).toBe('a@example.go.id');
    const both = parseCsr(createCsr({ keys, subject: { commonName: 'A', email: 'a@example.go.id' }, email: 'b@example.go.id' }).der);
    expect(both.email).toBe('b@example.go.id');
    expect(both.emails).toEqual(['b@example.go.id', 'a@example.go.id']);
    expect(parseCsr(createCsr({ keys, subject: { commonName: 'A' } }).der).email).toBeUndefined();
  });

  it('reads an OpenSSL request (SAN, no attributes field quirks)', () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'r.pem'),
        '-subj',
        '/C=ID/O=Pemda Uji/CN=Budi',
        '-addext',
        'subjectAltName=email:budi@example.go.id',
      ],
      { stdio: 'pipe' },
    );
    const info = parseCsr(readFileSync(join(dir, 'r.pem'), 'utf8'));
    expect(info.subject).toBe('CN=Budi,O=Pemda Uji,C=ID');
    expect(info.email).toBe('budi@example.go.id');
  });

  it('refuses a weak RSA-1024 request made by OpenSSL with WEAK_KEY', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        join(dir, 'weak.key'),
        '-out',
        join(dir, 'weak.csr'),
        '-subj',
        '/CN=Weak',
      ],
      { stdio: 'pipe' },
    );
    expect(await errorCode(() => parseCsr(readFileSync(join(dir, 'weak.csr'))))).toBe(PkiErrorCode.WeakKey);
    // A caller may ask for more.
    const k2048 = await generateKeyPair('rsa-2048');
    expect(await errorCode(() => parseCsr(createCsr({ keys: k2048, subject: { commonName: 'X' } }).der, { minRsaBits: 3072 }))).toBe(
      PkiErrorCode.WeakKey,
    );
  });

  it('refuses keys we do not certify with UNSUPPORTED_KEY', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await errorCode(() => parseCsr(createCsr({ keys: p384, subject: { commonName: 'X' } }).der))).toBe(PkiErrorCode.UnsupportedKey);
    const ed = generateKeyPairSync('ed25519');
    const base = createCsr({ keys: generateKeyPairSync('ec', { namedCurve: 'P-256' }), subject: { commonName: 'X' } }).der;
    // Swap in an Ed25519 key and sign with it.
    const [cri] = children(base, readRoot(base));
    const [ver, subj] = children(base, cri!);
    const edCri = sequence(bytesOf(base, ver!), bytesOf(base, subj!), ed.publicKey.export({ type: 'spki', format: 'der' }), explicit(0));
    const edCsr = sequence(edCri, algorithmIdentifier(OID.ed25519), bitString(sign(null, edCri, ed.privateKey)));
    expect(await errorCode(() => parseCsr(edCsr))).toBe(PkiErrorCode.UnsupportedKey);
  });

  it('refuses a tampered or wrongly signed request with BAD_CSR_SIGNATURE', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const other = await generateKeyPair('ecdsa-p256');
    const csr = createCsr({ keys, subject: { commonName: 'Budi' } }).der;
    const tampered = Buffer.from(csr);
    tampered[tampered.indexOf(Buffer.from('Budi'))] = 'R'.charCodeAt(0);
    expect(await errorCode(() => parseCsr(tampered))).toBe(PkiErrorCode.BadCsrSignature);
    const wrongKey = resign(csr, algorithmIdentifier(OID.ecdsaWithSha256), (d) => sign('sha256', d, other.privateKey));
    expect(await errorCode(() => parseCsr(wrongKey))).toBe(PkiErrorCode.BadCsrSignature);
    const badSig = Buffer.from(csr);
    badSig[badSig.length - 2]! ^= 0xff;
    expect(await errorCode(() => parseCsr(badSig))).toBe(PkiErrorCode.BadCsrSignature);
  });

  it('verifies RSASSA-PSS requests and refuses SHA-1 and unknown algorithms', async () => {
    const keys = await generateKeyPair('rsa-2048');
    const csr = createCsr({ keys, subject: { commonName: 'PSS' } }).der;
    const sha256 = algorithmIdentifier(OID.sha256, DER_NULL);
    const pss = algorithmIdentifier(
      OID.rsassaPss,
      sequence(explicit(0, sha256), explicit(1, algorithmIdentifier(OID.mgf1, sha256)), explicit(2, integer(32))),
    );
    const pssCsr = resign(csr, pss, (d) =>
      sign('sha256', d, { key: keys.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    expect(parseCsr(pssCsr).signatureAlgorithm).toBe('RSASSA-PSS/sha256');
    const sha1 = resign(csr, algorithmIdentifier(OID.sha1WithRSAEncryption, DER_NULL), (d) => sign('sha1', d, keys.privateKey));
    expect(await errorCode(() => parseCsr(sha1))).toBe(PkiErrorCode.UnsupportedAlgorithm);
    const unknown = resign(csr, algorithmIdentifier('1.2.3.4.5'), (d) => sign('sha256', d, keys.privateKey));
    expect(await errorCode(() => parseCsr(unknown))).toBe(PkiErrorCode.UnsupportedAlgorithm);
  });

  it('refuses malformed input with MALFORMED_CSR', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const csr = createCsr({ keys, subject: { commonName: 'Budi' } });
    const [cri, alg, sig] = children(csr.der, readRoot(csr.der));
    const [, subj, spki, attrs] = children(csr.der, cri!);
    const v1 = sequence(
      sequence(integer(1), bytesOf(csr.der, subj!), bytesOf(csr.der, spki!), bytesOf(csr.der, attrs!)),
      bytesOf(csr.der, alg!),
      bytesOf(csr.der, sig!),
    );
    const badKey = sequence(
      sequence(
        integer(0),
        bytesOf(csr.der, subj!),
        sequence(algorithmIdentifier(OID.ecPublicKey), bitString(Buffer.from([4, 1, 2]))),
        bytesOf(csr.der, attrs!),
      ),
      bytesOf(csr.der, alg!),
      bytesOf(csr.der, sig!),
    );
    const cases: Array<[string, Uint8Array | string]> = [
      ['empty', Buffer.alloc(0)],
      ['null', null as unknown as string],
      ['garbage bytes', Buffer.from('definitely not a CSR')],
      ['truncated', csr.der.subarray(0, csr.der.length - 5)],
      ['trailing bytes', Buffer.concat([csr.der, Buffer.from([0])])],
      ['PEM without request', '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'],
      ['PEM with bad base64', '-----BEGIN CERTIFICATE REQUEST-----\n%%%%\n-----END CERTIFICATE REQUEST-----\n'],
      ['version 2', v1],
      ['unreadable key', badKey],
      ['a certificate instead', Buffer.from('3003020101', 'hex')],
    ];
    for (const [name, input] of cases) expect(await errorCode(() => parseCsr(input)), name).toBe(PkiErrorCode.MalformedCsr);
    for (let n = 0; n < csr.der.length; n += 5)
      expect(await errorCode(() => parseCsr(csr.der.subarray(0, n))), `cut at ${n}`).toBe(PkiErrorCode.MalformedCsr);
  });
});
