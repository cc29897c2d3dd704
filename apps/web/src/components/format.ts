import type { Locale } from '../api/types';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Locale): Intl.DateTimeFormat {
  let f = formatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    formatters.set(lang, f);
  }
  return f;
}

/** Locale-formatted date and time in the browser's time zone; '—' for missing values. */
export function formatDateTime(iso: string | null | undefined, lang: Locale): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter(lang).format(date);
}

export function shortHash(hash: string | null | undefined, length = 12): string {
  if (!hash) return '—';
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

export function isLockedNow(lockedUntil: string | null, now = Date.now()): boolean {
  if (!lockedUntil) return false;
  const t = new Date(lockedUntil).getTime();
  return Number.isNaN(t) ? true : t > now;
}

/** A byte count for people: "865 B", "11,7 KB", "2,5 MB" in the UI language. */
export function formatBytes(n: number, lang: Locale): string {
  const nf = (v: number, digits: number) =>
    new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(v);
  if (n < 1024) return `${nf(n, 0)} B`;
  if (n < 1024 * 1024) return `${nf(n / 1024, 1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${nf(n / (1024 * 1024), 1)} MB`;
  return `${nf(n / (1024 * 1024 * 1024), 2)} GB`;
}
