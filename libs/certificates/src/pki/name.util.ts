import { PkiError, PkiErrorCode } from './pki.exception.js';
import { OID } from './pki.constants.js';
import {
  type Tlv,
  DerError,
  TAG,
  bytesOf,
  children,
  decodeOid,
  decodeString,
  expectTag,
  ia5String,
  oid,
  printableString,
  sequence,
  setOf,
  utf8String,
} from './der.util.js';

/** The subject of a certificate we issue. C defaults to "ID"; blank optional fields are omitted. */
export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  title?: string;
  /** Two-letter ISO 3166 code; defaults to "ID". */
  country?: string;
  locality?: string;
  state?: string;
  /** PKCS#9 emailAddress in the DN (legacy, but many signing tools still show it). */
  email?: string;
  serialNumber?: string;
}

/** Attributes read from a name; for repeated attributes (two OUs) the first one. */
export interface NameFields {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  title?: string;
  country?: string;
  locality?: string;
  state?: string;
  email?: string;
  serialNumber?: string;
  givenName?: string;
  surname?: string;
  street?: string;
  postalCode?: string;
  organizationIdentifier?: string;
}

/** One attribute of a name, in encoding order. `name` is the RFC 4514 short name when we know it. */
export interface NameAttribute {
  oid: string;
  name?: string;
  value: string;
}

interface AttributeType {
  oid: string;
  short: string;
  field: keyof NameFields;
}

const ATTRIBUTE_TYPES: readonly AttributeType[] = [
  { oid: '2.5.4.3', short: 'CN', field: 'commonName' },
  { oid: '2.5.4.6', short: 'C', field: 'country' },
  { oid: '2.5.4.7', short: 'L', field: 'locality' },
  { oid: '2.5.4.8', short: 'ST', field: 'state' },
  { oid: '2.5.4.10', short: 'O', field: 'organization' },
  { oid: '2.5.4.11', short: 'OU', field: 'organizationalUnit' },
  { oid: '2.5.4.12', short: 'title', field: 'title' },
  { oid: '2.5.4.5', short: 'serialNumber', field: 'serialNumber' },
  { oid: OID.emailAddress, short: 'emailAddress', field: 'email' },
  { oid: '2.5.4.42', short: 'GN', field: 'givenName' },
  { oid: '2.5.4.4', short: 'SN', field: 'surname' },
  { oid: '2.5.4.9', short: 'STREET', field: 'street' },
  { oid: '2.5.4.17', short: 'postalCode', field: 'postalCode' },
  { oid: '2.5.4.97', short: 'organizationIdentifier', field: 'organizationIdentifier' },
];
const BY_OID = new Map(ATTRIBUTE_TYPES.map((a) => [a.oid, a]));
const BY_FIELD = new Map(ATTRIBUTE_TYPES.map((a) => [a.field, a]));
const EXTRA_SHORT = new Map([
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
]);

const MAX_VALUE = 256;

