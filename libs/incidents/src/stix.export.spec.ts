import { describe, expect, it } from 'vitest';
import { buildStixBundle, scoId, scoOf, uuidv5, type StixIncidentInput, type StixObject } from './stix.export.js';

const incident = (over: Partial<StixIncidentInput> = {}): StixIncidentInput => ({
  id: '0f7c2a34-5a8e-4c1e-9a53-0c1d3f3c9e11',
  ticket: 'INC-2026-000042',
  title: 'Deface situs dinkes',
  description: 'Halaman utama diganti; kredensial CMS bocor.',
  categoryCode: 'information-content-security/unauthorised-information-modification',
  priority: 'P2',
  tlp: 'AMBER',
  reportedAt: new Date('2026-03-02T02:00:00Z'),
  updatedAt: new Date('2026-03-03T02:00:00Z'),
  ...over,
});
const producer = { name: 'Contoh-CSIRT', key: 'https://sandi.example.go.id' };
const created = new Date('2026-03-02T03:00:00Z');
const observables = [
  { type: 'ipv4' as const, value: '203.0.113.7', createdAt: created },
  { type: 'url' as const, value: "https://evil.example/it's", createdAt: created },
  { type: 'sha256' as const, value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', createdAt: created },
  { type: 'asn' as const, value: 'AS64496', createdAt: created },
  { type: 'cve' as const, value: 'CVE-2021-44228', createdAt: created },
];
const ofType = (objects: StixObject[], type: string) => objects.filter((o) => o.type === type);

describe('STIX 2.1 export', () => {
  it('makes RFC 4122 version-5 UUIDs and deterministic SCO ids', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(scoId('ipv4-addr', { value: '203.0.113.7' })).toBe(scoId('ipv4-addr', { value: '203.0.113.7' }));
    expect(scoId('ipv4-addr', { value: '203.0.113.7' })).not.toBe(scoId('ipv4-addr', { value: '203.0.113.8' }));
    expect(scoId('ipv4-addr', { value: '203.0.113.7' })).toMatch(
      /^ipv4-addr--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('writes STIX patterns with quotes escaped', () => {
    expect(scoOf(observables[1]!)!.pattern).toBe("[url:value = 'https://evil.example/it\\'s']");
    expect(scoOf(observables[2]!)!.pattern).toBe(
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    );
    expect(scoOf(observables[3]!)!.pattern).toBe('[autonomous-system:number = 64496]');
    expect(scoOf(observables[4]!)).toBeNull();
  });

  it('bundles identity, TLP 2.0 marking, incident, indicators, observed-data and vulnerability, all marked and related', () => {
    const bundle = buildStixBundle(incident(), observables, producer);
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--/);
    expect(bundle).not.toHaveProperty('spec_version');
    const o = bundle.objects;
    const marking = ofType(o, 'marking-definition');
    expect(marking).toEqual([
      expect.objectContaining({ id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER' }),
    ]);
    const [sdo] = ofType(o, 'incident');
    expect(sdo).toMatchObject({
      id: 'incident--0f7c2a34-5a8e-4c1e-9a53-0c1d3f3c9e11',
      spec_version: '2.1',
      name: 'INC-2026-000042: Deface situs dinkes',
      description: 'Halaman utama diganti; kredensial CMS bocor.',
      created: '2026-03-02T02:00:00.000Z',
      labels: expect.arrayContaining(['rsit:information-content-security="unauthorised-information-modification"']),
    });
    expect(ofType(o, 'indicator')).toHaveLength(4);
    expect(ofType(o, 'vulnerability')).toEqual([
      expect.objectContaining({ name: 'CVE-2021-44228', external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228' }] }),
    ]);
    const [observed] = ofType(o, 'observed-data');
    expect(observed!.object_refs).toHaveLength(4);
    for (const ref of observed!.object_refs as string[]) expect(o.map((x) => x.id)).toContain(ref);
    // Everything about the incident carries the marking (the office's own identity is public).
    for (const x of o.filter((x) => x.type !== 'marking-definition' && x.type !== 'identity'))
      expect(x.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
    const relationships = ofType(o, 'relationship');
    expect(relationships).toHaveLength(4 + 1 + 1);
    for (const r of relationships) expect(r).toMatchObject({ relationship_type: 'related-to', target_ref: sdo!.id });
    // Ids are unique; references resolve inside the bundle.
    expect(new Set(o.map((x) => x.id)).size).toBe(o.length);
    for (const r of relationships) expect(o.map((x) => x.id)).toContain(r.source_ref);
  });

  it('restricts AMBER+STRICT to the incident and its classification, and refuses RED', () => {
    const strict = buildStixBundle(incident({ tlp: 'AMBER+STRICT' }), observables, producer);
    expect(strict.objects.map((x) => x.type).sort()).toEqual(['identity', 'incident', 'marking-definition']);
    const [sdo] = ofType(strict.objects, 'incident');
    expect(sdo).not.toHaveProperty('description');
    expect(sdo!.name).toBe('INC-2026-000042: Unauthorised Modification of Information');
    expect(JSON.stringify(strict)).not.toContain('203.0.113.7');
    expect(() => buildStixBundle(incident({ tlp: 'RED' }), observables, producer)).toThrow(/not exported/);
  });
});
