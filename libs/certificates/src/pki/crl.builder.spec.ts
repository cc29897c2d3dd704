import { createPublicKey, verify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, CRLNumber, CRLReason, CertificateList } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRL_REASONS, CRL_REASON_CODES, type RevokedCertificate, buildCrl } from './crl.builder.js';
import { generateKeyPair } from './key.util.js';
import { OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { DAY, type TestCa, errorCode, makeLeaf, makeTestCa } from './pki-test.fixture.js';

let ec: TestCa;
let rsa: TestCa;
beforeAll(async () => {
  [ec, rsa] = await Promise.all([makeTestCa('ecdsa-p256'), makeTestCa('rsa-2048')]);
});

const thisUpdate = new Date(Date.UTC(2026, 10, 23, 8, 0, 0));
const nextUpdate = new Date(thisUpdate.getTime() + DAY);

function parse(der: Buffer) {
  const crl = AsnConvert.parse(der, CertificateList);
  return {
    crl,
    entries: (crl.tbsCertList.revokedCertificates ?? []).map((e) => ({
      serial: Buffer.from(e.userCertificate).toString('hex'),
      date: e.revocationDate.getTime().getTime(),
      utc: e.revocationDate.utcTime !== undefined,
      reason: e.crlEntryExtensions?.find((x) => x.extnID === OID.reasonCode),
    })),
  };
}

describe('buildCrl', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)('signs a v2 CRL (%s) with CRL number, AKI and the issuer name of the CA', async (alg) => {
    const ca = alg === 'ecdsa-p256' ? ec : rsa;
    const der = await buildCrl({
      issuer: ca.issuer,
      thisUpdate,
      nextUpdate,
      crlNumber: 42n,
      revoked: [{ serial: 'abc', revokedAt: thisUpdate, reason: 'keyCompromise' }],
    });
    const { crl } = parse(der);
    expect(crl.tbsCertList.version).toBe(1);
    expect(crl.tbsCertList.signature.algorithm).toBe(alg === 'ecdsa-p256' ? OID.ecdsaWithSha256 : OID.sha256WithRSAEncryption);
    expect(Buffer.from(AsnConvert.serialize(crl.tbsCertList.issuer)).toString('hex')).toBe(
      Buffer.from(
        AsnConvert.serialize(AsnConvert.parse(ca.issuing.der, (await import('@peculiar/asn1-x509')).Certificate).tbsCertificate.subject),
      ).toString('hex'),
    );
    expect(crl.tbsCertList.thisUpdate.getTime().toISOString()).toBe(thisUpdate.toISOString());
    expect(crl.tbsCertList.nextUpdate!.getTime().toISOString()).toBe(nextUpdate.toISOString());
    const exts = new Map(crl.tbsCertList.crlExtensions!.map((e) => [e.extnID, e]));
    expect(AsnConvert.parse(exts.get(OID.cRLNumber)!.extnValue.buffer, CRLNumber).value).toBe(42);
    expect(
      Buffer.from(
        AsnConvert.parse(exts.get(OID.authorityKeyIdentifier)!.extnValue.buffer, AuthorityKeyIdentifier).keyIdentifier!.buffer,
      ).toString('hex'),
    ).toBe(ca.issuing.subjectKeyIdentifier);
    // The signature covers the TBS with the issuing CA's key.
    const tbs = Buffer.from(AsnConvert.serialize(crl.tbsCertList));
    expect(verify('sha256', tbs, ca.issuingKeys.publicKey, Buffer.from(crl.signature))).toBe(true);
    expect(verify('sha256', tbs, ca.rootKeys.publicKey, Buffer.from(crl.signature))).toBe(false);
  });

  it('encodes every entry: serial normalised (colons, case, leading zeros, bigint, top bit), date and reason code', async () => {
    const revoked: RevokedCertificate[] = [
      { serial: '0A:BC:DE', revokedAt: new Date(Date.UTC(2026, 0, 1, 1, 2, 3, 999)) },
      { serial: 'FF', revokedAt: thisUpdate, reason: 'superseded' },
      { serial: '00ff', revokedAt: thisUpdate, reason: 'unspecified' },
      { serial: 0x80n, revokedAt: thisUpdate, reason: 'aACompromise' },
      { serial: '7fffffffffffffffffffffffffffffffffffffff', revokedAt: new Date(Date.UTC(2050, 5, 1)), reason: 'cessationOfOperation' },
      { serial: 'f', revokedAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 59)) },
    ];
    const { entries } = parse(await buildCrl({ issuer: ec.issuer, thisUpdate, nextUpdate, crlNumber: 1, revoked }));
    expect(entries.map((e) => e.serial)).toEqual(['0abcde', '00ff', '00ff', '0080', '7fffffffffffffffffffffffffffffffffffffff', '0f']);
    expect(entries.map((e) => new Date(e.date).toISOString())).toEqual([
      '2026-01-01T01:02:03.000Z',
      thisUpdate.toISOString(),
      thisUpdate.toISOString(),
      thisUpdate.toISOString(),
      '2050-06-01T00:00:00.000Z',
      '1999-12-31T23:59:59.000Z',
    ]);
    expect(entries.map((e) => e.utc)).toEqual([true, true, true, true, false, true]);
    expect(entries.map((e) => (e.reason ? AsnConvert.parse(e.reason.extnValue.buffer, CRLReason).reason : null))).toEqual([
      null,
      4,
      null,
      10,
      5,
      null,
    ]);
    expect(entries.every((e) => !e.reason?.critical)).toBe(true);
  });

  it('writes all ten RFC 5280 reasons with their codes (unspecified as no extension)', async () => {
    const revoked = CRL_REASONS.map((reason, i) => ({ serial: (i + 1).toString(16), revokedAt: thisUpdate, reason }));
    const { entries } = parse(await buildCrl({ issuer: ec.issuer, thisUpdate, nextUpdate, crlNumber: 2, revoked }));
    const codes = entries.map((e) => (e.reason ? AsnConvert.parse(e.reason.extnValue.buffer, CRLReason).reason : 0));
    expect(codes).toEqual(CRL_REASONS.map((r) => CRL_REASON_CODES[r]));
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10]);
  });

  it('omits revokedCertificates when nothing is revoked', async () => {
    const { crl } = parse(await buildCrl({ issuer: ec.issuer, thisUpdate, nextUpdate, crlNumber: 0, revoked: [] }));
    expect(crl.tbsCertList.revokedCertificates).toBeUndefined();
  });

  it('encodes many entries (long-form lengths) exactly', async () => {
    const n = 1000; // the independent parser caps its node count; 100 000 entries are checked with OpenSSL in test/integration
    const revoked = Array.from({ length: n }, (_, i) => ({
      serial: (BigInt(i) * 0x1_0000_0001n + 1n).toString(16),
      revokedAt: new Date(thisUpdate.getTime() - i * 1000),
      reason: CRL_REASONS[i % 10],
    }));
    const der = await buildCrl({ issuer: ec.issuer, thisUpdate, nextUpdate, crlNumber: 2n ** 100n, revoked });
    const { crl, entries } = parse(der);
    expect(entries).toHaveLength(n);
    expect(BigInt(`0x${entries[n - 1]!.serial}`)).toBe(BigInt(n - 1) * 0x1_0000_0001n + 1n);
    expect(entries[n - 1]!.date).toBe(thisUpdate.getTime() - (n - 1) * 1000);
    const crlNumber = crl.tbsCertList.crlExtensions!.find((e) => e.extnID === OID.cRLNumber)!;
    expect(Buffer.from(crlNumber.extnValue.buffer).toString('hex')).toBe(`020d10${'00'.repeat(12)}`);
  });

  it('refuses bad input with typed errors', async () => {
    const leaf = await makeLeaf(ec);
    const base = { issuer: ec.issuer, thisUpdate, nextUpdate, crlNumber: 1, revoked: [] as RevokedCertificate[] };
    const otherKey = (await generateKeyPair('ecdsa-p256')).privateKey;
    const cases: Array<[string, Record<string, unknown>, PkiErrorCode]> = [
      ['nextUpdate before thisUpdate', { nextUpdate: thisUpdate }, PkiErrorCode.InvalidValidity],
      ['invalid date', { thisUpdate: new Date('x') }, PkiErrorCode.InvalidValidity],
      ['negative CRL number', { crlNumber: -1 }, PkiErrorCode.InvalidArgument],
      ['huge CRL number', { crlNumber: 2n ** 160n }, PkiErrorCode.InvalidArgument],
      ['zero serial', { revoked: [{ serial: '000', revokedAt: thisUpdate }] }, PkiErrorCode.InvalidArgument],
      ['negative bigint serial', { revoked: [{ serial: -5n, revokedAt: thisUpdate }] }, PkiErrorCode.InvalidArgument],
      ['non-hex serial', { revoked: [{ serial: '12g4', revokedAt: thisUpdate }] }, PkiErrorCode.InvalidArgument],
      ['serial over 20 octets', { revoked: [{ serial: '1'.repeat(41), revokedAt: thisUpdate }] }, PkiErrorCode.InvalidArgument],
      ['number serial', { revoked: [{ serial: 5, revokedAt: thisUpdate }] }, PkiErrorCode.InvalidArgument],
      ['bad revokedAt', { revoked: [{ serial: 'a', revokedAt: 'yesterday' }] }, PkiErrorCode.InvalidArgument],
      ['unknown reason', { revoked: [{ serial: 'a', revokedAt: thisUpdate, reason: 'lost' }] }, PkiErrorCode.InvalidArgument],
      ['issuer not a CA', { issuer: { certificate: leaf.cert.der, privateKey: leaf.keys.privateKey } }, PkiErrorCode.NotACa],
      ['wrong key', { issuer: { certificate: ec.issuing.der, privateKey: otherKey } }, PkiErrorCode.KeyMismatch],
      ['public key', { issuer: { certificate: ec.issuing.der, privateKey: createPublicKey(otherKey) } }, PkiErrorCode.KeyMismatch],
      ['garbage issuer', { issuer: { certificate: Buffer.from('x'), privateKey: otherKey } }, PkiErrorCode.MalformedCertificate],
    ];
    for (const [name, override, code] of cases) expect(await errorCode(() => buildCrl({ ...base, ...override } as never)), name).toBe(code);
  });
});