/** Trimmed value, or undefined for an absent or blank optional field; control characters are refused. */
function cleanText(field: string, v: string | undefined, required: boolean): string | undefined {
  if (v !== undefined && typeof v !== 'string') throw new PkiError(PkiErrorCode.InvalidArgument, `subject ${field} must be a string`);
  const t = v?.trim() ?? '';
  if (t.length === 0) {
    if (required) throw new PkiError(PkiErrorCode.InvalidArgument, `subject ${field} is required`);
    return undefined;
  }
  if (t.length > MAX_VALUE || hasControlCharacter(t)) {
    throw new PkiError(PkiErrorCode.InvalidArgument, `subject ${field} must be at most ${MAX_VALUE} characters without control characters`);
  }
  return t;
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** RFC 5322-ish mailbox in ASCII (IA5String); internationalised mailboxes are not supported. */
export function checkEmail(email: string): void {
  if (email.length > 254 || !/^[\x21-\x7e]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(email) || email.indexOf('@') !== email.lastIndexOf('@')) {
    throw new PkiError(PkiErrorCode.InvalidArgument, `not an ASCII e-mail address: ${JSON.stringify(email)}`);
  }
}

/**
 * DER Name in the order C, ST, L, O, OU, title, emailAddress, serialNumber, CN (one attribute per
 * RDN; CN last so the RFC 4514 string starts with it). C and serialNumber are PrintableString as
 * X.520 requires, emailAddress IA5String, the rest UTF8String (RFC 5280 §4.1.2.6). Values are
 * trimmed; blank optional fields are left out. No X.520 upper bounds are enforced: unit names of
 * regional offices exceed 64 characters and verifiers do not check them.
 */
export function encodeName(dn: DistinguishedName): Buffer {
  const country = dn.country ?? 'ID';
  if (!/^[A-Z]{2}$/.test(country))
    throw new PkiError(PkiErrorCode.InvalidArgument, `country must be two capital letters, got ${JSON.stringify(country)}`);
  const rdns: Buffer[] = [rdn('2.5.4.6', printableString(country))];
  const text = (field: keyof DistinguishedName & keyof NameFields, required = false) => {
    const v = cleanText(field, dn[field], required);
    if (v !== undefined) rdns.push(rdn(BY_FIELD.get(field)!.oid, utf8String(v)));
  };
  text('state');
  text('locality');
  text('organization');
  text('organizationalUnit');
  text('title');
  const email = cleanText('email', dn.email, false);
  if (email !== undefined) {
    checkEmail(email);
    rdns.push(rdn(OID.emailAddress, ia5String(email)));
  }
  const serialNumber = cleanText('serialNumber', dn.serialNumber, false);
  if (serialNumber !== undefined) {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]{1,64}$/.test(serialNumber))
      throw new PkiError(PkiErrorCode.InvalidArgument, 'subject serialNumber must be a PrintableString of 1–64 characters');
    rdns.push(rdn('2.5.4.5', printableString(serialNumber)));
  }
  text('commonName', true);
  return sequence(...rdns);
}

function rdn(type: string, value: Buffer): Buffer {
  return setOf(sequence(oid(type), value));
}

export interface ParsedName {
  /** RFC 4514 string, most specific RDN first ("CN=…,O=…,C=ID"). */
  text: string;
  fields: NameFields;
  attributes: NameAttribute[];
  /** The exact DER of the Name, for issuer/subject matching and hashing. */
  der: Buffer;
}

/** Reads a Name. Throws DerError on structure problems; the caller maps it. */
export function parseName(buf: Buffer, t: Tlv): ParsedName {
  expectTag(t, TAG.SEQUENCE, 'Name');
  const fields: NameFields = {};
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  for (const set of children(buf, t)) {
    expectTag(set, TAG.SET, 'RelativeDistinguishedName');
    const parts: string[] = [];
    const atvs = children(buf, set);
    if (atvs.length === 0) throw new DerError('empty RDN');
    for (const atv of atvs) {
      expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue');
      const [typeT, valueT, extra] = children(buf, atv);
      if (!typeT || !valueT || extra) throw new DerError('AttributeTypeAndValue needs a type and a value');
      const type = decodeOid(buf, typeT);
      const known = BY_OID.get(type);
      let value: string;
      let rendered: string;
      const short = known?.short ?? EXTRA_SHORT.get(type);
      try {
        value = decodeString(buf, valueT);
        rendered = short ? `${short}=${escapeRfc4514(value)}` : `${type}=#${bytesOf(buf, valueT).toString('hex')}`;
      } catch {
        // Not a string type: RFC 4514 hex form.
        value = `#${bytesOf(buf, valueT).toString('hex')}`;
        rendered = `${short ?? type}=${value}`;
      }
      attributes.push(short ? { oid: type, name: short, value } : { oid: type, value });
      if (known && fields[known.field] === undefined) fields[known.field] = value;
      parts.push(rendered);
    }
    rdnTexts.push(parts.join('+'));
  }
  return { text: rdnTexts.reverse().join(','), fields, attributes, der: bytesOf(buf, t) };
}

/** RFC 4514 §2.4 escaping of an attribute value. */
export function escapeRfc4514(v: string): string {
  // eslint-disable-next-line no-control-regex -- RFC 4514 escapes NUL as \00
  let s = v.replace(/[\\",+;<>]/g, (c) => `\\${c}`).replace(/\u0000/g, '\\00');
  if (s.startsWith('#') || s.startsWith(' ')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}
