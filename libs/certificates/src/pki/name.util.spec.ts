import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { TAG, readRoot, sequence, setOf, oid, tlv, utf8String } from './der.util.js';
import { checkEmail, encodeName, escapeRfc4514, parseName } from './name.util.js';
import { PkiErrorCode } from './pki.exception.js';
import { errorCode } from './pki-test.fixture.js';

describe('encodeName', () => {
  it('encodes C, ST, L, O, OU, title, emailAddress, serialNumber, CN with the X.520 string types', () => {
    const der = encodeName({
      commonName: 'Budi Santoso',
      organization: 'Pemerintah Kota Uji',
      organizationalUnit: 'Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Uji — Bidang Persandian',
      title: 'Kepala Bidang',
      locality: 'Kota Uji',
      state: 'Jawa Barat',
      email: 'budi@kominfo.example.go.id',
      serialNumber: 'PNS-199001252015011001',
    });
    // Read with an independent parser.
    const name = AsnConvert.parse(der, Name);
    const atv = name.map((rdn) => rdn[0]!);
    expect(atv.map((a) => a.type)).toEqual([
      '2.5.4.6',
      '2.5.4.8',
      '2.5.4.7',
      '2.5.4.10',
      '2.5.4.11',
      '2.5.4.12',
      '1.2.840.113549.1.9.1',
      '2.5.4.5',
      '2.5.4.3',
    ]);
    expect(atv[0]!.value.printableString).toBe('ID');
    expect(atv[4]!.value.utf8String).toContain('—');
    expect(atv[6]!.value.ia5String).toBe('budi@kominfo.example.go.id');
    expect(atv[7]!.value.printableString).toBe('PNS-199001252015011001');
    expect(atv[8]!.value.utf8String).toBe('Budi Santoso');
  });

  it('trims values and leaves blank optional fields out', () => {
    const der = encodeName({
      commonName: '  Budi Santoso ',
      organization: 'Pemda',
      organizationalUnit: '',
      title: '  ',
      email: ' budi@example.go.id ',
    });
    expect(parseName(der, readRoot(der)).text).toBe('CN=Budi Santoso,emailAddress=budi@example.go.id,O=Pemda,C=ID');
  });

  it('defaults C to ID and validates the fields', async () => {
    const parsed = parseName(encodeName({ commonName: 'A' }), readRoot(encodeName({ commonName: 'A' })));
    expect(parsed.text).toBe('CN=A,C=ID');
    const bad = [
      { commonName: '' },
      { commonName: '   ' },
      { commonName: 'x'.repeat(257) },
      { commonName: 'line\nbreak' },
      { commonName: 'A', country: 'id' },
      { commonName: 'A', country: 'IDN' },
      { commonName: 'A', email: 'not-an-email' },
      { commonName: 'A', email: 'sïti@example.go.id' },
      { commonName: 'A', serialNumber: 'NIK_1234' },
      { commonName: undefined as unknown as string },
      { commonName: 'A', title: 5 as unknown as string },
    ];
    for (const dn of bad) expect(await errorCode(() => encodeName(dn)), JSON.stringify(dn)).toBe(PkiErrorCode.InvalidArgument);
  });

  it('accepts plausible e-mail addresses only', async () => {
    expect(await errorCode(() => checkEmail('siti.rahma+tte@dinkes.kab-uji.go.id'))).toBe('no error');
    for (const bad of ['a@b', 'a@@b.id', '@b.id', 'a b@c.id', 'a@b.c', `${'x'.repeat(250)}@b.id`])
      expect(await errorCode(() => checkEmail(bad)), bad).toBe(PkiErrorCode.InvalidArgument);
  });
});

describe('parseName', () => {
  it('gives an RFC 4514 string (most specific first), fields and attributes', () => {
    const der = encodeName({
      commonName: 'Budi, S.Kom.',
      organization: 'Pemda',
      organizationalUnit: 'Diskominfo',
      title: 'Analis',
      email: 'budi@example.go.id',
    });
    const p = parseName(der, readRoot(der));
    expect(p.text).toBe('CN=Budi\\, S.Kom.,emailAddress=budi@example.go.id,title=Analis,OU=Diskominfo,O=Pemda,C=ID');
    expect(p.fields).toEqual({
      commonName: 'Budi, S.Kom.',
      organization: 'Pemda',
      organizationalUnit: 'Diskominfo',
      title: 'Analis',
      email: 'budi@example.go.id',
      country: 'ID',
    });
    expect(p.attributes[0]).toEqual({ oid: '2.5.4.6', name: 'C', value: 'ID' });
    expect(p.der.equals(der)).toBe(true);
  });

  it('joins multi-valued RDNs with + and hex-encodes unknown or non-string attributes', () => {
    const der = sequence(
      setOf(sequence(oid('2.5.4.11'), utf8String('B')), sequence(oid('2.5.4.11'), utf8String('A'))),
      setOf(sequence(oid('1.2.3.4'), utf8String('x'))),
      setOf(sequence(oid('2.5.4.3'), tlv(TAG.INTEGER, Buffer.from([5])))),
      setOf(sequence(oid('0.9.2342.19200300.100.1.25'), tlv(TAG.IA5_STRING, Buffer.from('go')))),
    );
    const p = parseName(der, readRoot(der));
    expect(p.text).toBe('DC=go,CN=#020105,1.2.3.4=#0c0178,OU=A+OU=B');
    expect(p.fields.organizationalUnit).toBe('A');
    expect(p.attributes.find((a) => a.oid === '1.2.3.4')).toEqual({ oid: '1.2.3.4', value: 'x' });
  });

  it('refuses empty RDNs and attributes without a value', () => {
    for (const der of [sequence(tlv(TAG.SET)), sequence(setOf(sequence(oid('2.5.4.3'))))])
      expect(() => parseName(der, readRoot(der))).toThrow();
  });

  it('escapes per RFC 4514 §2.4', () => {
    expect(escapeRfc4514('a,b+c"d\\e<f>g;h')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(escapeRfc4514('#lead')).toBe('\\#lead');
    expect(escapeRfc4514(' lead')).toBe('\\ lead');
    expect(escapeRfc4514('trail ')).toBe('trail\\ ');
    expect(escapeRfc4514('a=b')).toBe('a=b');
  });
});
