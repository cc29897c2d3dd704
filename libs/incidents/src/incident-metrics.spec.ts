import { describe, expect, it } from 'vitest';
import { durationStats, incidentMetrics, monthOf, type MetricsRow } from './incident-metrics.js';

const H = 3600_000;
const t0 = new Date('2026-03-02T02:00:00Z');
const at = (h: number) => new Date(t0.getTime() + h * H);
const row = (over: Partial<MetricsRow> = {}): MetricsRow => ({
  status: 'in_analysis',
  categoryCode: 'fraud/phishing',
  priority: 'P3',
  opdUnitId: 'u1',
  opdUnitName: 'Dinas Kesehatan',
  reportedAt: t0,
  validatedAt: null,
  recommendedAt: null,
  resolvedAt: null,
  closedAt: null,
  rejectedAt: null,
  recommendationDueAt: at(48),
  resolutionDueAt: at(168),
  closureDueAt: at(240),
  ...over,
});

describe('incident metrics', () => {
  it('summarises durations with median and average', () => {
    expect(durationStats([])).toEqual({ count: 0, averageHours: null, medianHours: null, maxHours: null });
    expect(durationStats([3, 1, 2])).toEqual({ count: 3, averageHours: 2, medianHours: 2, maxHours: 3 });
    expect(durationStats([1, 2, 3, 10])).toMatchObject({ medianHours: 2.5, averageHours: 4 });
  });

  it('takes the month in office time', () => {
    expect(monthOf(new Date('2026-03-31T17:30:00Z'))).toBe('2026-04');
    expect(monthOf(new Date('2026-03-31T16:59:00Z'))).toBe('2026-03');
  });

  it('counts SLA compliance over decided clocks only, and leaves rejected reports out of it', () => {
    const m = incidentMetrics(
      [
        row({ validatedAt: at(2), recommendedAt: at(10), resolvedAt: at(100), closedAt: at(200), status: 'closed' }), // all met
        row({ validatedAt: at(5), recommendedAt: at(60) }), // recommendation missed; others pending
        row({}), // nothing decided yet at `now`
        row({ rejectedAt: at(1), status: 'rejected', categoryCode: 'other/other', opdUnitId: null, opdUnitName: null }),
      ],
      at(47),
    );
    expect(m).toMatchObject({ total: 4, rejected: 1, open: 2 });
    expect(m.slaCompliance.recommendation).toEqual({ met: 1, missed: 1, percent: 50 });
    expect(m.slaCompliance.resolution).toEqual({ met: 1, missed: 0, percent: 100 });
    expect(m.slaCompliance.overall).toEqual({ met: 3, missed: 1, percent: 75 });
    expect(m.timeToValidate).toMatchObject({ count: 2, medianHours: 3.5 });
    expect(m.timeToInitialRecommendation).toMatchObject({ count: 2, maxHours: 60 });
    expect(m.byMonth).toEqual([
      {
        month: '2026-03',
        total: 4,
        byCategory: { 'fraud/phishing': 3, 'other/other': 1 },
        byPriority: { P3: 4 },
        byOpd: [
          { unitId: 'u1', unitName: 'Dinas Kesehatan', count: 3 },
          { unitId: null, unitName: null, count: 1 },
        ],
      },
    ]);
    // Later, the pending clocks are past due without being met: they count as missed.
    expect(incidentMetrics([row({})], at(300)).slaCompliance.overall).toEqual({ met: 0, missed: 3, percent: 0 });
  });
});
