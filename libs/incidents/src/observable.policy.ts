import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * Observables (indicators) of an incident: validation and one canonical form per value, so the same
 * IP, domain or hash reported twice is stored once and correlates across incidents.
 *
 * Canonical forms:
 * - ipv4: dotted quad, no leading zeros (a leading zero is ambiguous: octal to some parsers).
 * - ipv6: RFC 5952 (lower case, no leading zeros, the longest run of two or more zero groups as `::`,
 *   IPv4-mapped addresses as `::ffff:a.b.c.d`). Zone ids are refused.
 * - domain / hostname: lower case, IDN as punycode (UTS #46 via node:url domainToASCII), no trailing
 *   dot, letters-digits-hyphen labels of 1–63 characters, at most 253 in all. A domain has two labels
 *   or more and a non-numeric top label; a hostname may be a single label.
 * - url: WHATWG serialisation, http/https/ftp only, with a host.
 * - email: dot-atom local part @ domain; all lower case (mail providers treat the local part case-
 *   insensitively, and correlation matters more here than RFC 5321's letter).
 * - md5 / sha1 / sha256: lower-case hex of exactly 32 / 40 / 64 digits.
 * - cve: `CVE-YYYY-NNNN…`, upper case. asn: `AS<number>` (asplain; asdot `1.10` is converted).
 *
 * Reports often carry "defanged" indicators (`hxxp://evil[.]example`); those are refanged first for
 * the types where that notation is used.
 */
export const OBSERVABLE_TYPES = ['ipv4', 'ipv6', 'domain', 'hostname', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve', 'asn'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export type ObservableResult = { ok: true; value: string } | { ok: false; message: string };

export const OBSERVABLE_VALUE_MAX = 2048;

const ok = (value: string): ObservableResult => ({ ok: true, value });
const fail = (message: string): ObservableResult => ({ ok: false, message });

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function isObservableType(value: unknown): value is ObservableType {
  return typeof value === 'string' && (OBSERVABLE_TYPES as readonly string[]).includes(value);
}

/** Undoes the usual defanging: hxxp(s), [.] (.) [dot], [@] [at], [:]. */
export function refang(raw: string): string {
  return raw
    .replace(/^hxxp(s?):/i, 'http$1:')
    .replace(/^fxp:/i, 'ftp:')
    .replace(/\[\.\]|\(\.\)|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[@\]|\[at\]|\(at\)/gi, '@')
    .replace(/\[:\]/g, ':');
}

export function normaliseObservable(type: ObservableType, raw: string): ObservableResult {
  if (typeof raw !== 'string') return fail('nilai harus berupa teks (value must be text)');
  const input = raw.trim();
  if (!input) return fail('nilai kosong (empty value)');
  if (input.length > OBSERVABLE_VALUE_MAX) return fail(`nilai terlalu panjang (longer than ${OBSERVABLE_VALUE_MAX} characters)`);
  if (CONTROL.test(input)) return fail('nilai mengandung karakter kontrol (control characters)');
  switch (type) {
    case 'ipv4':
      return normaliseIpv4(refang(input));
    case 'ipv6':
      return normaliseIpv6(input);
    case 'domain':
      return normaliseDomainName(refang(input), { minLabels: 2 });
    case 'hostname':
      return normaliseDomainName(refang(input), { minLabels: 1 });
    case 'url':
      return normaliseUrl(refang(input));
    case 'email':
      return normaliseEmail(refang(input));
    case 'md5':
      return hexHash(input, 32, 'MD5');
    case 'sha1':
      return hexHash(input, 40, 'SHA-1');
    case 'sha256':
      return hexHash(input, 64, 'SHA-256');
    case 'cve':
      return normaliseCve(input);
    case 'asn':
      return normaliseAsn(input);
  }
}

export function normaliseIpv4(input: string): ObservableResult {
  const parts = input.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return fail('bukan alamat IPv4 (not a dotted-quad IPv4 address)');
  if (parts.some((p) => p.length > 1 && p.startsWith('0')))
    return fail('oktet IPv4 tidak boleh diawali nol (leading zero in an IPv4 octet)');
  if (parts.some((p) => Number(p) > 255)) return fail('oktet IPv4 di luar 0–255 (IPv4 octet out of range)');
  return ok(parts.map(Number).join('.'));
}

export function normaliseIpv6(input: string): ObservableResult {
  const bad = fail('bukan alamat IPv6 (not an IPv6 address)');
  if (input.includes('%')) return fail('zona IPv6 tidak didukung (IPv6 zone ids are not accepted)');
  const text = input.replace(/^\[(.*)\]$/, '$1');
  if (!isIPv6(text) || !/^[0-9A-Fa-f:.]+$/.test(text)) return bad;
  let head = text;
  const groups: number[] = [];
  const lastColon = head.lastIndexOf(':');
  let v4: number[] | null = null;
  if (head.slice(lastColon + 1).includes('.')) {
    const quad = normaliseIpv4(head.slice(lastColon + 1));
    if (!quad.ok) return bad;
    v4 = quad.value.split('.').map(Number);
    head = head.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return bad;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - left.length - right.length;
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) return bad;
  groups.push(...left, ...Array<number>(fill).fill(0), ...right);
  if (v4) {
    groups[6] = v4[0]! * 256 + v4[1]!;
    groups[7] = v4[2]! * 256 + v4[3]!;
  }
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return bad;
  return ok(formatIpv6(groups));
}

/** RFC 5952 text form of eight 16-bit groups. */
function formatIpv6(groups: number[]): string {
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `::ffff:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normaliseDomainName(input: string, opts: { minLabels: 1 | 2 }): ObservableResult {
  const what = opts.minLabels === 2 ? 'domain' : 'hostname';
  if (/[%/\\@:\s[\]]/.test(input)) return fail(`bukan nama ${what} (not a ${what}: contains characters a ${what} cannot have)`);
  const stripped = input.endsWith('.') && !input.endsWith('..') ? input.slice(0, -1) : input;
  if (normaliseIpv4(stripped).ok) return fail(`alamat IP bukan ${what} (an IP address is not a ${what})`);
  const ascii = domainToASCII(stripped.toLowerCase());
  if (!ascii) return fail(`bukan nama ${what} yang sah (invalid ${what}, e.g. an invalid IDN label)`);
  if (ascii.length > 253) return fail(`nama ${what} lebih dari 253 karakter (${what} longer than 253 characters)`);
  const labels = ascii.split('.');
  if (labels.some((l) => l === '')) return fail(`label kosong dalam nama ${what} (empty label, e.g. "example..com")`);
  if (labels.some((l) => !LABEL.test(l)))
    return fail(`label tidak sah: huruf, angka dan tanda hubung, 1–63 karakter (invalid label in ${what})`);
  if (labels.length < opts.minLabels) return fail('nama domain memerlukan minimal dua label (a domain needs at least two labels)');
  if (/^\d+$/.test(labels[labels.length - 1]!)) return fail(`label teratas tidak boleh angka saja (numeric top-level label in ${what})`);
  return ok(ascii);
}

const URL_SCHEMES = new Set(['http:', 'https:', 'ftp:']);

export function normaliseUrl(input: string): ObservableResult {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('bukan URL yang sah (not a valid URL)');
  }
  if (!URL_SCHEMES.has(url.protocol)) return fail('hanya URL http, https atau ftp (only http, https and ftp URLs)');
  if (!url.hostname) return fail('URL tanpa host (URL without a host)');
  // The WHATWG parser has already refused forbidden host characters and mapped IDNs; hosts such as
  // `my_site.example` are served by browsers, so only empty labels are refused here.
  if (
    url.hostname
      .replace(/\.$/, '')
      .split('.')
      .some((l) => l === '')
  )
    return fail('host URL memiliki label kosong (URL host with an empty label)');
  if (url.href.length > OBSERVABLE_VALUE_MAX) return fail(`URL lebih dari ${OBSERVABLE_VALUE_MAX} karakter (URL too long)`);
  return ok(url.href);
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export function normaliseEmail(input: string): ObservableResult {
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return fail('bukan alamat e-mail (not an e-mail address)');
  const local = input.slice(0, at);
  if (local.length > 64 || !LOCAL_PART.test(local)) return fail('bagian lokal alamat e-mail tidak sah (invalid local part)');
  const domain = normaliseDomainName(input.slice(at + 1), { minLabels: 2 });
  if (!domain.ok) return fail(`domain alamat e-mail tidak sah (invalid e-mail domain): ${domain.message}`);
  const value = `${local.toLowerCase()}@${domain.value}`;
  if (value.length > 254) return fail('alamat e-mail lebih dari 254 karakter (e-mail address too long)');
  return ok(value);
}

function hexHash(input: string, length: number, name: string): ObservableResult {
  const v = input.toLowerCase();
  if (!/^[0-9a-f]+$/.test(v)) return fail(`${name} harus heksadesimal (${name} must be hexadecimal)`);
  if (v.length !== length) return fail(`${name} harus ${length} digit heksadesimal (${name} must have exactly ${length} hex digits)`);
  return ok(v);
}

export function normaliseCve(input: string): ObservableResult {
  const m = /^CVE-(\d{4})-(\d{4,19})$/.exec(input.toUpperCase());
  if (!m) return fail('format CVE: CVE-YYYY-NNNN (CVE id must look like CVE-2024-12345)');
  const year = Number(m[1]);
  if (year < 1999) return fail('tahun CVE tidak mungkin sebelum 1999 (CVE year before 1999)');
  if (m[2]!.length > 4 && m[2]!.startsWith('0'))
    return fail('nomor urut CVE lebih dari 4 digit tidak diawali nol (malformed CVE sequence number)');
  return ok(`CVE-${m[1]}-${m[2]}`);
}

export function normaliseAsn(input: string): ObservableResult {
  const m = /^(?:AS)?(\d{1,10})(?:\.(\d{1,5}))?$/i.exec(input.replace(/\s+/g, ''));
  if (!m) return fail('format ASN: AS64496 (ASN must look like AS64496)');
  let n: number;
  if (m[2] !== undefined) {
    const high = Number(m[1]);
    const low = Number(m[2]);
    if (high > 65535 || low > 65535) return fail('ASN asdot di luar rentang (asdot ASN out of range)');
    n = high * 65536 + low;
  } else {
    n = Number(m[1]);
  }
  if (n < 1 || n > 4294967295) return fail('ASN di luar rentang 1–4294967295 (ASN out of range)');
  return ok(`AS${n}`);
}

export const OBSERVABLE_LABELS: Record<ObservableType, { id: string; en: string }> = {
  ipv4: { id: 'Alamat IPv4', en: 'IPv4 address' },
  ipv6: { id: 'Alamat IPv6', en: 'IPv6 address' },
  domain: { id: 'Nama domain', en: 'Domain name' },
  hostname: { id: 'Nama host', en: 'Host name' },
  url: { id: 'URL', en: 'URL' },
  email: { id: 'Alamat e-mail', en: 'E-mail address' },
  md5: { id: 'Hash MD5', en: 'MD5 hash' },
  sha1: { id: 'Hash SHA-1', en: 'SHA-1 hash' },
  sha256: { id: 'Hash SHA-256', en: 'SHA-256 hash' },
  cve: { id: 'CVE', en: 'CVE' },
  asn: { id: 'Nomor AS (ASN)', en: 'Autonomous system number' },
};
