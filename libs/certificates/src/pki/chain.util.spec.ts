import { type KeyObject, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssuingCa } from './ca.util.js';
import { parseCertificate, rawOf } from './certificate.util.js';
import { verifyChain } from './chain.util.js';
import { DER_TRUE, algorithmIdentifier, bitString, explicit, extension, integer, sequence, x509Time } from './der.util.js';
import { generateKeyPair, keyIdentifier, signWith, signatureAlgorithmFor, spkiOf } from './key.util.js';
import { type DistinguishedName, encodeName } from './name.util.js';
import { OID } from './pki.constants.js';
import { DAY, type TestCa, type TestLeaf, makeLeaf, makeTestCa } from './pki-test.fixture.js';

/** A certificate assembled by hand, for shapes the CA functions refuse to make. */
function craft(o: {
  issuerName: Buffer;
  signerKey: KeyObject;
  subject: DistinguishedName;
  publicKey: KeyObject;
  extensions: Buffer[];
  notBefore?: Date;
  notAfter?: Date;
  outerAlgorithm?: Buffer;
  innerAlgorithm?: Buffer;
}): Buffer {
  const alg = signatureAlgorithmFor(o.signerKey);
  const inner = o.innerAlgorithm ?? alg.algorithmIdentifier;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(BigInt(`0x${randomBytes(8).toString('hex')}`) + 1n),
    inner,
    o.issuerName,
    sequence(x509Time(o.notBefore ?? new Date(Date.now() - DAY)), x509Time(o.notAfter ?? new Date(Date.now() + DAY))),
    encodeName(o.subject),
    spkiOf(o.publicKey),
    explicit(3, sequence(...o.extensions)),
  );
  return sequence(tbs, o.outerAlgorithm ?? inner, bitString(signWith(o.signerKey, alg, tbs)));
}

let ca: TestCa;
let rsa: TestCa;
let leaf: TestLeaf;
beforeAll(async () => {
  [ca, rsa] = await Promise.all([makeTestCa('ecdsa-p256'), makeTestCa('rsa-2048')]);
  leaf = await makeLeaf(ca);
});

