import { createHash, verify } from 'node:crypto';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  Signature,
  TBSRequest,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension, GeneralName } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { issueOcspSignerCertificate } from './ca.util.js';
import { rawOf } from './certificate.util.js';
import { generateKeyPair } from './key.util.js';
import { createOcspResponder, ocspErrorResponse, parseOcspRequest, type OcspCertStatus, type OcspLookup } from './ocsp.responder.js';
import { OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { DAY, type TestCa, type TestLeaf, errorCode, makeLeaf, makeTestCa } from './pki-test.fixture.js';

type Hash = 'sha1' | 'sha256';
const HASH_OID: Record<Hash, string> = { sha1: OID.sha1, sha256: OID.sha256 };

/** A CertID for `serialHex` under `issuer`, built with an independent ASN.1 library. */
function certId(ca: TestCa, serialHex: string, hash: Hash = 'sha1'): CertID {
  const raw = rawOf(ca.issuing);
  const serial = Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, 'hex');
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: HASH_OID[hash], parameters: null }),
    issuerNameHash: new OctetString(createHash(hash).update(raw.subjectName).digest()),
    issuerKeyHash: new OctetString(createHash(hash).update(raw.subjectPublicKey).digest()),
    serialNumber: new Uint8Array(serial[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), serial]) : serial).buffer,
  });
}

function nonceExtension(nonce: Buffer, wrapped = true): Extension {
  return new Extension({
    extnID: OID.ocspNonce,
    critical: false,
    extnValue: new OctetString(wrapped ? AsnConvert.serialize(new OctetString(nonce)) : nonce),
  });
}

function request(ids: CertID[], opts: { nonce?: Buffer; rawNonce?: boolean; signed?: boolean; requestor?: boolean } = {}): Buffer {
  const tbs = new TBSRequest({
    requestList: ids.map((reqCert) => new Request({ reqCert })),
    ...(opts.nonce ? { requestExtensions: [nonceExtension(opts.nonce, !opts.rawNonce)] } : {}),
    ...(opts.requestor ? { requestorName: new GeneralName({ rfc822Name: 'rp@example.go.id' }) } : {}),
  });
  const req = new OCSPRequest({
    tbsRequest: tbs,
    ...(opts.signed
      ? {
          optionalSignature: new Signature({
            signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
            signature: new Uint8Array([1, 2, 3]).buffer,
          }),
        }
      : {}),
  });
  return Buffer.from(AsnConvert.serialize(req));
}

function decode(der: Buffer) {
  const resp = AsnConvert.parse(der, OCSPResponse);
  if (resp.responseStatus !== OCSPResponseStatus.successful) return { status: resp.responseStatus };
  expect(resp.responseBytes!.responseType).toBe(OID.ocspBasic);
  const basicDer = resp.responseBytes!.response.buffer;
  const basic = AsnConvert.parse(basicDer, BasicOCSPResponse);
  return { status: resp.responseStatus, basic, tbs: Buffer.from(AsnConvert.serialize(basic.tbsResponseData)) };
}

let ca: TestCa;
let rsa: TestCa;
let good: TestLeaf;
let revoked: TestLeaf;
const revokedAt = new Date(Date.UTC(2026, 10, 1, 2, 3, 4));
let lookup: OcspLookup;
beforeAll(async () => {
  [ca, rsa] = await Promise.all([makeTestCa('ecdsa-p256'), makeTestCa('rsa-2048')]);
  [good, revoked] = await Promise.all([makeLeaf(ca), makeLeaf(ca)]);
  const table = new Map<string, OcspCertStatus>([
    [good.cert.serial, { status: 'good' }],
    [revoked.cert.serial, { status: 'revoked', revokedAt, reason: 'keyCompromise' }],
  ]);
  lookup = async (serial) => table.get(serial) ?? { status: 'unknown' };
});

