import { describe, expect, it } from 'vitest';
import { DEFAULT_END_ENTITY_EKU, keyUsage, profileExtensions } from './certificate-profile.js';
import { bytesOf, children, readRoot, sequence } from './der.util.js';
import { parseExtensions } from './extension.util.js';
import { EKU, OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { errorCode } from './pki-test.fixture.js';

const ski = Buffer.alloc(20, 1);
const aki = Buffer.alloc(20, 2);
const read = (der: Buffer) => parseExtensions(der, readRoot(der));

describe('keyUsage', () => {
  it('encodes named bits in DER (trailing zero bits dropped, unused count set)', () => {
    const value = (b: Buffer) => b.subarray(b.length - 4).toString('hex');
    expect(value(keyUsage(['digitalSignature', 'nonRepudiation']))).toBe('030206c0');
    expect(value(keyUsage(['keyCertSign', 'cRLSign']))).toBe('03020106');
    expect(value(keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign']))).toBe('03020186');
    expect(value(keyUsage(['digitalSignature']))).toBe('03020780');
    expect(keyUsage(['decipherOnly']).subarray(-5).toString('hex')).toBe('0303070080');
  });
});

describe('profileExtensions', () => {
  it('root-ca: CA without path length, keyCertSign + cRLSign, both critical', () => {
    const e = read(profileExtensions('root-ca', { subjectKeyIdentifier: ski, authorityKeyIdentifier: ski }));
    expect(e).toMatchObject({ isCA: true, keyUsage: ['keyCertSign', 'cRLSign'], critical: [OID.basicConstraints, OID.keyUsage] });
    expect(e.pathLength).toBeUndefined();
    expect(e.subjectKeyIdentifier!.equals(ski)).toBe(true);
    expect(e.authorityKeyIdentifier!.equals(ski)).toBe(true);
  });

  it('issuing-ca: pathLen 0 by default, digitalSignature for OCSP, URLs when given', () => {
    const e = read(
      profileExtensions('issuing-ca', {
        subjectKeyIdentifier: ski,
        authorityKeyIdentifier: aki,
        crlUrl: 'http://x.go.id/root.crl',
        caIssuersUrl: 'https://x.go.id/root.crt',
      }),
    );
    expect(e).toMatchObject({
      isCA: true,
      pathLength: 0,
      keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
      crlUrls: ['http://x.go.id/root.crl'],
      caIssuersUrls: ['https://x.go.id/root.crt'],
      ocspUrls: [],
    });
    expect(
      read(profileExtensions('issuing-ca', { subjectKeyIdentifier: ski, authorityKeyIdentifier: aki, pathLength: 2 })).pathLength,
    ).toBe(2);
  });

  it('end-entity: not a CA, signing key usages, default EKUs, SAN e-mail, CRL DP, AIA, policies', () => {
    const e = read(
      profileExtensions('end-entity', {
        subjectKeyIdentifier: ski,
        authorityKeyIdentifier: aki,
        email: 'a@b.go.id',
        crlUrl: 'http://x.go.id/crl',
        ocspUrl: 'http://x.go.id/ocsp',
        caIssuersUrl: 'http://x.go.id/ca.crt',
        policies: ['1.2.3', { oid: '1.2.4', cpsUri: 'https://x.go.id/cps' }],
      }),
    );
    expect(e).toMatchObject({
      isCA: false,
      basicConstraintsPresent: true,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: [...DEFAULT_END_ENTITY_EKU],
      emails: ['a@b.go.id'],
      crlUrls: ['http://x.go.id/crl'],
      ocspUrls: ['http://x.go.id/ocsp'],
      caIssuersUrls: ['http://x.go.id/ca.crt'],
      policies: ['1.2.3', '1.2.4'],
      critical: [OID.basicConstraints, OID.keyUsage],
    });
    expect(DEFAULT_END_ENTITY_EKU).toEqual([EKU.emailProtection, EKU.documentSigning]);
  });

  it('ocsp-signer: OCSPSigning and ocsp-nocheck', () => {
    const e = read(profileExtensions('ocsp-signer', { subjectKeyIdentifier: ski, authorityKeyIdentifier: aki }));
    expect(e).toMatchObject({ isCA: false, keyUsage: ['digitalSignature'], extendedKeyUsage: [EKU.ocspSigning], ocspNoCheck: true });
  });

  it('refuses bad values', async () => {
    const base = { subjectKeyIdentifier: ski, authorityKeyIdentifier: aki };
    expect(await errorCode(() => profileExtensions('issuing-ca', { ...base, pathLength: 1.5 }))).toBe(PkiErrorCode.InvalidArgument);
    expect(await errorCode(() => profileExtensions('issuing-ca', { ...base, pathLength: 11 }))).toBe(PkiErrorCode.InvalidArgument);
    expect(await errorCode(() => profileExtensions('end-entity', { ...base, ocspUrl: 'http://has space/x' }))).toBe(
      PkiErrorCode.InvalidArgument,
    );
    expect(await errorCode(() => profileExtensions('end-entity', { ...base, caIssuersUrl: 'file:///etc/passwd' }))).toBe(
      PkiErrorCode.InvalidArgument,
    );
    expect(
      await errorCode(() => profileExtensions('end-entity', { ...base, policies: [{ oid: '1.2.3', cpsUri: 'javascript:alert(1)' }] })),
    ).toBe(PkiErrorCode.InvalidArgument);
  });
});

describe('parseExtensions', () => {
  it('refuses duplicate extensions', () => {
    const one = profileExtensions('ocsp-signer', { subjectKeyIdentifier: ski, authorityKeyIdentifier: aki });
    const exts = children(one, readRoot(one)).map((t) => bytesOf(one, t));
    expect(() => read(sequence(...exts, exts[0]!))).toThrow(/duplicate/);
  });
});
