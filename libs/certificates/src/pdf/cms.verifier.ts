import { constants, createHash, createPublicKey, createVerify, verify as oneShotVerify, type KeyObject } from 'node:crypto';
import {
  Asn1Error,
  TAG,
  bytesEqual,
  concat,
  content,
  decodeOid,
  decodeTime,
  expectTag,
  isContext,
  isUniversal,
  octets,
  raw,
  readTlv,
  type Tlv,
} from './asn1.util.js';
import { HASH_BY_OID, OID, SIGNATURE_ALGORITHMS, type HashName } from './cms.oids.js';
import { readCertificate, type CertificateFields } from './x509.util.js';

/** How many certificates a CMS may carry before the rest are ignored. */
const MAX_CERTIFICATES = 64;

/** What the signed bytes of the document are checked against. */
export type ContentBinding =
  /** adbe.pkcs7.detached, ETSI.CAdES.detached: messageDigest covers the byte ranges. */
  | 'detached'
  /** adbe.pkcs7.sha1: the encapsulated content is the SHA-1 digest of the byte ranges. */
  | 'sha1-digest'
  /** ETSI.RFC3161 document time-stamp: the TSTInfo message imprint covers the byte ranges. */
  | 'timestamp';

export interface CmsCheck {
  certificates: Uint8Array[];
  signer?: CertificateFields;
  digestAlgorithm?: HashName;
  /** The signed data of the document (the byte ranges) is what the CMS says was signed. */
  contentMatches: boolean;
  /** The signature value verifies over the signed attributes (or the content) with the signer's key. */
  signatureValid: boolean;
  essCertMatches?: boolean;
  /** signing-time attribute, or the time-stamp's genTime. */
  signingTime?: Date;
  problems: string[];
}

/** Parses and checks a CMS SignedData over `ranges` (the document bytes it should cover). Never throws. */
export function checkCms(cms: Uint8Array, ranges: Uint8Array[], binding: ContentBinding): CmsCheck {
  const result: CmsCheck = { certificates: [], contentMatches: false, signatureValid: false, problems: [] };
  try {
    check(cms, ranges, binding, result);
  } catch (e) {
    result.contentMatches = false;
    result.signatureValid = false;
    result.problems.push(e instanceof Asn1Error ? e.message : `CMS unreadable: ${(e as Error).message}`);
  }
  return result;
}

function check(cms: Uint8Array, ranges: Uint8Array[], binding: ContentBinding, out: CmsCheck): void {
  const ci = expectTag(readTlv(cms), TAG.SEQUENCE, 'ContentInfo');
  if (decodeOid(ci.children[0]) !== OID.signedData) throw new Asn1Error('CMS is not SignedData');
  if (!isContext(ci.children[1], 0)) throw new Asn1Error('CMS: missing content');
  const sd = expectTag(ci.children[1].children[0], TAG.SEQUENCE, 'SignedData');
  const [, , encap] = sd.children;
  expectTag(encap, TAG.SEQUENCE, 'EncapsulatedContentInfo');
  const eContentType = decodeOid(encap.children[0]);
  const eContentWrapper = encap.children[1];
  const eContent = isContext(eContentWrapper, 0) && eContentWrapper.children[0] ? octets(eContentWrapper.children[0]) : undefined;

  let idx = 3;
  const certs: CertificateFields[] = [];
  if (isContext(sd.children[idx], 0)) {
    for (const choice of sd.children[idx].children) {
      if (!isUniversal(choice, TAG.SEQUENCE)) continue; // attribute certificates, other formats
      if (certs.length >= MAX_CERTIFICATES) {
        out.problems.push(`more than ${MAX_CERTIFICATES} certificates; the rest ignored`);
        break;
      }
      try {
        certs.push(readCertificate(raw(choice)));
      } catch {
        out.problems.push('an unreadable certificate was skipped');
      }
    }
    idx++;
  }
  out.certificates = certs.map((c) => c.der);
  if (isContext(sd.children[idx], 1)) idx++; // CRLs
  const signerInfos = expectTag(sd.children[idx], TAG.SET, 'SignerInfos');
  if (signerInfos.children.length === 0) throw new Asn1Error('CMS has no SignerInfo');
  if (signerInfos.children.length > 1) out.problems.push('CMS has more than one SignerInfo; only the first is checked');
  const si = expectTag(signerInfos.children[0], TAG.SEQUENCE, 'SignerInfo');

  // SignerInfo ::= version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1] unsignedAttrs?
  const sid = si.children[1];
  const digestAlgOid = decodeOid(expectTag(si.children[2], TAG.SEQUENCE, 'digestAlgorithm').children[0]);
  const signedAttrs = isContext(si.children[3], 0) ? si.children[3] : undefined;
  const afterAttrs = signedAttrs ? 4 : 3;
  const sigAlg = expectTag(si.children[afterAttrs], TAG.SEQUENCE, 'signatureAlgorithm');
  const signature = octets(expectTag(si.children[afterAttrs + 1], TAG.OCTET_STRING, 'signature'));

  const signer = certs.find((c) => matchesSid(c, sid));
  out.signer = signer;
  if (!signer) out.problems.push('signer certificate not found in the CMS');

  const digestAlg = HASH_BY_OID[digestAlgOid];
  out.digestAlgorithm = digestAlg;
  if (!digestAlg) {
    out.problems.push(`unsupported digest algorithm ${digestAlgOid}`);
    return;
  }

  // What messageDigest covers: the byte ranges (detached), or the encapsulated content (sha1, time-stamp).
  const signedContent: Uint8Array[] = eContent ? [eContent] : ranges;
  const bindingOk = contentBindingHolds(binding, eContentType, eContent, ranges, out);

  let messageDigestOk = true;
  let contentTypeOk = true;
  let toBeSigned: Uint8Array[] = signedContent;
  if (signedAttrs) {
    const attrs = readAttributes(signedAttrs, out);
    const md = attrs.get(OID.messageDigest);
    if (!md || md.length !== 1 || !isUniversal(md[0], TAG.OCTET_STRING)) {
      out.problems.push('messageDigest attribute missing or repeated');
      messageDigestOk = false;
    } else {
      messageDigestOk = bytesEqual(octets(md[0]), digest(digestAlg, signedContent));
      if (!messageDigestOk)
        out.problems.push(
          eContent ? 'messageDigest does not match the encapsulated content' : 'messageDigest does not match the signed byte ranges',
        );
    }
    const ct = attrs.get(OID.contentType);
    if (!ct || ct.length !== 1 || decodeOid(ct[0]) !== eContentType) {
      out.problems.push('contentType attribute missing or different from the encapsulated content type');
      contentTypeOk = false;
    }
    const st = attrs.get(OID.signingTime);
    if (st?.length === 1 && !out.signingTime) out.signingTime = decodeTime(st[0]);
    if (signer) out.essCertMatches = essMatches(attrs, signer, out);
    // The signature is over the DER SET OF, not over the [0] IMPLICIT form found in the message.
    const set = Uint8Array.from(raw(signedAttrs));
    set[0] = 0x31;
    toBeSigned = [set];
  }

  const valid = signer ? verifySignature(sigAlg, digestAlg, signer.subjectPublicKeyInfo, toBeSigned, signature, out) : false;
  if (signer && !valid) out.problems.push('signature value does not verify with the signer key');
  if (eContent) {
    // Attached (sha1 digest, TSTInfo): the signature only binds the content through messageDigest.
    out.signatureValid = valid && contentTypeOk && messageDigestOk;
    out.contentMatches = bindingOk;
  } else {
    out.signatureValid = valid && contentTypeOk;
    // Detached: with signed attributes messageDigest binds the ranges; without, the signature itself does.
    out.contentMatches = bindingOk && (signedAttrs ? messageDigestOk : valid);
  }
}

