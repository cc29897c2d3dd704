import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@sandi/core';
import type { ObservableType } from './observable.policy.js';
import { categoryLabel } from './taxonomy.js';
import { TLP_DISCLOSURE, tlpMarkingDefinition, TLP2_MARKING_IDS, type TlpLabel } from './tlp.js';

/**
 * STIX 2.1 export of one incident, for sharing with other CSIRTs (OASIS STIX 2.1, TLP 2.0 markings).
 *
 * The bundle holds: the office's identity; the TLP 2.0 marking definition (TLP 2.0 markings are not
 * predefined in STIX 2.1, so the object travels with the bundle); the incident SDO; per observable
 * the cyber-observable object (deterministic id, §2.9), an indicator with a STIX pattern (type
 * `unknown`: an observable may be the victim's system as well as the attacker's), and one observed-
 * data object over all of them; a CVE becomes a vulnerability SDO. Everything is marked and
 * `related-to` the incident. Under AMBER+STRICT only the incident and its classification go out;
 * RED is never exported (the caller refuses before building).
 */

/** STIX 2.1 §2.9: the namespace of deterministic SCO identifiers. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

export interface StixIncidentInput {
  id: string;
  ticket: string;
  title: string;
  description: string;
  categoryCode: string;
  priority: string;
  tlp: TlpLabel;
  reportedAt: Date;
  updatedAt: Date;
}

export interface StixObservableInput {
  type: ObservableType;
  value: string;
  createdAt: Date;
}

export interface StixProducer {
  name: string;
  /** Stable name the identity id is derived from, e.g. the platform's public URL. */
  key: string;
}

/** RFC 4122 version-5 UUID (SHA-1 over namespace and name). */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A deterministic SCO id: UUIDv5 over the canonical JSON of its ID-contributing properties. */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}

const HASH_NAMES: Partial<Record<ObservableType, string>> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

/** The SCO for an observable, with the STIX pattern that matches it (null for a CVE, which is an SDO). */
export function scoOf(o: StixObservableInput): { sco: StixObject; pattern: string } | null {
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const simple = (type: string) => ({
    sco: { type, spec_version: '2.1', id: scoId(type, { value: o.value }), value: o.value },
    pattern: `[${type}:value = ${quote(o.value)}]`,
  });
  switch (o.type) {
    case 'ipv4':
      return simple('ipv4-addr');
    case 'ipv6':
      return simple('ipv6-addr');
    case 'domain':
    case 'hostname':
      return simple('domain-name');
    case 'url':
      return simple('url');
    case 'email':
      return simple('email-addr');
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const algo = HASH_NAMES[o.type]!;
      const hashes = { [algo]: o.value };
      return {
        sco: { type: 'file', spec_version: '2.1', id: scoId('file', { hashes }), hashes },
        pattern: `[file:hashes.${quote(algo)} = ${quote(o.value)}]`,
      };
    }
    case 'asn': {
      const number = Number(o.value.replace(/^AS/, ''));
      return {
        sco: { type: 'autonomous-system', spec_version: '2.1', id: scoId('autonomous-system', { number }), number },
        pattern: `[autonomous-system:number = ${number}]`,
      };
    }
    case 'cve':
      return null;
  }
}

export function buildStixBundle(incident: StixIncidentInput, observables: StixObservableInput[], producer: StixProducer): StixBundle {
  const policy = TLP_DISCLOSURE[incident.tlp].stixExport;
  if (policy === 'refused') throw new Error(`TLP:${incident.tlp} incidents are not exported`);
  const ts = (d: Date) => d.toISOString();
  const marking = tlpMarkingDefinition(incident.tlp);
  const markingRefs = [TLP2_MARKING_IDS[incident.tlp]];
  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidv5(`sandi:${producer.key}`, STIX_SCO_NAMESPACE)}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: producer.name,
    identity_class: 'organization',
    sectors: ['government-regional'],
  };
  const common = { spec_version: '2.1', created_by_ref: identity.id, object_marking_refs: markingRefs };
  const [cls, type] = incident.categoryCode.split('/');
  const label = categoryLabel(incident.categoryCode);
  const restricted = policy === 'restricted';
  const incidentSdo: StixObject = {
    type: 'incident',
    ...common,
    id: `incident--${incident.id}`,
    created: ts(incident.reportedAt),
    modified: ts(incident.updatedAt),
    name: restricted ? `${incident.ticket}: ${label.en}` : `${incident.ticket}: ${incident.title}`,
    ...(restricted ? {} : { description: incident.description }),
    labels: [`rsit:${cls}="${type}"`, `priority:${incident.priority}`],
    external_references: [{ source_name: producer.name, external_id: incident.ticket }],
  };
  const objects: StixObject[] = [marking as unknown as StixObject, identity, incidentSdo];
  if (restricted) return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };

  const relate = (source: string, created: string): StixObject => ({
    type: 'relationship',
    ...common,
    id: `relationship--${uuidv5(`${source}|related-to|${incidentSdo.id}`, STIX_SCO_NAMESPACE)}`,
    created,
    modified: created,
    relationship_type: 'related-to',
    source_ref: source,
    target_ref: incidentSdo.id,
  });
  const scos: StixObject[] = [];
  for (const o of observables) {
    const created = ts(o.createdAt);
    if (o.type === 'cve') {
      const vuln: StixObject = {
        type: 'vulnerability',
        ...common,
        id: `vulnerability--${uuidv5(`cve:${o.value}`, STIX_SCO_NAMESPACE)}`,
        created,
        modified: created,
        name: o.value,
        external_references: [{ source_name: 'cve', external_id: o.value }],
      };
      objects.push(vuln, relate(vuln.id, created));
      continue;
    }
    const { sco, pattern } = scoOf(o)!;
    if (!scos.some((s) => s.id === sco.id)) scos.push({ ...sco, object_marking_refs: markingRefs });
    const indicator: StixObject = {
      type: 'indicator',
      ...common,
      id: `indicator--${uuidv5(`${incidentSdo.id}|${pattern}`, STIX_SCO_NAMESPACE)}`,
      created,
      modified: created,
      name: `${o.type}: ${o.value}`,
      description: `Observed in incident ${incident.ticket}`,
      indicator_types: ['unknown'],
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: created,
    };
    objects.push(indicator, relate(indicator.id, created));
  }
  if (scos.length) {
    const first = observables.reduce((a, o) => (o.createdAt < a ? o.createdAt : a), observables[0]!.createdAt);
    const last = observables.reduce((a, o) => (o.createdAt > a ? o.createdAt : a), observables[0]!.createdAt);
    const observed: StixObject = {
      type: 'observed-data',
      ...common,
      id: `observed-data--${uuidv5(`${incidentSdo.id}|observed`, STIX_SCO_NAMESPACE)}`,
      created: ts(incident.reportedAt),
      modified: ts(incident.updatedAt),
      first_observed: ts(first),
      last_observed: ts(last),
      number_observed: 1,
      object_refs: scos.map((s) => s.id),
    };
    objects.push(...scos, observed, relate(observed.id, observed.created as string));
  }
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}
