import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate,
  CertificatePolicies,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssuingCa, createRootCa, issueCertificate, issueOcspSignerCertificate, normalizeSerial, randomSerial } from './ca.util.js';
import { generateKeyPair } from './key.util.js';
import { EKU, OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { DAY, type TestCa, errorCode, makeLeaf, makeTestCa } from './pki-test.fixture.js';

/** Extensions read with an independent parser: OID → { critical, value DER }. */
function extensionsOf(der: Buffer): Map<string, { critical: boolean; value: ArrayBuffer }> {
  const cert = AsnConvert.parse(der, Certificate);
  return new Map((cert.tbsCertificate.extensions ?? []).map((e) => [e.extnID, { critical: e.critical, value: e.extnValue.buffer }]));
}

let ec: TestCa;
let rsa: TestCa;
beforeAll(async () => {
  [ec, rsa] = await Promise.all([makeTestCa('ecdsa-p256'), makeTestCa('rsa-2048')]);
});

describe('createRootCa', () => {
  it('makes a self-signed CA: basicConstraints CA critical, keyUsage keyCertSign + cRLSign critical, SKI = AKI', () => {
    const x = new X509Certificate(ec.root.der);
    expect(x.ca).toBe(true);
    expect(x.verify(ec.rootKeys.publicKey)).toBe(true);
    expect(x.checkIssued(x)).toBe(true);
    const ext = extensionsOf(ec.root.der);
    const bc = ext.get(OID.basicConstraints)!;
    expect(bc.critical).toBe(true);
    expect(AsnConvert.parse(bc.value, BasicConstraints)).toMatchObject({ cA: true });
    expect(AsnConvert.parse(bc.value, BasicConstraints).pathLenConstraint).toBeUndefined();
    const ku = ext.get(OID.keyUsage)!;
    expect(ku.critical).toBe(true);
    expect(AsnConvert.parse(ku.value, KeyUsage).toNumber()).toBe(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign);
    const ski = Buffer.from(AsnConvert.parse(ext.get(OID.subjectKeyIdentifier)!.value, SubjectKeyIdentifier).buffer);
    const aki = Buffer.from(AsnConvert.parse(ext.get(OID.authorityKeyIdentifier)!.value, AuthorityKeyIdentifier).keyIdentifier!.buffer);
    expect(ski.equals(aki)).toBe(true);
    expect(ec.root.subject).toBe('CN=Pemerintah Daerah Uji Root CA,O=Pemerintah Daerah Uji,C=ID');
    expect(ec.root.selfIssued).toBe(true);
    expect(ec.root.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(rsa.root.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  it('defaults to a 20-year validity from now', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const before = Date.now();
    const root = await createRootCa({ keys, subject: { commonName: 'Default Root' } });
    expect(Math.abs(root.notBefore.getTime() - before)).toBeLessThan(5_000);
    expect(Math.round((root.notAfter.getTime() - root.notBefore.getTime()) / (365.25 * DAY))).toBe(20);
    expect(root.notAfter.getUTCFullYear()).toBeGreaterThanOrEqual(2045);
  });

  it('refuses a key pair that does not match', async () => {
    const a = await generateKeyPair('ecdsa-p256');
    const b = await generateKeyPair('ecdsa-p256');
    expect(
      await errorCode(() => createRootCa({ keys: { publicKey: a.publicKey, privateKey: b.privateKey }, subject: { commonName: 'X' } })),
    ).toBe(PkiErrorCode.KeyMismatch);
    expect(
      await errorCode(() => createRootCa({ keys: { publicKey: a.publicKey, privateKey: a.publicKey }, subject: { commonName: 'X' } })),
    ).toBe(PkiErrorCode.InvalidArgument);
  });
});

describe('createIssuingCa', () => {
  it('is signed by the root, with pathLen 0, digitalSignature + keyCertSign + cRLSign and the root as AKI', () => {
    const x = new X509Certificate(ec.issuing.der);
    expect(x.verify(ec.rootKeys.publicKey)).toBe(true);
    expect(x.checkIssued(new X509Certificate(ec.root.der))).toBe(true);
    const ext = extensionsOf(ec.issuing.der);
    expect(AsnConvert.parse(ext.get(OID.basicConstraints)!.value, BasicConstraints)).toMatchObject({ cA: true, pathLenConstraint: 0 });
    expect(AsnConvert.parse(ext.get(OID.keyUsage)!.value, KeyUsage).toNumber()).toBe(
      KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
    );
    expect(ec.issuing.authorityKeyIdentifier).toBe(ec.root.subjectKeyIdentifier);
    expect(ec.issuing.caIssuersUrls).toEqual(['http://pki.example.go.id/ca/root.crt']);
    expect(ec.issuing.issuer).toBe(ec.root.subject);
    expect(ec.issuing.pathLength).toBe(0);
  });

  it('can carry the root CRL and OCSP URLs, and defaults to 10 years', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const ca = await createIssuingCa({
      keys,
      issuer: { certificate: ec.root.pem, privateKey: ec.rootKeys.privateKey },
      subject: { commonName: 'Second Issuing CA' },
      crlUrl: 'http://pki.example.go.id/root.crl',
      ocspUrl: 'http://pki.example.go.id/root-ocsp',
    });
    expect(ca.crlUrls).toEqual(['http://pki.example.go.id/root.crl']);
    expect(ca.ocspUrls).toEqual(['http://pki.example.go.id/root-ocsp']);
    expect(Math.round((ca.notAfter.getTime() - ca.notBefore.getTime()) / (365.25 * DAY))).toBe(10);
  });

  it('refuses to outlive its root or to be signed by a non-CA or with the wrong key', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const issuer = { certificate: ec.root.der, privateKey: ec.rootKeys.privateKey };
    expect(
      await errorCode(() =>
        createIssuingCa({ keys, issuer, subject: { commonName: 'X' }, notAfter: new Date(ec.root.notAfter.getTime() + DAY) }),
      ),
    ).toBe(PkiErrorCode.InvalidValidity);
    const leaf = await makeLeaf(ec);
    expect(
      await errorCode(() =>
        createIssuingCa({ keys, issuer: { certificate: leaf.cert.der, privateKey: leaf.keys.privateKey }, subject: { commonName: 'X' } }),
      ),
    ).toBe(PkiErrorCode.NotACa);
    expect(
      await errorCode(() =>
        createIssuingCa({
          keys,
          issuer: { certificate: ec.root.der, privateKey: ec.issuingKeys.privateKey },
          subject: { commonName: 'X' },
        }),
      ),
    ).toBe(PkiErrorCode.KeyMismatch);
    expect(
      await errorCode(() =>
        createIssuingCa({
          keys,
          issuer: { certificate: Buffer.from('junk'), privateKey: ec.rootKeys.privateKey },
          subject: { commonName: 'X' },
        }),
      ),
    ).toBe(PkiErrorCode.MalformedCertificate);
    expect(await errorCode(() => createIssuingCa({ keys, issuer, subject: { commonName: 'X' }, pathLength: -1 }))).toBe(
      PkiErrorCode.InvalidArgument,
    );
  });
});

describe('issueCertificate', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)('issues an end-entity signing certificate (%s) with the full profile', async (alg) => {
    const ca = alg === 'ecdsa-p256' ? ec : rsa;
    const { cert, keys } = await makeLeaf(ca, {
      policies: ['2.16.360.1.1.1.1', { oid: '2.16.360.1.1.1.2', cpsUri: 'https://pki.example.go.id/cps' }],
    });
    const x = new X509Certificate(cert.der);
    expect(x.verify(ca.issuingKeys.publicKey)).toBe(true);
    expect(x.publicKey.equals(keys.publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.subject.split('\n')).toEqual([
      'C=ID',
      'O=Pemerintah Daerah Uji',
      'OU=Dinas Kesehatan',
      'title=Kepala Seksi',
      'emailAddress=siti@dinkes.example.go.id',
      'CN=Siti Rahmawati',
    ]);

    const raw = AsnConvert.parse(cert.der, Certificate);
    expect(raw.tbsCertificate.version).toBe(2); // v3
    const serial = Buffer.from(raw.tbsCertificate.serialNumber);
    expect(serial.length).toBe(16);
    expect(serial[0]! & 0x80).toBe(0);
    expect(cert.serial).toMatch(/^[4-7][0-9a-f]{31}$/);

    const ext = extensionsOf(cert.der);
    expect(ext.get(OID.basicConstraints)!.critical).toBe(true);
    expect(AsnConvert.parse(ext.get(OID.basicConstraints)!.value, BasicConstraints).cA).toBe(false);
    expect(ext.get(OID.keyUsage)!.critical).toBe(true);
    expect(AsnConvert.parse(ext.get(OID.keyUsage)!.value, KeyUsage).toNumber()).toBe(
      KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation,
    );
    expect([...AsnConvert.parse(ext.get(OID.extKeyUsage)!.value, ExtendedKeyUsage)]).toEqual([EKU.emailProtection, EKU.documentSigning]);
    expect(AsnConvert.parse(ext.get(OID.subjectAltName)!.value, SubjectAlternativeName).map((g) => g.rfc822Name)).toEqual([
      'siti@dinkes.example.go.id',
    ]);
    const dps = AsnConvert.parse(ext.get(OID.cRLDistributionPoints)!.value, CRLDistributionPoints);
    expect(dps[0]!.distributionPoint!.fullName!.map((g) => g.uniformResourceIdentifier)).toEqual(['http://pki.example.go.id/crl']);
    const aia = AsnConvert.parse(ext.get(OID.authorityInfoAccess)!.value, AuthorityInfoAccessSyntax);
    expect(aia.map((a) => [a.accessMethod, a.accessLocation.uniformResourceIdentifier])).toEqual([
      [OID.accessOcsp, 'http://pki.example.go.id/ocsp'],
      [OID.accessCaIssuers, 'http://pki.example.go.id/ca/issuing.crt'],
    ]);
    const ski = Buffer.from(AsnConvert.parse(ext.get(OID.subjectKeyIdentifier)!.value, SubjectKeyIdentifier).buffer);
    const spkiBits = Buffer.from(raw.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
    expect(ski.equals(createHash('sha1').update(spkiBits).digest())).toBe(true);
    expect(
      Buffer.from(AsnConvert.parse(ext.get(OID.authorityKeyIdentifier)!.value, AuthorityKeyIdentifier).keyIdentifier!.buffer).toString(
        'hex',
      ),
    ).toBe(ca.issuing.subjectKeyIdentifier);
    const policies = AsnConvert.parse(ext.get(OID.certificatePolicies)!.value, CertificatePolicies);
    expect(policies.map((p) => p.policyIdentifier)).toEqual(['2.16.360.1.1.1.1', '2.16.360.1.1.1.2']);
    expect(policies[1]!.policyQualifiers![0]!.policyQualifierId).toBe(OID.cpsQualifier);

    expect(cert.signatureAlgorithm).toBe(alg === 'ecdsa-p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');
    expect(cert.issuer).toBe(ca.issuing.subject);
    expect(cert.authorityKeyIdentifier).toBe(ca.issuing.subjectKeyIdentifier);
  });

  it('truncates times to the second and writes GeneralizedTime from 2050', async () => {
    const nb = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const na = new Date(Date.UTC(2030, 0, 1));
    const { cert } = await makeLeaf(ec, { notBefore: nb, notAfter: na });
    expect(cert.notBefore.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(cert.notAfter.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    const longRoot = await createRootCa({
      keys: ec.rootKeys,
      subject: { commonName: 'Long Root' },
      notBefore: nb,
      notAfter: new Date(Date.UTC(2060, 5, 1)),
    });
    const raw = AsnConvert.parse(longRoot.der, Certificate);
    expect(raw.tbsCertificate.validity.notAfter.generalTime?.toISOString()).toBe('2060-06-01T00:00:00.000Z');
    expect(raw.tbsCertificate.validity.notBefore.utcTime?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(longRoot.notAfter.toISOString()).toBe('2060-06-01T00:00:00.000Z');
  });

  it('uses the serial the caller gives, normalised', async () => {
    expect((await makeLeaf(ec, { serial: '00:0A:BC:DE' })).cert.serial).toBe('abcde');
    expect((await makeLeaf(ec, { serial: 0x1234n })).cert.serial).toBe('1234');
    const top = await makeLeaf(ec, { serial: 'ff' });
    expect(top.cert.serial).toBe('ff');
    expect(Buffer.from(AsnConvert.parse(top.cert.der, Certificate).tbsCertificate.serialNumber).toString('hex')).toBe('00ff');
  });

  it('takes a custom EKU list and leaves SAN, CRL DP and AIA out when not asked for', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const cert = await issueCertificate({
      issuer: ec.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'Minimal' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY),
      extendedKeyUsage: [EKU.emailProtection, EKU.documentSigning, EKU.microsoftDocumentSigning],
    });
    expect(cert.extendedKeyUsage).toEqual([EKU.emailProtection, EKU.documentSigning, EKU.microsoftDocumentSigning]);
    const ext = extensionsOf(cert.der);
    for (const absent of [OID.subjectAltName, OID.cRLDistributionPoints, OID.authorityInfoAccess, OID.certificatePolicies])
      expect(ext.has(absent)).toBe(false);
    expect(cert.email).toBeUndefined();
  });

  it('accepts the holder key as a private KeyObject too (only its public half is certified)', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const { cert } = await makeLeaf(ec, { publicKey: keys.privateKey });
    expect(cert.publicKey!.equals(keys.publicKey)).toBe(true);
  });

  it('refuses bad input with typed errors', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const base = {
      issuer: ec.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'X' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY),
    };
    const cases: Array<[string, Record<string, unknown>, PkiErrorCode]> = [
      ['weak RSA key', { publicKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey }, PkiErrorCode.WeakKey],
      ['P-384 key', { publicKey: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey }, PkiErrorCode.UnsupportedKey],
      ['reversed validity', { notBefore: new Date(Date.now() + DAY), notAfter: new Date() }, PkiErrorCode.InvalidValidity],
      ['same second', { notBefore: new Date(1_700_000_000_100), notAfter: new Date(1_700_000_000_900) }, PkiErrorCode.InvalidValidity],
      ['invalid date', { notAfter: new Date('nope') }, PkiErrorCode.InvalidValidity],
      ['beyond issuer', { notAfter: new Date(ec.issuing.notAfter.getTime() + 1000) }, PkiErrorCode.InvalidValidity],
      ['bad e-mail', { email: 'not an email' }, PkiErrorCode.InvalidArgument],
      ['bad URL', { crlUrl: 'ldap://x/crl' }, PkiErrorCode.InvalidArgument],
      ['bad policy', { policies: ['not.an.oid'] }, PkiErrorCode.InvalidArgument],
      ['bad EKU', { extendedKeyUsage: ['x'] }, PkiErrorCode.InvalidArgument],
      ['empty EKU', { extendedKeyUsage: [] }, PkiErrorCode.InvalidArgument],
      ['zero serial', { serial: '00' }, PkiErrorCode.InvalidArgument],
      ['non-hex serial', { serial: 'xyz' }, PkiErrorCode.InvalidArgument],
      ['serial over 20 octets', { serial: '1'.repeat(41) }, PkiErrorCode.InvalidArgument],
      ['issuer key mismatch', { issuer: { certificate: ec.issuing.der, privateKey: ec.rootKeys.privateKey } }, PkiErrorCode.KeyMismatch],
      [
        'issuer is a leaf',
        { issuer: { certificate: (await makeLeaf(ec, { keys })).cert.der, privateKey: keys.privateKey } },
        PkiErrorCode.NotACa,
      ],
      ['no public key', { publicKey: undefined }, PkiErrorCode.InvalidArgument],
    ];
    for (const [name, override, code] of cases)
      expect(await errorCode(() => issueCertificate({ ...base, ...override } as never)), name).toBe(code);
  });
});