describe('verifyChain', () => {
  it('accepts leaf → issuing → root (ECDSA and RSA) and returns the path', async () => {
    const r = verifyChain({ leaf: leaf.cert.der, intermediates: [ca.issuing.der], roots: [ca.root.der] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.chain.map((c) => c.subject)).toEqual([leaf.cert.subject, ca.issuing.subject, ca.root.subject]);
    const rsaLeaf = await makeLeaf(rsa);
    expect(verifyChain({ leaf: rsaLeaf.cert.pem, intermediates: [rsa.issuing.pem], roots: [rsa.root.pem] }).ok).toBe(true);
  });

  it('accepts CertificateInfo objects, and the issuing CA given as a root', () => {
    expect(verifyChain({ leaf: leaf.cert, roots: [ca.issuing] }).ok).toBe(true);
  });

  it('accepts a trust anchor given as the leaf', () => {
    const r = verifyChain({ leaf: ca.root.der, roots: [ca.root.der] });
    expect(r.ok && r.chain.length).toBe(1);
  });

  it('reports an unknown issuer when the root or the intermediate is missing or foreign', () => {
    expect(verifyChain({ leaf: leaf.cert.der, intermediates: [ca.issuing.der], roots: [] })).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_ISSUER',
      subject: ca.issuing.subject,
    });
    expect(verifyChain({ leaf: leaf.cert.der, roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_ISSUER',
      subject: leaf.cert.subject,
    });
    expect(verifyChain({ leaf: leaf.cert.der, intermediates: [rsa.issuing.der], roots: [rsa.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_ISSUER',
    });
  });

  it('reports an unknown issuer for a same-named CA with another key (key identifiers differ)', async () => {
    const twin = await makeTestCa('ecdsa-p256'); // same names, different keys
    expect(twin.issuing.subject).toBe(ca.issuing.subject);
    expect(verifyChain({ leaf: leaf.cert.der, intermediates: [twin.issuing.der], roots: [twin.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_ISSUER',
    });
  });

  it('reports a signature mismatch for a tampered signature or tampered contents', () => {
    const badSig = Buffer.from(leaf.cert.der);
    badSig[badSig.length - 1]! ^= 0x01;
    expect(verifyChain({ leaf: badSig, intermediates: [ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'SIGNATURE_MISMATCH',
    });
    const badTbs = Buffer.from(leaf.cert.der);
    const at = badTbs.indexOf(Buffer.from('Siti'));
    badTbs[at] = 'B'.charCodeAt(0);
    const r = verifyChain({ leaf: badTbs, intermediates: [ca.issuing.der], roots: [ca.root.der] });
    expect(r).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    if (!r.ok) expect(r.message).toContain('(signature does not verify)');
  });

  it('reports a signature mismatch when the outer and TBS signature algorithms differ', () => {
    const der = craft({
      issuerName: rawOf(ca.issuing).subjectName,
      signerKey: ca.issuingKeys.privateKey,
      subject: { commonName: 'Mismatch' },
      publicKey: leaf.keys.publicKey,
      extensions: [
        extension(
          OID.authorityKeyIdentifier,
          false,
          sequence(Buffer.concat([Buffer.from([0x80, 20]), Buffer.from(ca.issuing.subjectKeyIdentifier!, 'hex')])),
        ),
      ],
      outerAlgorithm: algorithmIdentifier(OID.ecdsaWithSha384),
    });
    expect(verifyChain({ leaf: der, intermediates: [ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'SIGNATURE_MISMATCH',
    });
  });

  it('reports an unsupported signature algorithm', () => {
    const der = craft({
      issuerName: rawOf(ca.issuing).subjectName,
      signerKey: ca.issuingKeys.privateKey,
      subject: { commonName: 'GOST' },
      publicKey: leaf.keys.publicKey,
      extensions: [],
      innerAlgorithm: algorithmIdentifier('1.2.643.7.1.1.3.2'),
    });
    expect(parseCertificate(der).signatureAlgorithm).toBe('1.2.643.7.1.1.3.2');
    expect(verifyChain({ leaf: der, intermediates: [ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNSUPPORTED_ALGORITHM',
    });
  });

  it('checks validity periods at the given time, the issuers’ too', async () => {
    const chain = { leaf: leaf.cert.der, intermediates: [ca.issuing.der], roots: [ca.root.der] };
    expect(verifyChain({ ...chain, at: new Date(leaf.cert.notAfter.getTime() + 1000) })).toMatchObject({
      ok: false,
      reason: 'EXPIRED',
      subject: leaf.cert.subject,
    });
    expect(verifyChain({ ...chain, at: new Date(leaf.cert.notBefore.getTime() - 1000) })).toMatchObject({
      ok: false,
      reason: 'NOT_YET_VALID',
    });
    expect(verifyChain({ ...chain, at: leaf.cert.notAfter }).ok).toBe(true);
    // An issuing CA that starts after the leaf does: at a time inside the leaf only, the CA is at fault.
    const keys = await generateKeyPair('ecdsa-p256');
    const now = Date.now();
    const late = await createIssuingCa({
      keys,
      issuer: { certificate: ca.root.der, privateKey: ca.rootKeys.privateKey },
      subject: { commonName: 'Late CA' },
      notBefore: new Date(now),
      notAfter: new Date(now + 30 * DAY),
    });
    const early = await makeLeaf(
      { ...ca, issuer: { certificate: late.der, privateKey: keys.privateKey } },
      { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now + 10 * DAY) },
    );
    expect(
      verifyChain({ leaf: early.cert.der, intermediates: [late.der], roots: [ca.root.der], at: new Date(now - 5 * DAY) }),
    ).toMatchObject({
      ok: false,
      reason: 'NOT_YET_VALID',
      subject: late.subject,
    });
  });

  it('finds the valid one of two certificates for the same CA key (re-issued issuing CA)', async () => {
    const now = Date.now();
    const expired = await createIssuingCa({
      keys: ca.issuingKeys,
      issuer: { certificate: ca.root.der, privateKey: ca.rootKeys.privateKey },
      subject: { commonName: 'Pemerintah Daerah Uji Issuing CA', organization: 'Pemerintah Daerah Uji' },
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now - 5 * DAY),
    });
    expect(expired.subject).toBe(ca.issuing.subject);
    const r = verifyChain({ leaf: leaf.cert.der, intermediates: [expired.der, ca.issuing.der], roots: [ca.root.der] });
    expect(r.ok).toBe(true);
    expect(verifyChain({ leaf: leaf.cert.der, intermediates: [expired.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'EXPIRED',
      subject: expired.subject,
    });
  });

  it('refuses an end-entity certificate acting as a CA', () => {
    const der = craft({
      issuerName: rawOf(leaf.cert).subjectName,
      signerKey: leaf.keys.privateKey,
      subject: { commonName: 'Signed by a leaf' },
      publicKey: leaf.keys.publicKey,
      extensions: [],
    });
    expect(verifyChain({ leaf: der, intermediates: [leaf.cert.der, ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'NOT_A_CA',
      subject: leaf.cert.subject,
    });
  });

  it('refuses a CA certificate whose keyUsage lacks keyCertSign', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const spki = spkiOf(keys.publicKey);
    const caDer = craft({
      issuerName: rawOf(ca.root).subjectName,
      signerKey: ca.rootKeys.privateKey,
      subject: { commonName: 'CA without keyCertSign' },
      publicKey: keys.publicKey,
      extensions: [
        extension(OID.basicConstraints, true, sequence(DER_TRUE)),
        extension(OID.keyUsage, true, Buffer.from([0x03, 0x02, 0x07, 0x80])),
        extension(OID.subjectKeyIdentifier, false, Buffer.concat([Buffer.from([0x04, 20]), keyIdentifier(spki)])),
      ],
    });
    const sub = parseCertificate(caDer);
    expect(sub.isCA).toBe(true);
    const der = craft({
      issuerName: rawOf(sub).subjectName,
      signerKey: keys.privateKey,
      subject: { commonName: 'Leaf' },
      publicKey: leaf.keys.publicKey,
      extensions: [],
    });
    expect(verifyChain({ leaf: der, intermediates: [caDer], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'NOT_A_CA',
      subject: sub.subject,
    });
  });

  it('enforces pathLen: a sub-CA under the pathLen-0 issuing CA may not issue', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const sub = await createIssuingCa({
      keys,
      issuer: ca.issuer,
      subject: { commonName: 'Sub-issuing CA' },
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    const deep = await makeLeaf(
      { ...ca, issuer: { certificate: sub.der, privateKey: keys.privateKey } },
      { notAfter: new Date(Date.now() + 7 * DAY) },
    );
    expect(verifyChain({ leaf: deep.cert.der, intermediates: [sub.der, ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'PATH_LENGTH_EXCEEDED',
      subject: ca.issuing.subject,
    });
  });

  it('refuses unknown critical extensions and accepts unknown non-critical ones', () => {
    const make = (critical: boolean) =>
      craft({
        issuerName: rawOf(ca.issuing).subjectName,
        signerKey: ca.issuingKeys.privateKey,
        subject: { commonName: 'Odd extension' },
        publicKey: leaf.keys.publicKey,
        extensions: [extension('1.3.6.1.4.1.99999.7', critical, Buffer.from([0x05, 0x00]))],
      });
    expect(verifyChain({ leaf: make(true), intermediates: [ca.issuing.der], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNSUPPORTED_CRITICAL_EXTENSION',
    });
    expect(verifyChain({ leaf: make(false), intermediates: [ca.issuing.der], roots: [ca.root.der] }).ok).toBe(true);
  });

  it('reports a malformed leaf and ignores unreadable intermediates and roots', () => {
    expect(verifyChain({ leaf: Buffer.from('junk'), roots: [ca.root.der] })).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(
      verifyChain({ leaf: leaf.cert.der, intermediates: [Buffer.from('junk'), ca.issuing.der], roots: ['not pem', ca.root.der] }).ok,
    ).toBe(true);
  });

  it('does not loop on a certificate that names itself as issuer but is not an anchor', () => {
    const keys = leaf.keys;
    const selfish = craft({
      issuerName: encodeName({ commonName: 'Loop' }),
      signerKey: keys.privateKey,
      subject: { commonName: 'Loop' },
      publicKey: keys.publicKey,
      extensions: [],
    });
    expect(verifyChain({ leaf: selfish, intermediates: [selfish], roots: [ca.root.der] })).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_ISSUER',
    });
  });
});
