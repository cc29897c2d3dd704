import { useMemo } from 'react';
import { api } from '../../api/client';
import type { LabelText, Locale, Taxonomy } from '../../api/types';
import { useAsync, type AsyncState } from '../../components/use-async';

// The taxonomy is the same for everyone and changes only with a release: one request per page load.
let cached: Promise<Taxonomy> | null = null;

function loadTaxonomy(): Promise<Taxonomy> {
  cached ??= api.publicIncidents.taxonomy().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

export function useTaxonomy(): AsyncState<Taxonomy> {
  return useAsync(() => loadTaxonomy(), []);
}

export function pick(label: LabelText | null | undefined, lang: Locale): string {
  if (!label) return '';
  return lang === 'en' ? label.en : label.id;
}

/** RSIT code → label, from the taxonomy (the code itself until it has loaded). */
export function useCategoryLabels(taxonomy: Taxonomy | undefined): Map<string, { type: LabelText; cls: LabelText }> {
  return useMemo(() => {
    const map = new Map<string, { type: LabelText; cls: LabelText }>();
    for (const c of taxonomy?.classes ?? []) for (const t of c.types) map.set(t.code, { type: t.label, cls: c.label });
    return map;
  }, [taxonomy]);
}