function contentBindingHolds(
  binding: ContentBinding,
  eContentType: string,
  eContent: Uint8Array | undefined,
  ranges: Uint8Array[],
  out: CmsCheck,
): boolean {
  switch (binding) {
    case 'detached':
      if (eContent) {
        out.problems.push('signature is not detached: it encapsulates content');
        return false;
      }
      return eContentType === OID.data || (out.problems.push(`unexpected content type ${eContentType}`), false);
    case 'sha1-digest':
      if (!eContent) {
        out.problems.push('adbe.pkcs7.sha1 signature without encapsulated digest');
        return false;
      }
      return bytesEqual(unwrapOctetString(eContent), digest('sha1', ranges));
    case 'timestamp': {
      if (eContentType !== OID.tstInfo || !eContent) {
        out.problems.push('document time-stamp without TSTInfo');
        return false;
      }
      const tst = expectTag(readTlv(eContent), TAG.SEQUENCE, 'TSTInfo');
      const imprint = expectTag(tst.children[2], TAG.SEQUENCE, 'messageImprint');
      const alg = HASH_BY_OID[decodeOid(imprint.children[0].children[0])];
      const genTime = tst.children[4] ? decodeTime(tst.children[4]) : undefined;
      if (genTime) out.signingTime = genTime;
      if (!alg) {
        out.problems.push('unsupported time-stamp imprint algorithm');
        return false;
      }
      return bytesEqual(octets(expectTag(imprint.children[1], TAG.OCTET_STRING, 'hashedMessage')), digest(alg, ranges));
    }
  }
}

/** adbe.pkcs7.sha1 writers put either the raw 20 bytes or a DER OCTET STRING of them in eContent. */
function unwrapOctetString(b: Uint8Array): Uint8Array {
  if (b.length === 22 && b[0] === 0x04 && b[1] === 20) return b.subarray(2);
  return b;
}

function readAttributes(set: Tlv, out: CmsCheck): Map<string, Tlv[]> {
  const map = new Map<string, Tlv[]>();
  for (const attr of set.children) {
    const oid = decodeOid(expectTag(attr, TAG.SEQUENCE, 'Attribute').children[0]);
    if (map.has(oid)) {
      out.problems.push(`attribute ${oid} appears twice`);
      map.set(oid, []); // a repeated attribute counts as absent
      continue;
    }
    map.set(oid, expectTag(attr.children[1], TAG.SET, 'AttributeValues').children);
  }
  return map;
}

