import { describe, expect, it } from 'vitest';
import { normaliseObservable, refang, type ObservableType } from './observable.policy.js';

const value = (type: ObservableType, raw: string) => {
  const r = normaliseObservable(type, raw);
  return r.ok ? r.value : null;
};
const refused = (type: ObservableType, raw: string) => {
  const r = normaliseObservable(type, raw);
  expect(r.ok, `${type} ${JSON.stringify(raw)} should be refused, got ${r.ok ? r.value : ''}`).toBe(false);
  if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
};

describe('observable policy', () => {
  describe('ipv4', () => {
    it('accepts dotted quads and keeps them canonical', () => {
      expect(value('ipv4', '192.0.2.10')).toBe('192.0.2.10');
      expect(value('ipv4', ' 0.0.0.0 ')).toBe('0.0.0.0');
      expect(value('ipv4', '255.255.255.255')).toBe('255.255.255.255');
      expect(value('ipv4', '203.0.113[.]7')).toBe('203.0.113.7');
    });
    it('refuses out-of-range, short, long, octal-looking, hex and decorated forms', () => {
      for (const bad of [
        '999.1.1.1',
        '256.0.0.1',
        '1.2.3',
        '1.2.3.4.5',
        '01.2.3.4',
        '1.2.3.04',
        '0x7f.0.0.1',
        '127.1',
        '2130706433',
        '1.2.3.4/24',
        '1.2.3.4:80',
        '1. 2.3.4',
        '1.2.3.-4',
        '１.2.3.4',
        '',
      ]) {
        refused('ipv4', bad);
      }
    });
  });

  describe('ipv6', () => {
    it('writes the RFC 5952 canonical compressed form', () => {
      expect(value('ipv6', '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
      expect(value('ipv6', '2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // first of two equal runs
      expect(value('ipv6', '2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // a single zero group is not compressed
      expect(value('ipv6', '2001:db8:0:0:1:0:0:0')).toBe('2001:db8:0:0:1::'); // the longest run wins
      expect(value('ipv6', '::')).toBe('::');
      expect(value('ipv6', '0:0:0:0:0:0:0:1')).toBe('::1');
      expect(value('ipv6', '::ffff:C000:0280')).toBe('::ffff:192.0.2.128');
      expect(value('ipv6', '::ffff:192.0.2.128')).toBe('::ffff:192.0.2.128');
      expect(value('ipv6', '[2001:db8::1]')).toBe('2001:db8::1');
      expect(value('ipv6', 'FE80::A')).toBe('fe80::a');
    });
    it('refuses malformed addresses and zone ids', () => {
      for (const bad of [
        '2001:db8::1::1',
        '2001:db8:::1',
        '12345::1',
        'g::1',
        '1:2:3:4:5:6:7:8:9',
        '1:2:3:4:5:6:7',
        'fe80::1%eth0',
        '::ffff:999.1.1.1',
        '192.0.2.1',
        ':1',
        '1:',
      ]) {
        refused('ipv6', bad);
      }
    });
  });

  describe('domain and hostname', () => {
    it('lower-cases, converts IDN to punycode and drops the trailing dot', () => {
      expect(value('domain', 'WWW.Example.GO.ID.')).toBe('www.example.go.id');
      expect(value('domain', 'bücher.de')).toBe('xn--bcher-kva.de');
      expect(value('domain', 'xn--bcher-kva.de')).toBe('xn--bcher-kva.de');
      expect(value('domain', 'evil[.]example[.]com')).toBe('evil.example.com');
      expect(value('hostname', 'SRV-WEB01')).toBe('srv-web01');
      expect(value('hostname', 'mail.pemda.example.go.id')).toBe('mail.pemda.example.go.id');
    });
    it('refuses empty labels, bad characters, bad hyphens, IPs, numeric TLDs and over-long names', () => {
      const long = `${'a'.repeat(63)}.`.repeat(4) + 'com';
      for (const bad of [
        'example..com',
        '.example.com',
        'example.com..',
        'exa mple.com',
        'ex%41mple.com',
        'a_b.example.com',
        '-a.example.com',
        'a-.example.com',
        `${'a'.repeat(64)}.com`,
        long,
        'example',
        '1.2.3.4',
        '999.1.1.1',
        'example.123',
        'http://example.com',
        'user@example.com',
        'example.com:80',
        'xn--zz.com',
      ]) {
        refused('domain', bad);
      }
      for (const bad of ['host..name', 'a_b', '-host', '10.0.0.1']) refused('hostname', bad);
    });
  });

  describe('url', () => {
    it('keeps http, https and ftp URLs in WHATWG form (lower-case host, punycode, encoded spaces)', () => {
      expect(value('url', 'HTTP://Example.COM/Login?next=/a b#x')).toBe('http://example.com/Login?next=/a%20b#x');
      expect(value('url', 'https://bücher.de/')).toBe('https://xn--bcher-kva.de/');
      expect(value('url', 'hxxps://phish[.]example[.]com/login')).toBe('https://phish.example.com/login');
      expect(value('url', 'ftp://files.example.org/x.exe')).toBe('ftp://files.example.org/x.exe');
      expect(value('url', 'http://[2001:db8::1]:8080/')).toBe('http://[2001:db8::1]:8080/');
      expect(value('url', 'http://user:pass@example.com/')).toBe('http://user:pass@example.com/');
    });
    it('refuses other schemes, hostless and malformed URLs, and control characters', () => {
      for (const bad of [
        'javascript:alert(1)',
        'JavaScript:alert(document.cookie)',
        'data:text/html,<script>alert(1)</script>',
        'file:///etc/passwd',
        'mailto:a@example.com',
        'vbscript:msgbox(1)',
        'example.com/path',
        'http://',
        'https://999.1.1.1/',
        'http://example..com/',
        'http://exa\tmple.com/',
        'http://example.com/\nSet-Cookie: x',
        `http://example.com/${'a'.repeat(2100)}`,
      ]) {
        refused('url', bad);
      }
    });
  });

  describe('email', () => {
    it('normalises the domain and case', () => {
      expect(value('email', 'Admin@Pemda.Example.GO.ID')).toBe('admin@pemda.example.go.id');
      expect(value('email', 'info@bücher.de')).toBe('info@xn--bcher-kva.de');
      expect(value('email', 'phisher[@]evil[.]example')).toBe('phisher@evil.example');
      expect(value('email', "o'brien+tag@example.com")).toBe("o'brien+tag@example.com");
    });
    it('refuses addresses without a proper local part or domain', () => {
      for (const bad of [
        'plainaddress',
        '@example.com',
        'a@',
        'a@b',
        'a..b@example.com',
        '.a@example.com',
        'a.@example.com',
        'a b@example.com',
        'a@example..com',
        `${'a'.repeat(65)}@example.com`,
        'a@1.2.3.4',
        '"a"@example.com',
      ]) {
        refused('email', bad);
      }
    });
  });

  describe('hashes, CVE and ASN', () => {
    it('lower-cases hashes of exactly the right length', () => {
      expect(value('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
      expect(value('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
      expect(value('sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855')).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      refused('md5', 'd41d8cd98f00b204e9800998ecf8427');
      refused('md5', 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
      refused('sha1', 'd41d8cd98f00b204e9800998ecf8427e');
      refused('sha256', 'z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      refused('sha256', '0x3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85');
    });
    it('upper-cases CVE ids and checks their shape', () => {
      expect(value('cve', 'cve-2021-44228')).toBe('CVE-2021-44228');
      expect(value('cve', 'CVE-2024-1234567')).toBe('CVE-2024-1234567');
      for (const bad of [
        'CVE-2021-123',
        'CVE-21-44228',
        'CVE-1998-0001',
        'CVE-2021-44228x',
        'CAN-2021-44228',
        '2021-44228',
        'CVE-2021-044228',
      ])
        refused('cve', bad);
    });
    it('writes ASNs as AS<number>, converting asdot, within 1–4294967295', () => {
      expect(value('asn', '64496')).toBe('AS64496');
      expect(value('asn', 'as7713')).toBe('AS7713');
      expect(value('asn', 'AS1.10')).toBe('AS65546');
      expect(value('asn', 'AS4294967295')).toBe('AS4294967295');
      for (const bad of ['AS0', 'AS4294967296', 'ASX', 'AS-1', 'AS65536.1', 'AS1.65536', '']) refused('asn', bad);
    });
  });

  it('refangs the usual defanged notations', () => {
    expect(refang('hxxp://evil[.]example(.)com[dot]id')).toBe('http://evil.example.com.id');
    expect(refang('a[at]b[.]c')).toBe('a@b.c');
  });

  it('refuses empty, over-long and non-text values for every type', () => {
    for (const type of ['ipv4', 'ipv6', 'domain', 'hostname', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve', 'asn'] as const) {
      refused(type, '   ');
      refused(type, 'x'.repeat(3000));
      refused(type, 42 as unknown as string);
    }
  });
});