describe('parseOcspRequest', () => {
  it('reads CertIDs under SHA-1 and SHA-256, serials normalised, and the nonce', () => {
    const nonce = Buffer.from('0123456789abcdef');
    const der = request([certId(ca, good.cert.serial), certId(ca, 'ff', 'sha256')], { nonce });
    const info = parseOcspRequest(der);
    expect(info.certIds.map((c) => [c.hashAlgorithm, c.serial])).toEqual([
      ['sha1', good.cert.serial],
      ['sha256', 'ff'],
    ]);
    expect(info.certIds[0]!.issuerNameHash.equals(createHash('sha1').update(rawOf(ca.issuing).subjectName).digest())).toBe(true);
    expect(info.certIds[1]!.issuerKeyHash.length).toBe(32);
    expect(info.certIds[0]!.der.equals(Buffer.from(AsnConvert.serialize(certId(ca, good.cert.serial))))).toBe(true);
    expect(info.nonce!.equals(nonce)).toBe(true);
    expect(info.signed).toBe(false);
  });

  it('accepts requestorName, a (not checked) signature, a raw nonce and an unknown hash algorithm', () => {
    const id = certId(ca, '1234');
    id.hashAlgorithm = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.2.5', parameters: null });
    const info = parseOcspRequest(request([id], { signed: true, requestor: true, nonce: Buffer.from('raw-nonce-bytes!'), rawNonce: true }));
    expect(info.signed).toBe(true);
    expect(info.certIds[0]!.hashAlgorithm).toBe('1.2.840.113549.2.5');
    expect(info.nonce!.toString()).toBe('raw-nonce-bytes!');
  });

  it('refuses garbage and out-of-range requests with MALFORMED_OCSP_REQUEST', async () => {
    const ok = request([certId(ca, '01')]);
    const cases: Array<[string, unknown]> = [
      ['empty', Buffer.alloc(0)],
      ['not bytes', 'hello'],
      ['garbage', Buffer.from('GET / HTTP/1.1\r\n')],
      ['truncated', ok.subarray(0, ok.length - 3)],
      ['trailing bytes', Buffer.concat([ok, Buffer.from([0])])],
      ['no requests', request([])],
      ['too many requests', request(Array.from({ length: 21 }, (_, i) => certId(ca, (i + 1).toString(16))))],
      ['empty nonce', request([certId(ca, '01')], { nonce: Buffer.alloc(0) })],
      ['33-byte nonce', request([certId(ca, '01')], { nonce: Buffer.alloc(33, 1) })],
      ['oversized', Buffer.alloc(70_000, 0x30)],
      ['a certificate', ca.issuing.der],
    ];
    for (const [name, input] of cases)
      expect(await errorCode(() => parseOcspRequest(input as Buffer)), name).toBe(PkiErrorCode.MalformedOcspRequest);
    expect(
      parseOcspRequest(request(Array.from({ length: 21 }, (_, i) => certId(ca, (i + 1).toString(16)))), { maxCertIds: 21 }).certIds,
    ).toHaveLength(21);
    for (let n = 0; n < ok.length; n += 3)
      expect(await errorCode(() => parseOcspRequest(ok.subarray(0, n))), `cut at ${n}`).toBe(PkiErrorCode.MalformedOcspRequest);
  });
});