function matchesSid(cert: CertificateFields, sid: Tlv | undefined): boolean {
  if (isUniversal(sid, TAG.SEQUENCE)) {
    const [issuer, serial] = sid.children;
    return !!issuer && !!serial && bytesEqual(raw(issuer), cert.issuer) && bytesEqual(content(serial), cert.serial);
  }
  if (isContext(sid, 0) && cert.subjectKeyIdentifier) return bytesEqual(octets(sid), cert.subjectKeyIdentifier);
  return false;
}

/** ESS signing-certificate(-v2): the first ESSCertID must name the signer (RFC 5035 / RFC 2634). */
function essMatches(attrs: Map<string, Tlv[]>, signer: CertificateFields, out: CmsCheck): boolean | undefined {
  const v2 = attrs.get(OID.signingCertificateV2);
  const v1 = attrs.get(OID.signingCertificate);
  const value = v2 ?? v1;
  if (!value) return undefined;
  if (value.length !== 1) return false;
  const certs = expectTag(value[0], TAG.SEQUENCE, 'SigningCertificate').children[0];
  const first = certs?.children[0];
  if (!isUniversal(first, TAG.SEQUENCE)) return false;
  let i = 0;
  let hash: HashName | undefined = v2 ? 'sha256' : 'sha1';
  if (v2 && isUniversal(first.children[0], TAG.SEQUENCE)) {
    hash = HASH_BY_OID[decodeOid(first.children[0].children[0])];
    i++;
  }
  const certHash = first.children[i];
  if (!hash || !isUniversal(certHash, TAG.OCTET_STRING)) {
    out.problems.push('ESS certificate identifier unreadable');
    return false;
  }
  if (!bytesEqual(octets(certHash), createHash(hash).update(signer.der).digest())) return false;
  const issuerSerial = first.children[i + 1];
  if (isUniversal(issuerSerial, TAG.SEQUENCE)) {
    const serial = issuerSerial.children[1];
    if (!isUniversal(serial, TAG.INTEGER) || !bytesEqual(content(serial), signer.serial)) return false;
  }
  return true;
}

function digest(alg: HashName, parts: Uint8Array[]): Uint8Array {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

function verifySignature(
  sigAlg: Tlv,
  digestAlg: HashName,
  spki: Uint8Array,
  data: Uint8Array[],
  signature: Uint8Array,
  out: CmsCheck,
): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    out.problems.push('signer public key unreadable');
    return false;
  }
  const oid = decodeOid(sigAlg.children[0]);
  try {
    const named = SIGNATURE_ALGORITHMS[oid];
    if (named || oid === OID.rsaEncryption || oid === OID.ecPublicKey) {
      const family = named?.family ?? (oid === OID.ecPublicKey ? 'ecdsa' : 'rsa');
      const expectedKey = family === 'rsa' ? 'rsa' : 'ec';
      if (key.asymmetricKeyType !== expectedKey) {
        out.problems.push(`signature algorithm ${oid} does not fit the signer's ${key.asymmetricKeyType} key`);
        return false;
      }
      const v = createVerify(named?.hash ?? digestAlg);
      for (const d of data) v.update(d);
      return family === 'rsa'
        ? v.verify({ key, padding: constants.RSA_PKCS1_PADDING }, signature)
        : v.verify({ key, dsaEncoding: 'der' }, signature);
    }
    if (oid === OID.rsassaPss) {
      const params = pssParams(sigAlg.children[1]);
      if (!params) {
        out.problems.push('unsupported RSASSA-PSS parameters');
        return false;
      }
      const v = createVerify(params.hash);
      for (const d of data) v.update(d);
      return v.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    }
    if (oid === OID.ed25519 || oid === OID.ed448) return oneShotVerify(null, concat(data), key, signature);
    out.problems.push(`unsupported signature algorithm ${oid}`);
    return false;
  } catch (e) {
    out.problems.push(`signature check failed: ${(e as Error).message}`);
    return false;
  }
}

/** RSASSA-PSS-params with MGF1 over the same hash (the only combination node:crypto verifies). */
function pssParams(params: Tlv | undefined): { hash: HashName; saltLength: number } | undefined {
  let hash: HashName | undefined = 'sha1';
  let mgfHash: HashName | undefined = 'sha1';
  let saltLength = 20;
  if (isUniversal(params, TAG.SEQUENCE)) {
    for (const p of params.children) {
      const inner = p.children[0];
      if (isContext(p, 0) && inner) hash = HASH_BY_OID[decodeOid(inner.children[0])];
      else if (isContext(p, 1) && inner) {
        if (decodeOid(inner.children[0]) !== OID.mgf1 || !inner.children[1]) return undefined;
        mgfHash = HASH_BY_OID[decodeOid(inner.children[1].children[0])];
      } else if (isContext(p, 2) && isUniversal(inner, TAG.INTEGER)) {
        const b = content(inner);
        if (b.length > 2) return undefined;
        saltLength = b.reduce((n, x) => n * 256 + x, 0);
      }
    }
  }
  if (!hash || hash !== mgfHash) return undefined;
  return { hash, saltLength };
}
