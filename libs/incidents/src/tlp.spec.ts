import { describe, expect, it } from 'vitest';
import { parseTlp, TLP_DISCLOSURE, TLP_LABELS, tlpMarkingDefinition, tlpRank } from './tlp.js';

describe('TLP 2.0', () => {
  it('has the five TLP 2.0 labels in order of restriction', () => {
    expect(TLP_LABELS).toEqual(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']);
    expect(tlpRank('RED')).toBeGreaterThan(tlpRank('AMBER+STRICT'));
  });

  it('parses the spellings people use and refuses others', () => {
    expect(parseTlp('TLP:AMBER+STRICT')).toBe('AMBER+STRICT');
    expect(parseTlp(' amber ')).toBe('AMBER');
    expect(parseTlp('tlp:white')).toBe('CLEAR');
    for (const bad of ['', 'AMBER STRICT', 'YELLOW', 'TLP:', 'red!']) expect(parseTlp(bad), bad).toBeNull();
  });

  it('discloses less as the label tightens: RED keeps the recommendation off the link and refuses export', () => {
    expect(TLP_DISCLOSURE.RED).toMatchObject({
      trackingShowsRecommendation: false,
      mailCarriesRecommendation: false,
      stixExport: 'refused',
      csvShowsTitle: false,
    });
    expect(TLP_DISCLOSURE['AMBER+STRICT'].stixExport).toBe('restricted');
    for (const l of ['CLEAR', 'GREEN', 'AMBER'] as const) expect(TLP_DISCLOSURE[l].stixExport).toBe('full');
    const order = { full: 0, restricted: 1, refused: 2 };
    for (let i = 1; i < TLP_LABELS.length; i++) {
      expect(order[TLP_DISCLOSURE[TLP_LABELS[i]!].stixExport]).toBeGreaterThanOrEqual(order[TLP_DISCLOSURE[TLP_LABELS[i - 1]!].stixExport]);
    }
  });

  it('reproduces the official STIX marking-definition objects of TLP 2.0', () => {
    expect(tlpMarkingDefinition('AMBER+STRICT')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'amber+strict' },
      },
    });
    expect(tlpMarkingDefinition('CLEAR').id).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
    expect(tlpMarkingDefinition('GREEN').id).toBe('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb');
    expect(tlpMarkingDefinition('AMBER').id).toBe('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421');
    expect(tlpMarkingDefinition('RED').id).toBe('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
  });
});