describe('OCSP responder', () => {
  it('answers good, revoked (time and reason) and unknown, echoing the CertIDs and the nonce, signed by the CA', async () => {
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey });
    const now = new Date(Date.UTC(2026, 10, 23, 8, 30, 15, 500));
    const nonce = Buffer.from('fedcba9876543210');
    const ids = [certId(ca, good.cert.serial), certId(ca, revoked.cert.serial, 'sha256'), certId(ca, 'abcdef')];
    const der = await responder.respond(request(ids, { nonce }), lookup, now);
    const { status, basic, tbs } = decode(der);
    expect(status).toBe(OCSPResponseStatus.successful);
    const data = basic!.tbsResponseData;
    expect(data.producedAt.toISOString()).toBe('2026-11-23T08:30:15.000Z');
    expect(Buffer.from(data.responderID.byKey!.buffer).equals(createHash('sha1').update(rawOf(ca.issuing).subjectPublicKey).digest())).toBe(
      true,
    );
    expect(data.responses.map((r) => Buffer.from(AsnConvert.serialize(r.certID)).toString('hex'))).toEqual(
      ids.map((id) => Buffer.from(AsnConvert.serialize(id)).toString('hex')),
    );
    const [g, r, u] = data.responses;
    expect(g!.certStatus.good).toBeNull();
    expect(r!.certStatus.revoked!.revocationTime.toISOString()).toBe(revokedAt.toISOString());
    expect(r!.certStatus.revoked!.revocationReason!.reason).toBe(1);
    expect(u!.certStatus.unknown).toBeNull();
    for (const s of data.responses) {
      expect(s.thisUpdate.toISOString()).toBe('2026-11-23T08:30:15.000Z');
      expect(s.nextUpdate!.toISOString()).toBe('2026-11-23T09:30:15.000Z');
    }
    const echoed = data.responseExtensions!.find((e) => e.extnID === OID.ocspNonce)!;
    expect(Buffer.from(AsnConvert.parse(echoed.extnValue.buffer, OctetString).buffer).equals(nonce)).toBe(true);
    expect(basic!.signatureAlgorithm.algorithm).toBe(OID.ecdsaWithSha256);
    expect(verify('sha256', tbs!, ca.issuingKeys.publicKey, Buffer.from(basic!.signature))).toBe(true);
    expect(basic!.certs).toBeUndefined();
  });

  it('signs with RSA too, can include the CA certificate, and honours validitySeconds', async () => {
    const responder = createOcspResponder({
      issuerCertificate: rsa.issuing.pem,
      signerKey: rsa.issuingKeys.privateKey,
      includeSignerCertificate: true,
      validitySeconds: 600,
    });
    const rsaLeaf = await makeLeaf(rsa);
    const now = new Date(Date.UTC(2026, 0, 1));
    const { basic, tbs } = decode(await responder.respond(request([certId(rsa, rsaLeaf.cert.serial)]), () => ({ status: 'good' }), now));
    expect(basic!.signatureAlgorithm.algorithm).toBe(OID.sha256WithRSAEncryption);
    expect(verify('sha256', tbs!, rsa.issuingKeys.publicKey, Buffer.from(basic!.signature))).toBe(true);
    expect(basic!.certs).toHaveLength(1);
    expect(Buffer.from(AsnConvert.serialize(basic!.certs![0]!)).equals(rsa.issuing.der)).toBe(true);
    expect(basic!.tbsResponseData.responses[0]!.nextUpdate!.getTime() - now.getTime()).toBe(600_000);
    expect(basic!.tbsResponseData.responseExtensions).toBeUndefined(); // no nonce asked, none sent
  });

  it('answers unknown for CertIDs of another issuer without asking the lookup', async () => {
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey });
    const spy = vi.fn(lookup);
    const foreign = certId(rsa, good.cert.serial);
    const md5 = certId(ca, good.cert.serial);
    md5.hashAlgorithm = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.2.5', parameters: null });
    const { basic } = decode(await responder.respond(request([foreign, md5, certId(ca, good.cert.serial, 'sha256')]), spy));
    expect(
      basic!.tbsResponseData.responses.map((r) =>
        r.certStatus.good === null ? 'good' : r.certStatus.unknown === null ? 'unknown' : 'revoked',
      ),
    ).toEqual(['unknown', 'unknown', 'good']);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith(good.cert.serial, expect.objectContaining({ hashAlgorithm: 'sha256' }));
  });

  it('omits the reason when it is absent or unspecified, and echoes a raw nonce as received', async () => {
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey });
    for (const reason of [undefined, 'unspecified' as const]) {
      const { basic } = decode(
        await responder.respond(request([certId(ca, '05')]), () => ({ status: 'revoked', revokedAt, ...(reason ? { reason } : {}) })),
      );
      expect(basic!.tbsResponseData.responses[0]!.certStatus.revoked!.revocationReason).toBeUndefined();
    }
    const raw = Buffer.from('sixteen raw byte');
    const { basic } = decode(await responder.respond(request([certId(ca, '05')], { nonce: raw, rawNonce: true }), lookup));
    expect(Buffer.from(basic!.tbsResponseData.responseExtensions![0]!.extnValue.buffer).equals(raw)).toBe(true);
  });

  it('answers malformedRequest for garbage and internalError when the lookup fails', async () => {
    const onError = vi.fn();
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey, onError });
    for (const garbage of [
      Buffer.alloc(0),
      Buffer.from('garbage'),
      request([certId(ca, '01')]).subarray(0, 20),
      null as unknown as Buffer,
    ]) {
      expect((await responder.respond(garbage, lookup)).toString('hex')).toBe('30030a0101');
    }
    expect(decode(await responder.respond(Buffer.from('junk'), lookup)).status).toBe(OCSPResponseStatus.malformedRequest);
    const boom = new Error('database down');
    expect((await responder.respond(request([certId(ca, good.cert.serial)]), () => Promise.reject(boom))).toString('hex')).toBe(
      '30030a0102',
    );
    expect(onError).toHaveBeenCalledWith(boom);
    const invalid = [
      { status: 'revoked', revokedAt: new Date('x') },
      { status: 'maybe' },
      undefined,
      { status: 'revoked', revokedAt, reason: 'lost' },
    ];
    for (const answer of invalid)
      expect((await responder.respond(request([certId(ca, good.cert.serial)]), () => answer as never)).toString('hex')).toBe('30030a0102');
    expect(onError).toHaveBeenCalledTimes(5);
  });

  it('works without onError and with a synchronous lookup that throws', async () => {
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey });
    const out = await responder.respond(request([certId(ca, '01')]), () => {
      throw new Error('sync failure');
    });
    expect(out.toString('hex')).toBe('30030a0102');
  });

  it('supports a delegated signer certificate (EKU OCSPSigning), included in the response', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const signer = await issueOcspSignerCertificate({
      issuer: ca.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'OCSP Responder' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 7 * DAY),
    });
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: keys.privateKey, signerCertificate: signer.der });
    const { basic, tbs } = decode(await responder.respond(request([certId(ca, good.cert.serial)]), lookup));
    expect(verify('sha256', tbs!, keys.publicKey, Buffer.from(basic!.signature))).toBe(true);
    expect(
      Buffer.from(basic!.tbsResponseData.responderID.byKey!.buffer).equals(
        createHash('sha1').update(rawOf(signer).subjectPublicKey).digest(),
      ),
    ).toBe(true);
    expect(Buffer.from(AsnConvert.serialize(basic!.certs![0]!)).equals(signer.der)).toBe(true);
  });

  it('refuses a bad configuration with typed errors', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const signer = await issueOcspSignerCertificate({
      issuer: ca.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'OCSP Responder' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY),
    });
    const foreignSigner = await issueOcspSignerCertificate({
      issuer: rsa.issuer,
      publicKey: keys.publicKey,
      subject: { commonName: 'Other OCSP' },
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY),
    });
    const base = { issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey };
    const cases: Array<[string, Record<string, unknown>, PkiErrorCode]> = [
      ['wrong CA key', { signerKey: ca.rootKeys.privateKey }, PkiErrorCode.KeyMismatch],
      ['public key', { signerKey: ca.issuingKeys.publicKey }, PkiErrorCode.KeyMismatch],
      ['leaf as issuer', { issuerCertificate: good.cert.der, signerKey: good.keys.privateKey }, PkiErrorCode.NotACa],
      ['garbage issuer', { issuerCertificate: Buffer.from('x') }, PkiErrorCode.MalformedCertificate],
      [
        'signer key does not match signer',
        { signerCertificate: signer.der, signerKey: ca.issuingKeys.privateKey },
        PkiErrorCode.KeyMismatch,
      ],
      ['signer of another CA', { signerCertificate: foreignSigner.der, signerKey: keys.privateKey }, PkiErrorCode.InvalidArgument],
      ['signer without OCSPSigning', { signerCertificate: good.cert.der, signerKey: good.keys.privateKey }, PkiErrorCode.InvalidArgument],
      ['zero validity', { validitySeconds: 0 }, PkiErrorCode.InvalidArgument],
    ];
    for (const [name, override, code] of cases)
      expect(await errorCode(() => createOcspResponder({ ...base, ...override } as never)), name).toBe(code);
  });
});

