import type { WorkingDayCalendar } from '@sandi/core';

export interface MonthlyReportDue {
  /** The month the report covers: the one before today's, YYYY-MM. */
  month: string;
  /** First working day of today's month, YYYY-MM-DD (local date of the calendar). */
  firstWorkingDay: string;
  /** Today is that day or later: the notice for `month` is due (if it has not gone out yet). */
  due: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Whether the monthly report of the previous month is due: from the first working day of the month
 * on (a job that could not run that day catches up the next), in the calendar's time zone.
 */
export function monthlyReportDue(calendar: WorkingDayCalendar, now: Date): MonthlyReportDue {
  const today = calendar.localDate(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const month = m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
  // Noon UTC lies on the same calendar date in every zone from UTC−11 to UTC+11 (WIB, WITA, WIT included).
  const first = new Date(Date.UTC(y, m - 1, 1, 12));
  const firstWorkingDay = calendar.isWorkingDay(first)
    ? calendar.localDate(first)
    : calendar.localDate(calendar.nextWorkingDayStart(first));
  return { month, firstWorkingDay, due: today >= firstWorkingDay };
}

/** Bounds of a calendar month in office time (WIB, UTC+7, no daylight saving): [from, to). */
export function officeMonthBounds(month: string): { from: Date; to: Date } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, mon - 1, 1) - 7 * 3600_000), to: new Date(Date.UTC(year, mon, 1) - 7 * 3600_000) };
}

/** "Maret 2026" / "March 2026". */
export function monthLabel(month: string, locale: 'id' | 'en'): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, mon - 1, 15)),
  );
}
