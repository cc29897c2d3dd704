import {
  type Tlv,
  DerError,
  TAG,
  bitStringBytes,
  children,
  contentOf,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  expectTag,
  readRoot,
} from './der.util.js';
import { KEY_USAGE_BITS, type KeyUsageName, OID } from './pki.constants.js';

/** What we read out of certificate (or CSR) extensions. */
export interface ParsedExtensions {
  isCA: boolean;
  pathLength?: number;
  basicConstraintsPresent: boolean;
  keyUsage: KeyUsageName[];
  keyUsagePresent: boolean;
  extendedKeyUsage: string[];
  emails: string[];
  dnsNames: string[];
  uris: string[];
  crlUrls: string[];
  ocspUrls: string[];
  caIssuersUrls: string[];
  subjectKeyIdentifier?: Buffer;
  authorityKeyIdentifier?: Buffer;
  policies: string[];
  ocspNoCheck: boolean;
  /** OIDs of every extension marked critical. */
  critical: string[];
}

export function emptyExtensions(): ParsedExtensions {
  return {
    isCA: false,
    basicConstraintsPresent: false,
    keyUsage: [],
    keyUsagePresent: false,
    extendedKeyUsage: [],
    emails: [],
    dnsNames: [],
    uris: [],
    crlUrls: [],
    ocspUrls: [],
    caIssuersUrls: [],
    policies: [],
    ocspNoCheck: false,
    critical: [],
  };
}

/** Reads `Extensions ::= SEQUENCE OF Extension`. Throws DerError for structure problems and duplicates. */
export function parseExtensions(buf: Buffer, seq: Tlv): ParsedExtensions {
  expectTag(seq, TAG.SEQUENCE, 'Extensions');
  const out = emptyExtensions();
  const seen = new Set<string>();
  for (const ext of children(buf, seq)) {
    expectTag(ext, TAG.SEQUENCE, 'Extension');
    const parts = children(buf, ext);
    const id = decodeOid(buf, parts[0]!);
    let i = 1;
    let critical = false;
    if (parts[i]?.tag === TAG.BOOLEAN) critical = decodeBoolean(buf, parts[i++]!);
    const valueT = expectTag(parts[i++], TAG.OCTET_STRING, 'extnValue');
    if (parts[i]) throw new DerError('extra field in Extension');
    if (seen.has(id)) throw new DerError(`duplicate extension ${id}`);
    seen.add(id);
    if (critical) out.critical.push(id);
    readExtension(id, contentOf(buf, valueT), out);
  }
  return out;
}

function readExtension(id: string, value: Buffer, out: ParsedExtensions): void {
  switch (id) {
    case OID.basicConstraints: {
      out.basicConstraintsPresent = true;
      const root = readRoot(value);
      for (const f of children(value, root)) {
        if (f.tag === TAG.BOOLEAN) out.isCA = decodeBoolean(value, f);
        else if (f.tag === TAG.INTEGER) out.pathLength = decodeSmallInteger(value, f);
        else throw new DerError('bad BasicConstraints');
      }
      return;
    }
    case OID.keyUsage: {
      out.keyUsagePresent = true;
      const { bytes } = bitStringBytes(value, readRoot(value, TAG.BIT_STRING));
      KEY_USAGE_BITS.forEach((name, bit) => {
        const byte = bytes[bit >> 3];
        if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) out.keyUsage.push(name);
      });
      return;
    }
    case OID.extKeyUsage:
      for (const o of children(value, readRoot(value))) out.extendedKeyUsage.push(decodeOid(value, o));
      return;
    case OID.subjectAltName:
      readGeneralNames(value, readRoot(value), out);
      return;
    case OID.cRLDistributionPoints:
      for (const dp of children(value, readRoot(value))) {
        expectTag(dp, TAG.SEQUENCE, 'DistributionPoint');
        for (const f of children(value, dp)) {
          if (f.tag !== 0xa0) continue; // reasons, cRLIssuer
          for (const name of children(value, f)) {
            if (name.tag !== 0xa0) continue; // nameRelativeToCRLIssuer
            for (const gn of children(value, name))
              if (gn.tag === 0x86) out.crlUrls.push(value.toString('latin1', gn.contentStart, gn.end));
          }
        }
      }
      return;
    case OID.authorityInfoAccess:
      for (const ad of children(value, readRoot(value))) {
        const [method, location] = children(value, expectTag(ad, TAG.SEQUENCE, 'AccessDescription'));
        if (!method || !location) throw new DerError('bad AccessDescription');
        if (location.tag !== 0x86) continue;
        const url = value.toString('latin1', location.contentStart, location.end);
        const m = decodeOid(value, method);
        if (m === OID.accessOcsp) out.ocspUrls.push(url);
        else if (m === OID.accessCaIssuers) out.caIssuersUrls.push(url);
      }
      return;
    case OID.subjectKeyIdentifier:
      out.subjectKeyIdentifier = Buffer.from(contentOf(value, readRoot(value, TAG.OCTET_STRING)));
      return;
    case OID.authorityKeyIdentifier:
      for (const f of children(value, readRoot(value))) if (f.tag === 0x80) out.authorityKeyIdentifier = Buffer.from(contentOf(value, f));
      return;
    case OID.certificatePolicies:
      for (const p of children(value, readRoot(value)))
        out.policies.push(decodeOid(value, children(value, expectTag(p, TAG.SEQUENCE, 'PolicyInformation'))[0]!));
      return;
    case OID.ocspNoCheck:
      out.ocspNoCheck = true;
      return;
    default:
      return;
  }
}

/** GeneralNames: e-mail (rfc822Name), DNS names and URIs; other forms are skipped. */
export function readGeneralNames(buf: Buffer, seq: Tlv, out: Pick<ParsedExtensions, 'emails' | 'dnsNames' | 'uris'>): void {
  expectTag(seq, TAG.SEQUENCE, 'GeneralNames');
  for (const gn of children(buf, seq)) {
    const text = () => buf.toString('latin1', gn.contentStart, gn.end);
    if (gn.tag === 0x81) out.emails.push(text());
    else if (gn.tag === 0x82) out.dnsNames.push(text());
    else if (gn.tag === 0x86) out.uris.push(text());
  }
}

/** Extensions whose meaning this code checks or which only restrict policy processing we do not do. */
export const UNDERSTOOD_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.certificatePolicies,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
]);
