/**
 * Traffic Light Protocol 2.0 (FIRST, 2022) labels, and what each lets this platform disclose.
 *
 * The reporter is the source of a report and a recipient of what the SOC writes back, through a
 * bearer link (the tracking URL) that can be forwarded. So the tracking page and the e-mails follow the
 * label like any other disclosure:
 * - CLEAR, GREEN: everything the reporter may see (status, milestones, classification, recommendation).
 * - AMBER, AMBER+STRICT: the same; the reporter's organisation is the intended audience. Observables are
 *   never shown on the tracking page at any label (they are the SOC's working material).
 * - RED: status and milestones only. The recommendation is not put on a forwardable link or in mail;
 *   the analyst delivers it to the named recipient in person or by phone, and the page says so.
 *
 * Exports go outside the office (STIX bundles to other CSIRTs) or into files that travel (CSV):
 * - CLEAR, GREEN, AMBER: STIX export in full, marked with the label.
 * - AMBER+STRICT: restricted to the recipient's own organisation, so the STIX export is restricted:
 *   the incident object and its classification only, no description, no observables.
 * - RED: no STIX export at all; in CSV the title is withheld.
 */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

/** Default for a new report: incident reports name systems and weaknesses, so limited disclosure. */
export const DEFAULT_TLP: TlpLabel = 'AMBER';

export interface TlpDisclosure {
  trackingShowsClassification: boolean;
  trackingShowsRecommendation: boolean;
  mailCarriesRecommendation: boolean;
  stixExport: 'full' | 'restricted' | 'refused';
  csvShowsTitle: boolean;
}

export const TLP_DISCLOSURE: Record<TlpLabel, TlpDisclosure> = {
  CLEAR: {
    trackingShowsClassification: true,
    trackingShowsRecommendation: true,
    mailCarriesRecommendation: true,
    stixExport: 'full',
    csvShowsTitle: true,
  },
  GREEN: {
    trackingShowsClassification: true,
    trackingShowsRecommendation: true,
    mailCarriesRecommendation: true,
    stixExport: 'full',
    csvShowsTitle: true,
  },
  AMBER: {
    trackingShowsClassification: true,
    trackingShowsRecommendation: true,
    mailCarriesRecommendation: true,
    stixExport: 'full',
    csvShowsTitle: true,
  },
  'AMBER+STRICT': {
    trackingShowsClassification: true,
    trackingShowsRecommendation: true,
    mailCarriesRecommendation: true,
    stixExport: 'restricted',
    csvShowsTitle: true,
  },
  RED: {
    trackingShowsClassification: false,
    trackingShowsRecommendation: false,
    mailCarriesRecommendation: false,
    stixExport: 'refused',
    csvShowsTitle: false,
  },
};

export function isTlpLabel(value: unknown): value is TlpLabel {
  return typeof value === 'string' && (TLP_LABELS as readonly string[]).includes(value);
}

/** Accepts `TLP:AMBER+STRICT`, `amber+strict`, `tlp:clear`; `WHITE` (TLP 1.0) is read as CLEAR. */
export function parseTlp(input: string): TlpLabel | null {
  if (typeof input !== 'string') return null;
  const v = input.trim().toUpperCase().replace(/^TLP:/, '');
  if (v === 'WHITE') return 'CLEAR';
  return isTlpLabel(v) ? v : null;
}

/** Higher index = more restricted. */
export function tlpRank(label: TlpLabel): number {
  return TLP_LABELS.indexOf(label);
}

/**
 * The official STIX 2.1 marking-definition objects of TLP 2.0 (OASIS cti-stix-common-objects,
 * extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d). Ids and `created` are part of the
 * published objects and must be reproduced exactly.
 */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const TLP2_MARKING_IDS: Record<TlpLabel, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export interface StixTlpMarking {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  extensions: Record<string, { extension_type: 'property-extension'; tlp_2_0: string }>;
}

export function tlpMarkingDefinition(label: TlpLabel): StixTlpMarking {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[label],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${label}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: label.toLowerCase() } },
  };
}

export const TLP_DESCRIPTIONS: Record<TlpLabel, { id: string; en: string }> = {
  CLEAR: { id: 'Boleh disebarkan tanpa batasan.', en: 'Disclosure is not limited.' },
  GREEN: { id: 'Boleh dibagikan dalam komunitas, tidak melalui saluran publik.', en: 'Limited to the community; not via public channels.' },
  AMBER: {
    id: 'Hanya untuk organisasi penerima dan kliennya, sebatas perlu tahu.',
    en: "Limited to the recipient's organisation and its clients, on a need-to-know basis.",
  },
  'AMBER+STRICT': { id: 'Hanya untuk organisasi penerima.', en: "Limited to the recipient's organisation only." },
  RED: { id: 'Hanya untuk penerima yang disebut; tidak boleh diteruskan.', en: 'For the named recipients only; no further disclosure.' },
};
