import { describe, expect, it } from 'vitest';
import { pdfText, renderMonthlyReport } from './incident-pdf.js';
import { incidentMetrics } from './incident-metrics.js';

describe('incident PDF', () => {
  it('keeps Windows-1252 text and marks what the standard fonts cannot draw', () => {
    expect(pdfText('Laporan “insiden” – Dinas Kesehatan')).toBe('Laporan “insiden” – Dinas Kesehatan');
    expect(pdfText('café 報告 🙂')).toBe('café ?? ?');
    expect(pdfText('a\u0007b')).toBe('a?b');
    expect(pdfText(null)).toBe('-');
  });

  it('renders a report with many incidents over several pages', async () => {
    const now = new Date('2026-03-31T10:00:00Z');
    const lines = Array.from({ length: 150 }, (_, n) => ({
      ticket: `INC-2026-${String(n + 1).padStart(6, '0')}`,
      reportedAt: new Date('2026-03-02T02:00:00Z'),
      category: 'fraud/phishing',
      priority: 'P3',
      status: 'reported' as const,
      title: `Insiden ${n}`,
      tlp: 'AMBER' as const,
      opdUnitName: null,
    }));
    const pdf = await renderMonthlyReport('2026-03', incidentMetrics([], now), lines, {
      office: 'Sandi SOC',
      generatedAt: now,
      generatedBy: 'Uji',
    });
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(Number(/\/Count (\d+)/.exec(text)?.[1])).toBeGreaterThan(1);
  });
});
