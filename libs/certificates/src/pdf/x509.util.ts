import {
  Asn1Error,
  TAG,
  content,
  decodeOid,
  decodeString,
  expectTag,
  isContext,
  isUniversal,
  octets,
  raw,
  readTlv,
  type Tlv,
} from './asn1.util.js';

/** The parts of an X.509 certificate that CMS and ESS refer to, as the exact bytes found in it. */
export interface CertificateFields {
  der: Uint8Array;
  /** Contents octets of the serialNumber INTEGER. */
  serial: Uint8Array;
  /** The issuer Name, DER as in the certificate. */
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  subjectKeyIdentifier?: Uint8Array;
  commonName?: string;
}

const OID_CN = '2.5.4.3';
const OID_SKI = '2.5.29.14';

/** Reads a DER certificate; trailing bytes after the certificate are ignored. Throws Asn1Error. */
export function readCertificate(input: Uint8Array): CertificateFields {
  const cert = expectTag(readTlv(input), TAG.SEQUENCE, 'Certificate');
  const tbs = expectTag(cert.children[0], TAG.SEQUENCE, 'TBSCertificate');
  if (cert.children.length < 3) throw new Asn1Error('Certificate: missing signature');
  let i = 0;
  if (isContext(tbs.children[0], 0)) i++;
  const serial = expectTag(tbs.children[i], TAG.INTEGER, 'serialNumber');
  expectTag(tbs.children[i + 1], TAG.SEQUENCE, 'signature');
  const issuer = expectTag(tbs.children[i + 2], TAG.SEQUENCE, 'issuer');
  expectTag(tbs.children[i + 3], TAG.SEQUENCE, 'validity');
  const subject = expectTag(tbs.children[i + 4], TAG.SEQUENCE, 'subject');
  const spki = expectTag(tbs.children[i + 5], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const extensions = tbs.children.slice(i + 6).find((t) => isContext(t, 3));
  return {
    der: raw(cert).slice(),
    serial: content(serial).slice(),
    issuer: raw(issuer).slice(),
    subject: raw(subject).slice(),
    subjectPublicKeyInfo: raw(spki).slice(),
    subjectKeyIdentifier: extensions ? findSubjectKeyId(extensions) : undefined,
    commonName: commonNameOf(subject),
  };
}

function findSubjectKeyId(wrapper: Tlv): Uint8Array | undefined {
  const list = wrapper.children[0];
  if (!isUniversal(list, TAG.SEQUENCE)) return undefined;
  for (const ext of list.children) {
    if (!isUniversal(ext.children[0], TAG.OID) || decodeOid(ext.children[0]) !== OID_SKI) continue;
    const value = ext.children[ext.children.length - 1];
    if (!isUniversal(value, TAG.OCTET_STRING)) return undefined;
    const inner = readTlv(octets(value));
    return isUniversal(inner, TAG.OCTET_STRING) ? octets(inner).slice() : undefined;
  }
  return undefined;
}

/** The first CN of a Name, if any. */
export function commonNameOf(name: Tlv): string | undefined {
  for (const rdn of name.children) {
    for (const atv of rdn.children) {
      if (isUniversal(atv.children[0], TAG.OID) && decodeOid(atv.children[0]) === OID_CN && atv.children[1]) {
        const s = decodeString(atv.children[1]);
        if (s !== undefined) return s;
      }
    }
  }
  return undefined;
}
