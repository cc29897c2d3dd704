import { SLA_TARGETS, type SlaTarget } from './priority.policy.js';
import { OFFICE_TIME_ZONE } from './ticket.util.js';

/**
 * Figures for the head of the office and the teams, over incidents reported in a period. Pure: the
 * service hands in the rows. Durations run from the report (what the reporter lives through), in
 * hours; SLA compliance counts, per target, the clocks that are decided (stopped, or already past
 * due) and how many of them were met. Rejected reports count in the totals, not in durations or SLA.
 */
export interface MetricsRow {
  status: string;
  categoryCode: string;
  priority: string;
  opdUnitId: string | null;
  opdUnitName: string | null;
  reportedAt: Date;
  validatedAt: Date | null;
  recommendedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rejectedAt: Date | null;
  recommendationDueAt: Date;
  resolutionDueAt: Date;
  closureDueAt: Date;
}

export interface DurationStats {
  count: number;
  averageHours: number | null;
  medianHours: number | null;
  maxHours: number | null;
}

export interface Compliance {
  met: number;
  missed: number;
  /** Met / decided × 100, one decimal; null when nothing is decided yet. */
  percent: number | null;
}

export interface MonthFigures {
  month: string;
  total: number;
  byCategory: Record<string, number>;
  byPriority: Record<string, number>;
  byOpd: Array<{ unitId: string | null; unitName: string | null; count: number }>;
}

export interface IncidentMetrics {
  total: number;
  rejected: number;
  open: number;
  timeToValidate: DurationStats;
  timeToInitialRecommendation: DurationStats;
  timeToResolution: DurationStats;
  slaCompliance: Record<SlaTarget | 'overall', Compliance>;
  byMonth: MonthFigures[];
}

const HOUR = 3600_000;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

export function durationStats(hours: number[]): DurationStats {
  if (!hours.length) return { count: 0, averageHours: null, medianHours: null, maxHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    count: sorted.length,
    averageHours: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    medianHours: round(median, 2),
    maxHours: round(sorted.at(-1)!, 2),
  };
}

export function monthOf(d: Date, timeZone = OFFICE_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(d);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

const DONE: Record<SlaTarget, keyof MetricsRow> = { recommendation: 'recommendedAt', resolution: 'resolvedAt', closure: 'closedAt' };
const DUE: Record<SlaTarget, keyof MetricsRow> = {
  recommendation: 'recommendationDueAt',
  resolution: 'resolutionDueAt',
  closure: 'closureDueAt',
};

export function incidentMetrics(rows: MetricsRow[], now: Date, timeZone = OFFICE_TIME_ZONE): IncidentMetrics {
  const live = rows.filter((r) => !r.rejectedAt);
  const hoursTo = (key: 'validatedAt' | 'recommendedAt' | 'resolvedAt') =>
    live.filter((r) => r[key]).map((r) => ((r[key] as Date).getTime() - r.reportedAt.getTime()) / HOUR);

  const compliance = {} as Record<SlaTarget | 'overall', Compliance>;
  let allMet = 0;
  let allMissed = 0;
  for (const target of SLA_TARGETS) {
    let met = 0;
    let missed = 0;
    for (const r of live) {
      const done = r[DONE[target]] as Date | null;
      const due = (r[DUE[target]] as Date).getTime();
      if (done ? done.getTime() <= due : false) met++;
      else if (done || now.getTime() > due) missed++;
    }
    compliance[target] = { met, missed, percent: met + missed ? round((met / (met + missed)) * 100, 1) : null };
    allMet += met;
    allMissed += missed;
  }
  compliance.overall = {
    met: allMet,
    missed: allMissed,
    percent: allMet + allMissed ? round((allMet / (allMet + allMissed)) * 100, 1) : null,
  };

  const months = new Map<string, MonthFigures>();
  for (const r of rows) {
    const key = monthOf(r.reportedAt, timeZone);
    let m = months.get(key);
    if (!m) {
      m = { month: key, total: 0, byCategory: {}, byPriority: {}, byOpd: [] };
      months.set(key, m);
    }
    m.total++;
    m.byCategory[r.categoryCode] = (m.byCategory[r.categoryCode] ?? 0) + 1;
    m.byPriority[r.priority] = (m.byPriority[r.priority] ?? 0) + 1;
    const opd = m.byOpd.find((o) => o.unitId === r.opdUnitId);
    if (opd) opd.count++;
    else m.byOpd.push({ unitId: r.opdUnitId, unitName: r.opdUnitName, count: 1 });
  }
  for (const m of months.values()) m.byOpd.sort((a, b) => b.count - a.count || (a.unitName ?? '').localeCompare(b.unitName ?? ''));

  return {
    total: rows.length,
    rejected: rows.length - live.length,
    open: live.filter((r) => !['closed', 'reporter_closed'].includes(r.status)).length,
    timeToValidate: durationStats(hoursTo('validatedAt')),
    timeToInitialRecommendation: durationStats(hoursTo('recommendedAt')),
    timeToResolution: durationStats(hoursTo('resolvedAt')),
    slaCompliance: compliance,
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}