describe('OCSP responder: pre-produced responses (RFC 5019) and synchronous answers', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, 0) + seconds * 1000);

  it('reuses the signed answer for a request without a nonce while the status object is the same and young enough', async () => {
    const responder = createOcspResponder({
      issuerCertificate: ca.issuing.der,
      signerKey: ca.issuingKeys.privateKey,
      preproducedSeconds: 60,
    });
    const kept: OcspCertStatus = { status: 'good', checkedAt: at(-5) };
    const same = () => kept;
    const req = request([certId(ca, good.cert.serial)]);
    const first = await responder.respond(req, same, at(0));
    const again = await responder.respond(req, same, at(59));
    expect(again.equals(first)).toBe(true); // ECDSA signatures are randomised: equal bytes mean reused
    expect(again).not.toBe(first); // a copy each time: callers may keep or change what they get
    const data = decode(first).basic!.tbsResponseData;
    expect(data.producedAt.toISOString()).toBe(at(0).toISOString());
    // thisUpdate is when the status was read, nextUpdate an hour after that
    expect(data.responses[0]!.thisUpdate.toISOString()).toBe(at(-5).toISOString());
    expect(data.responses[0]!.nextUpdate!.toISOString()).toBe(at(3595).toISOString());
    // older than preproducedSeconds: signed again
    const later = await responder.respond(req, same, at(60));
    expect(later.equals(first)).toBe(false);
    expect(decode(later).basic!.tbsResponseData.producedAt.toISOString()).toBe(at(60).toISOString());
    // the same CertID under another hash algorithm is another request
    const sha256 = await responder.respond(request([certId(ca, good.cert.serial, 'sha256')]), same, at(61));
    expect(sha256.equals(later)).toBe(false);
  });

  it('signs afresh when the status object changes (revocation) and for every request with a nonce', async () => {
    const responder = createOcspResponder({
      issuerCertificate: ca.issuing.der,
      signerKey: ca.issuingKeys.privateKey,
      preproducedSeconds: 300,
    });
    let current: OcspCertStatus = { status: 'good' };
    const req = request([certId(ca, good.cert.serial)]);
    const good1 = await responder.respond(req, () => current, at(0));
    current = { status: 'revoked', revokedAt: at(1), reason: 'keyCompromise' };
    const revokedAnswer = decode(await responder.respond(req, () => current, at(2))).basic!.tbsResponseData.responses[0]!;
    expect(revokedAnswer.certStatus.revoked!.revocationTime.toISOString()).toBe(at(1).toISOString());
    // a new object with the same content is a new read: not trusted to be the same status
    current = { status: 'good' };
    const good2 = await responder.respond(req, () => current, at(3));
    expect(good2.equals(good1)).toBe(false);
    // nonces: each answer signed for its own nonce, even with the same status object
    const n1 = Buffer.from('nonce-number-one');
    const n2 = Buffer.from('nonce-number-two');
    const a1 = decode(await responder.respond(request([certId(ca, good.cert.serial)], { nonce: n1 }), () => current, at(4))).basic!;
    const a2 = decode(await responder.respond(request([certId(ca, good.cert.serial)], { nonce: n2 }), () => current, at(4))).basic!;
    const echoed = (b: BasicOCSPResponse) =>
      Buffer.from(AsnConvert.parse(b.tbsResponseData.responseExtensions![0]!.extnValue.buffer, OctetString).buffer);
    expect(echoed(a1).equals(n1)).toBe(true);
    expect(echoed(a2).equals(n2)).toBe(true);
  });

  it('never reuses an answer past its nextUpdate, nor for several CertIDs, and keeps at most maxPreproduced', async () => {
    const responder = createOcspResponder({
      issuerCertificate: ca.issuing.der,
      signerKey: ca.issuingKeys.privateKey,
      preproducedSeconds: 3600,
      validitySeconds: 120,
      maxPreproduced: 1,
    });
    const old: OcspCertStatus = { status: 'good', checkedAt: at(-100) };
    const req = request([certId(ca, good.cert.serial)]);
    const first = await responder.respond(req, () => old, at(0));
    // nextUpdate = checkedAt + 120 s = at(20): reused before, signed again from then on
    expect((await responder.respond(req, () => old, at(19))).equals(first)).toBe(true);
    expect((await responder.respond(req, () => old, at(20))).equals(first)).toBe(false);
    const pair = request([certId(ca, good.cert.serial), certId(ca, revoked.cert.serial)]);
    const st: OcspCertStatus = { status: 'good' };
    expect((await responder.respond(pair, () => st, at(30))).equals(await responder.respond(pair, () => st, at(30)))).toBe(false);
    // room for one: a second CertID pushes the first out
    const other = request([certId(ca, revoked.cert.serial)]);
    const a = await responder.respond(req, () => st, at(40));
    await responder.respond(other, () => st, at(40));
    expect((await responder.respond(req, () => st, at(41))).equals(a)).toBe(false);
  });

  it('is off by default: every answer signed', async () => {
    const responder = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey });
    const st: OcspCertStatus = { status: 'good' };
    const req = request([certId(ca, good.cert.serial)]);
    expect((await responder.respond(req, () => st, at(0))).equals(await responder.respond(req, () => st, at(0)))).toBe(false);
    expect(() =>
      createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey, preproducedSeconds: -1 }),
    ).toThrow(/preproducedSeconds/);
  });

  it('respondNow answers without a promise when nothing waits: garbage, a pre-produced answer, or signing on the loop', async () => {
    const pooled = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey, preproducedSeconds: 60 });
    const plain = request([certId(ca, good.cert.serial)]);
    const st: OcspCertStatus = { status: 'good' };
    expect(Buffer.isBuffer(pooled.respondNow(Buffer.from('garbage'), () => st))).toBe(true);
    const first = pooled.respondNow(plain, () => st, at(0));
    expect(first).toBeInstanceOf(Promise); // signed on the thread pool
    const signed = await first;
    const again = pooled.respondNow(plain, () => st, at(1));
    expect(Buffer.isBuffer(again)).toBe(true); // pre-produced: no signing, no promise
    expect((again as Buffer).equals(signed)).toBe(true);
    expect(pooled.respondNow(plain, async () => st, at(2))).toBeInstanceOf(Promise);
    const onLoop = createOcspResponder({ issuerCertificate: ca.issuing.der, signerKey: ca.issuingKeys.privateKey, signOnLoop: true });
    const withNonce = request([certId(ca, good.cert.serial)], { nonce: Buffer.from('0123456789') });
    const sync = onLoop.respondNow(withNonce, () => ({ status: 'good' }), at(0));
    expect(Buffer.isBuffer(sync)).toBe(true);
    expect(decode(sync as Buffer).basic!.tbsResponseData.responses[0]!.certStatus.good).toBeNull();
    const rsaResponder = createOcspResponder({
      issuerCertificate: rsa.issuing.der,
      signerKey: rsa.issuingKeys.privateKey,
      signOnLoop: true,
    });
    const rsaLeaf = await makeLeaf(rsa);
    const rsaAnswer = rsaResponder.respondNow(request([certId(rsa, rsaLeaf.cert.serial)]), () => ({ status: 'good' }), at(0));
    expect(Buffer.isBuffer(rsaAnswer)).toBe(true);
    expect(decode(rsaAnswer as Buffer).status).toBe(OCSPResponseStatus.successful);
  });
});

describe('ocspErrorResponse', () => {
  it('encodes each error status and refuses successful', async () => {
    expect(ocspErrorResponse('malformedRequest').toString('hex')).toBe('30030a0101');
    expect(ocspErrorResponse('internalError').toString('hex')).toBe('30030a0102');
    expect(ocspErrorResponse('tryLater').toString('hex')).toBe('30030a0103');
    expect(ocspErrorResponse('sigRequired').toString('hex')).toBe('30030a0105');
    expect(ocspErrorResponse('unauthorized').toString('hex')).toBe('30030a0106');
    expect(AsnConvert.parse(ocspErrorResponse('unauthorized'), OCSPResponse).responseStatus).toBe(OCSPResponseStatus.unauthorized);
    expect(await errorCode(() => ocspErrorResponse('successful' as never))).toBe(PkiErrorCode.InvalidArgument);
    expect(await errorCode(() => ocspErrorResponse('nope' as never))).toBe(PkiErrorCode.InvalidArgument);
  });
});