describe('issueOcspSignerCertificate', () => {
  it('issues a delegated responder certificate with OCSPSigning and ocsp-nocheck', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const cert = await issueOcspSignerCertificate({
      issuer: ec.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'OCSP Responder' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 7 * DAY),
    });
    const ext = extensionsOf(cert.der);
    expect([...AsnConvert.parse(ext.get(OID.extKeyUsage)!.value, ExtendedKeyUsage)]).toEqual([EKU.ocspSigning]);
    expect(ext.has(OID.ocspNoCheck)).toBe(true);
    expect(cert.keyUsage).toEqual(['digitalSignature']);
    expect(cert.isCA).toBe(false);
  });
});

describe('serials', () => {
  it('randomSerial gives 32 hex digits with the top bit clear and the next set', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = randomSerial();
      expect(s).toMatch(/^[4-7][0-9a-f]{31}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(200);
  });

  it('normalizeSerial strips colons, case and leading zeros', () => {
    expect(normalizeSerial('00:AB:cd')).toEqual({ hex: 'abcd', bytes: Buffer.from('abcd', 'hex') });
    expect(normalizeSerial('0f00')).toEqual({ hex: 'f00', bytes: Buffer.from('0f00', 'hex') });
    expect(normalizeSerial(255n).hex).toBe('ff');
    expect(() => normalizeSerial(-1n)).toThrow(expect.objectContaining({ code: PkiErrorCode.InvalidArgument }));
    expect(() => normalizeSerial(12 as never)).toThrow(expect.objectContaining({ code: PkiErrorCode.InvalidArgument }));
  });
});
