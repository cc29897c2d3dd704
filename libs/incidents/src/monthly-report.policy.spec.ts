import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '@sandi/core';
import { monthlyReportDue, monthLabel, officeMonthBounds } from './monthly-report.policy.js';

// New Year's Day 2026 is a Thursday; 1 May 2026 (Labour Day) a Friday; 1 August 2026 a Saturday.
const cal = new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [0, 6], holidays: ['2026-01-01', '2026-05-01', '2026-06-01'] });
const wib = (local: string) => new Date(`${local}+07:00`);

describe('monthly report policy', () => {
  it('is due from the first working day of the month on, for the month before', () => {
    expect(monthlyReportDue(cal, wib('2026-03-02T08:00:00'))).toEqual({ month: '2026-02', firstWorkingDay: '2026-03-02', due: true });
    expect(monthlyReportDue(cal, wib('2026-03-20T08:00:00'))).toMatchObject({ month: '2026-02', due: true });
  });

  it('skips holidays and weekends at the start of the month', () => {
    expect(monthlyReportDue(cal, wib('2026-01-01T08:00:00'))).toEqual({ month: '2025-12', firstWorkingDay: '2026-01-02', due: false });
    expect(monthlyReportDue(cal, wib('2026-01-02T08:00:00'))).toMatchObject({ month: '2025-12', due: true });
    expect(monthlyReportDue(cal, wib('2026-05-01T09:00:00'))).toMatchObject({ firstWorkingDay: '2026-05-04', due: false });
    expect(monthlyReportDue(cal, wib('2026-05-03T23:59:00'))).toMatchObject({ due: false });
    expect(monthlyReportDue(cal, wib('2026-05-04T00:00:00'))).toMatchObject({ month: '2026-04', due: true });
    expect(monthlyReportDue(cal, wib('2026-08-01T08:00:00'))).toMatchObject({ firstWorkingDay: '2026-08-03', due: false });
    expect(monthlyReportDue(cal, wib('2026-06-01T08:00:00'))).toMatchObject({ firstWorkingDay: '2026-06-02', due: false });
  });

  it('takes the date in office time: 23:30 UTC on 1 March is already 2 March in Jakarta', () => {
    expect(monthlyReportDue(cal, new Date('2026-03-01T23:30:00Z'))).toMatchObject({ firstWorkingDay: '2026-03-02', due: true });
    expect(monthlyReportDue(cal, new Date('2026-03-01T16:59:00Z'))).toMatchObject({ due: false });
  });

  it('gives the month bounds in WIB and its name in both languages', () => {
    expect(officeMonthBounds('2026-12')).toEqual({ from: new Date('2026-11-30T17:00:00Z'), to: new Date('2026-12-31T17:00:00Z') });
    expect(monthLabel('2026-03', 'id')).toBe('Maret 2026');
    expect(monthLabel('2026-03', 'en')).toBe('March 2026');
  });
});
