import { X509Certificate, createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCertificateInfo, parseCertificate, parseCertificateDer, parseCertificates, rawOf } from './certificate.util.js';
import { EKU } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { type TestCa, type TestLeaf, errorCode, makeLeaf, makeTestCa } from './pki-test.fixture.js';

let ca: TestCa;
let leaf: TestLeaf;
beforeAll(async () => {
  ca = await makeTestCa();
  leaf = await makeLeaf(ca);
});

describe('parseCertificate', () => {
  it('reads everything the platform shows about an end-entity certificate', () => {
    const info = parseCertificate(leaf.cert.der);
    const x = new X509Certificate(leaf.cert.der);
    expect(info.version).toBe(3);
    expect(info.serial).toBe(x.serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(info.subject).toBe(
      'CN=Siti Rahmawati,emailAddress=siti@dinkes.example.go.id,title=Kepala Seksi,OU=Dinas Kesehatan,O=Pemerintah Daerah Uji,C=ID',
    );
    expect(info.issuer).toBe('CN=Pemerintah Daerah Uji Issuing CA,O=Pemerintah Daerah Uji,C=ID');
    expect(info.subjectFields).toEqual({
      commonName: 'Siti Rahmawati',
      email: 'siti@dinkes.example.go.id',
      title: 'Kepala Seksi',
      organizationalUnit: 'Dinas Kesehatan',
      organization: 'Pemerintah Daerah Uji',
      country: 'ID',
    });
    expect(info.issuerFields.commonName).toBe('Pemerintah Daerah Uji Issuing CA');
    expect(info.notBefore.getTime()).toBe(new Date(x.validFrom).getTime());
    expect(info.notAfter.getTime()).toBe(new Date(x.validTo).getTime());
    expect(info.fingerprintSha256).toBe(createHash('sha256').update(leaf.cert.der).digest('hex'));
    expect(info.fingerprintSha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(info.email).toBe('siti@dinkes.example.go.id');
    expect(info.emails).toEqual(['siti@dinkes.example.go.id']);
    expect(info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(info.extendedKeyUsage).toEqual([EKU.emailProtection, EKU.documentSigning]);
    expect(info.crlUrls).toEqual(['http://pki.example.go.id/crl']);
    expect(info.ocspUrls).toEqual(['http://pki.example.go.id/ocsp']);
    expect(info.caIssuersUrls).toEqual(['http://pki.example.go.id/ca/issuing.crt']);
    expect(info.isCA).toBe(false);
    expect(info.selfIssued).toBe(false);
    expect(info.authorityKeyIdentifier).toBe(ca.issuing.subjectKeyIdentifier);
    expect(info.publicKey!.equals(leaf.keys.publicKey)).toBe(true);
    expect(info.publicKeyInfo.label).toBe('EC P-256');
    expect(info.pem).toBe(leaf.cert.pem);
    expect(isCertificateInfo(info)).toBe(true);
    expect(isCertificateInfo({ ...info })).toBe(false);
  });

  it('reads CA certificates', () => {
    expect(parseCertificate(ca.root.der)).toMatchObject({ isCA: true, selfIssued: true, keyUsage: ['keyCertSign', 'cRLSign'] });
    expect(parseCertificate(ca.issuing.der)).toMatchObject({
      isCA: true,
      pathLength: 0,
      keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
    });
  });

  it('takes DER, PEM text, PEM bytes and a PEM bundle (first certificate)', () => {
    const bundle = `Bag Attributes\n${leaf.cert.pem}${ca.issuing.pem}\n${ca.root.pem}`;
    expect(parseCertificate(leaf.cert.pem).serial).toBe(leaf.cert.serial);
    expect(parseCertificate(Buffer.from(leaf.cert.pem)).serial).toBe(leaf.cert.serial);
    expect(parseCertificate(new Uint8Array(leaf.cert.der)).serial).toBe(leaf.cert.serial);
    expect(parseCertificate(bundle).serial).toBe(leaf.cert.serial);
    expect(parseCertificates(bundle).map((c) => c.subject)).toEqual([leaf.cert.subject, ca.issuing.subject, ca.root.subject]);
    expect(parseCertificates(leaf.cert.der)).toHaveLength(1);
    const parsed = parseCertificate(leaf.cert.der);
    expect(parseCertificate(parsed)).toBe(parsed);
  });

  it('keeps its own copy of the bytes', () => {
    const copy = Buffer.from(leaf.cert.der);
    const info = parseCertificate(copy);
    copy.fill(0);
    expect(info.der.equals(leaf.cert.der)).toBe(true);
  });

  it('refuses malformed input with MALFORMED_CERTIFICATE', async () => {
    const der = leaf.cert.der;
    const lengthLies = Buffer.from(der);
    lengthLies[3] = (lengthLies[3]! + 1) & 0xff;
    const cases: Array<[string, unknown]> = [
      ['empty', Buffer.alloc(0)],
      ['null', null],
      ['a number', 42],
      ['garbage bytes', Buffer.from('this is not a certificate at all')],
      ['random DER-looking bytes', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])],
      ['truncated DER', der.subarray(0, der.length - 10)],
      ['trailing bytes', Buffer.concat([der, Buffer.from([0])])],
      ['inner length lies', lengthLies],
      ['PEM without certificate', '-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n'],
      ['PEM with bad base64', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'],
      ['plain text', 'hello'],
      ['truncated header', Buffer.from('308201', 'hex')],
    ];
    for (const [name, input] of cases)
      expect(await errorCode(() => parseCertificate(input as string)), name).toBe(PkiErrorCode.MalformedCertificate);
    // Every truncation of the DER fails cleanly (never a non-PkiError crash).
    for (let n = 0; n < der.length; n += 7)
      expect(await errorCode(() => parseCertificateDer(der.subarray(0, n))), `cut at ${n}`).toBe(PkiErrorCode.MalformedCertificate);
  });

  it('exposes raw parts only to the PKI core', async () => {
    const info = parseCertificate(leaf.cert.der);
    expect(rawOf(info).subjectPublicKey.length).toBe(65);
    expect(rawOf(info).issuerName.equals(rawOf(ca.issuing).subjectName)).toBe(true);
    expect(await errorCode(() => rawOf({ ...info }))).toBe(PkiErrorCode.InvalidArgument);
  });
});
