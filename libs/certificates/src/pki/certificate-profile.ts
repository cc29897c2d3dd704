import { DER_NULL, DER_TRUE, extension, ia5String, implicitPrimitive, integer, oid, octetString, sequence, tlv, TAG } from './der.util.js';
import { EKU, KEY_USAGE_BITS, type KeyUsageName, OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';

/**
 * The certificate profiles of the local CA, as X.509 v3 extension lists.
 *
 *  | profile     | basicConstraints      | keyUsage (critical)                         | extendedKeyUsage                        |
 *  |-------------|-----------------------|---------------------------------------------|-----------------------------------------|
 *  | root-ca     | CA, critical          | keyCertSign, cRLSign                        | —                                       |
 *  | issuing-ca  | CA, pathLen 0, crit.  | digitalSignature, keyCertSign, cRLSign      | —                                       |
 *  | end-entity  | not CA, critical      | digitalSignature, nonRepudiation            | emailProtection, documentSigning        |
 *  | ocsp-signer | not CA, critical      | digitalSignature                            | OCSPSigning (+ id-pkix-ocsp-nocheck)    |
 *
 * The issuing CA carries digitalSignature because it signs OCSP responses itself (RFC 6960 §4.2.2.2
 * "the CA who issued the certificate"). End-entity EKU: emailProtection is what Adobe Acrobat and
 * S/MIME clients accept; id-kp-documentSigning (RFC 9336) states the purpose. The Microsoft
 * document-signing OID is not added by default (Office accepts emailProtection too); pass
 * `extendedKeyUsage` to change the list.
 */
export type CertificateProfile = 'root-ca' | 'issuing-ca' | 'end-entity' | 'ocsp-signer';

export const DEFAULT_END_ENTITY_EKU: readonly string[] = [EKU.emailProtection, EKU.documentSigning];

/** A certificate policy to assert, optionally with a CPS URI qualifier. */
export type PolicyInput = string | { oid: string; cpsUri?: string };

export interface ProfileContext {
  subjectKeyIdentifier: Buffer;
  /** The issuer's key identifier (a root's own SKI). */
  authorityKeyIdentifier: Buffer;
  pathLength?: number;
  email?: string;
  crlUrl?: string;
  ocspUrl?: string;
  caIssuersUrl?: string;
  policies?: readonly PolicyInput[];
  extendedKeyUsage?: readonly string[];
}

/** The Extensions SEQUENCE for a profile (DER). */
export function profileExtensions(profile: CertificateProfile, ctx: ProfileContext): Buffer {
  const exts: Buffer[] = [];
  switch (profile) {
    case 'root-ca':
      exts.push(basicConstraints(true, ctx.pathLength), keyUsage(['keyCertSign', 'cRLSign']));
      break;
    case 'issuing-ca':
      exts.push(basicConstraints(true, ctx.pathLength ?? 0), keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign']));
      break;
    case 'end-entity': {
      const eku = ctx.extendedKeyUsage ?? DEFAULT_END_ENTITY_EKU;
      if (eku.length === 0) throw new PkiError(PkiErrorCode.InvalidArgument, 'extendedKeyUsage must not be empty');
      exts.push(basicConstraints(false), keyUsage(['digitalSignature', 'nonRepudiation']), extendedKeyUsage(eku));
      break;
    }
    case 'ocsp-signer':
      exts.push(
        basicConstraints(false),
        keyUsage(['digitalSignature']),
        extendedKeyUsage([EKU.ocspSigning]),
        extension(OID.ocspNoCheck, false, DER_NULL),
      );
      break;
  }
  exts.push(extension(OID.subjectKeyIdentifier, false, octetString(ctx.subjectKeyIdentifier)));
  // Roots carry an AKI equal to their SKI too: harmless, and some path builders like it.
  exts.push(extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, ctx.authorityKeyIdentifier))));
  if (ctx.email !== undefined) exts.push(extension(OID.subjectAltName, false, sequence(tlv(0x81, Buffer.from(ctx.email, 'latin1')))));
  if (ctx.crlUrl !== undefined) exts.push(crlDistributionPoints(checkUrl(ctx.crlUrl)));
  const aia: Buffer[] = [];
  if (ctx.ocspUrl !== undefined) aia.push(sequence(oid(OID.accessOcsp), tlv(0x86, Buffer.from(checkUrl(ctx.ocspUrl), 'latin1'))));
  if (ctx.caIssuersUrl !== undefined)
    aia.push(sequence(oid(OID.accessCaIssuers), tlv(0x86, Buffer.from(checkUrl(ctx.caIssuersUrl), 'latin1'))));
  if (aia.length > 0) exts.push(extension(OID.authorityInfoAccess, false, sequence(...aia)));
  if (ctx.policies && ctx.policies.length > 0) exts.push(certificatePolicies(ctx.policies));
  return sequence(...exts);
}

function basicConstraints(ca: boolean, pathLength?: number): Buffer {
  if (!ca) return extension(OID.basicConstraints, true, sequence());
  if (pathLength !== undefined && (!Number.isInteger(pathLength) || pathLength < 0 || pathLength > 10)) {
    throw new PkiError(PkiErrorCode.InvalidArgument, 'pathLength must be an integer 0–10');
  }
  return extension(OID.basicConstraints, true, pathLength === undefined ? sequence(DER_TRUE) : sequence(DER_TRUE, integer(pathLength)));
}

/** KeyUsage as a DER named-bit BIT STRING (trailing zero bits dropped, unused-bit count set). */
export function keyUsage(names: readonly KeyUsageName[]): Buffer {
  let bits = 0;
  let highest = -1;
  for (const n of names) {
    const b = KEY_USAGE_BITS.indexOf(n);
    bits |= 1 << b;
    highest = Math.max(highest, b);
  }
  const bytes = highest >= 8 ? 2 : 1;
  const content = Buffer.alloc(bytes);
  for (let b = 0; b <= highest; b++) if (bits & (1 << b)) content[b >> 3]! |= 0x80 >> (b & 7);
  const unused = bytes * 8 - 1 - highest;
  return extension(OID.keyUsage, true, tlv(TAG.BIT_STRING, Buffer.from([unused]), content));
}

function extendedKeyUsage(oids: readonly string[]): Buffer {
  try {
    return extension(OID.extKeyUsage, false, sequence(...oids.map((o) => oid(o))));
  } catch (err) {
    throw new PkiError(PkiErrorCode.InvalidArgument, `bad extendedKeyUsage OID: ${(err as Error).message}`);
  }
}

function crlDistributionPoints(url: string): Buffer {
  // DistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }
  return extension(OID.cRLDistributionPoints, false, sequence(sequence(tlv(0xa0, tlv(0xa0, tlv(0x86, Buffer.from(url, 'latin1')))))));
}

function certificatePolicies(policies: readonly PolicyInput[]): Buffer {
  try {
    const infos = policies.map((p) => {
      const { oid: id, cpsUri } = typeof p === 'string' ? { oid: p, cpsUri: undefined } : p;
      if (cpsUri === undefined) return sequence(oid(id));
      return sequence(oid(id), sequence(sequence(oid(OID.cpsQualifier), ia5String(checkUrl(cpsUri)))));
    });
    return extension(OID.certificatePolicies, false, sequence(...infos));
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError(PkiErrorCode.InvalidArgument, `bad certificate policy: ${(err as Error).message}`);
  }
}

function checkUrl(url: string): string {
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(url))
    throw new PkiError(PkiErrorCode.InvalidArgument, `not an http(s) URL: ${JSON.stringify(url)}`);
  return url;
}
