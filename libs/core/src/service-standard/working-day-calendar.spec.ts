import { describe, expect, it } from 'vitest';
import { loadCalendarFile } from './calendar.service.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

/** An instant given as Jakarta local time (WIB, UTC+7). */
const wib = (local: string) => new Date(`${local}+07:00`);
/** The instant as Jakarta local time, for readable assertions. */
const inWib = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);

function national(): WorkingDayCalendar {
  const { file } = loadCalendarFile();
  return new WorkingDayCalendar({
    timeZone: file.timeZone,
    weekend: file.weekend,
    holidays: file.holidays.map((h) => h.date),
    holidayNames: Object.fromEntries(file.holidays.map((h) => [h.date, h.name])),
  });
}

const plain = (holidays: string[] = []) => new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [0, 6], holidays });

describe('WorkingDayCalendar', () => {
  const cal = national();

  it('skips weekends and keeps the local time of day: Friday 16:00 WIB + 1 = Monday 16:00 WIB', () => {
    const friday = wib('2026-07-10T16:00');
    expect(inWib(cal.addWorkingDays(friday, 1))).toBe('2026-07-13T16:00');
    expect(cal.addWorkingDays(friday, 1).toISOString()).toBe('2026-07-13T09:00:00.000Z');
    expect(inWib(cal.addWorkingDays(friday, 5))).toBe('2026-07-17T16:00');
    expect(cal.isWorkingDay(wib('2026-07-11T10:00'))).toBe(false);
    expect(cal.isWorkingDay(wib('2026-07-12T10:00'))).toBe(false);
    expect(cal.holidayName(wib('2026-07-11T10:00'))).toBeNull();
  });

  it('skips Hari Kemerdekaan, 17 August 2026 (a Monday)', () => {
    expect(cal.isWorkingDay(wib('2026-08-17T09:00'))).toBe(false);
    expect(cal.holidayName(wib('2026-08-17T09:00'))).toBe('Proklamasi Kemerdekaan');
    expect(inWib(cal.addWorkingDays(wib('2026-08-14T10:00'), 1))).toBe('2026-08-18T10:00');
  });

  it('skips Nyepi and the Idul Fitri 1447 H holidays and cuti bersama (18–24 March 2026)', () => {
    for (const day of ['18', '19', '20', '21', '22', '23', '24']) expect(cal.isWorkingDay(wib(`2026-03-${day}T10:00`))).toBe(false);
    expect(cal.holidayName(wib('2026-03-21T10:00'))).toBe('Idul Fitri 1447 Hijriah');
    expect(cal.holidayName(wib('2026-03-23T10:00'))).toBe('Cuti bersama Idul Fitri 1447 Hijriah');
    expect(inWib(cal.addWorkingDays(wib('2026-03-17T10:00'), 1))).toBe('2026-03-25T10:00');
    expect(cal.workingDaysBetween(wib('2026-03-17T10:00'), wib('2026-03-25T10:00'))).toBe(1);
  });

  it('crosses the year end through Christmas, cuti bersama and New Year', () => {
    // 2025: 25 Dec libur, 26 Dec cuti bersama, weekend, 1 Jan libur.
    expect(inWib(cal.addWorkingDays(wib('2025-12-24T14:00'), 1))).toBe('2025-12-29T14:00');
    expect(inWib(cal.addWorkingDays(wib('2025-12-24T14:00'), 4))).toBe('2026-01-02T14:00');
    // 2026: 24 Dec cuti bersama, 25 Dec libur, weekend, 1 Jan 2027 libur, weekend, 5 Jan 2027 Isra Mikraj (provisional).
    expect(inWib(cal.addWorkingDays(wib('2026-12-23T09:00'), 1))).toBe('2026-12-28T09:00');
    expect(inWib(cal.addWorkingDays(wib('2026-12-23T09:00'), 5))).toBe('2027-01-04T09:00');
    expect(inWib(cal.addWorkingDays(wib('2026-12-23T09:00'), 6))).toBe('2027-01-06T09:00');
    expect(cal.workingDaysBetween(wib('2026-12-23T09:00'), wib('2027-01-06T09:00'))).toBe(6);
  });

  it('counts a start on a non-working day from the next working day’s beginning', () => {
    const saturday = wib('2026-07-11T10:00');
    expect(inWib(cal.nextWorkingDayStart(saturday))).toBe('2026-07-13T00:00');
    expect(cal.nextWorkingDayStart(saturday).toISOString()).toBe('2026-07-12T17:00:00.000Z');
    expect(inWib(cal.addWorkingDays(saturday, 0))).toBe('2026-07-13T00:00');
    expect(inWib(cal.addWorkingDays(saturday, 1))).toBe('2026-07-14T00:00');
    expect(inWib(cal.addWorkingDays(saturday, -1))).toBe('2026-07-10T00:00');
    // From a holiday in the middle of the week.
    expect(inWib(cal.addWorkingDays(wib('2026-08-17T13:00'), 1))).toBe('2026-08-19T00:00');
    // nextWorkingDayStart is always a later day, also from a working day.
    expect(inWib(cal.nextWorkingDayStart(wib('2026-07-10T08:00')))).toBe('2026-07-13T00:00');
    expect(inWib(cal.nextWorkingDayStart(wib('2026-07-13T00:00')))).toBe('2026-07-14T00:00');
  });

  it('judges the day on Jakarta local time, not UTC', () => {
    const sundayUtc = new Date('2026-07-12T23:30:00Z'); // Monday 06:30 WIB
    expect(cal.localDate(sundayUtc)).toBe('2026-07-13');
    expect(cal.isWorkingDay(sundayUtc)).toBe(true);
    expect(cal.addWorkingDays(sundayUtc, 1).toISOString()).toBe('2026-07-13T23:30:00.000Z');
    const fridayUtc = new Date('2026-07-10T17:30:00Z'); // Saturday 00:30 WIB
    expect(cal.isWorkingDay(fridayUtc)).toBe(false);
    expect(cal.isWorkingDay(new Date('2026-07-10T16:59:59.999Z'))).toBe(true); // Friday 23:59:59.999 WIB
    expect(cal.holidayName(new Date('2026-08-16T17:00:00Z'))).toBe('Proklamasi Kemerdekaan');
  });

  it('goes backwards with negative days and stays put with zero on a working day', () => {
    const monday = wib('2026-07-13T16:00');
    expect(inWib(cal.addWorkingDays(monday, -1))).toBe('2026-07-10T16:00');
    expect(inWib(cal.addWorkingDays(wib('2026-03-25T10:00'), -1))).toBe('2026-03-17T10:00');
    expect(cal.addWorkingDays(monday, 0).getTime()).toBe(monday.getTime());
    expect(cal.addWorkingDays(monday, 0)).not.toBe(monday); // a copy, never the caller's object
  });

  it('counts whole working days elapsed, negative backwards, symmetric', () => {
    const friday = wib('2026-07-10T16:00');
    expect(cal.workingDaysBetween(friday, wib('2026-07-13T16:00'))).toBe(1);
    expect(cal.workingDaysBetween(friday, wib('2026-07-13T15:59'))).toBe(0);
    expect(cal.workingDaysBetween(wib('2026-07-13T16:00'), friday)).toBe(-1);
    expect(Object.is(cal.workingDaysBetween(friday, friday), 0)).toBe(true);
    expect(Object.is(cal.workingDaysBetween(wib('2026-07-13T15:59'), friday), 0)).toBe(true);
    // Nothing elapses over a weekend.
    expect(cal.workingDaysBetween(wib('2026-07-11T08:00'), wib('2026-07-12T20:00'))).toBe(0);
    expect(cal.workingDaysBetween(wib('2026-07-10T16:00'), wib('2026-07-12T20:00'))).toBe(0);
    expect(cal.workingDaysBetween(wib('2026-07-09T16:00'), wib('2026-07-12T20:00'))).toBe(1);
    // A whole year: 2026 has 261 weekdays, less the holidays and cuti bersama that fall on one of them.
    const weekdays2026 = 261;
    const { file } = loadCalendarFile();
    const weekdayHolidays = new Set(
      file.holidays.map((h) => h.date).filter((d) => d.startsWith('2026-') && ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())),
    );
    expect(cal.workingDaysBetween(wib('2026-01-01T00:00'), wib('2027-01-01T00:00'))).toBe(weekdays2026 - weekdayHolidays.size);
  });

  it('is the inverse of addWorkingDays and antisymmetric, for many starts and spans', () => {
    for (let t = wib('2025-12-15T00:00').getTime(); t < wib('2026-04-15T00:00').getTime(); t += 7 * 3_600_000 + 13 * 60_000) {
      const start = new Date(t);
      for (const n of [0, 1, 2, 3, 5, 10, 20]) {
        const due = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(due)).toBe(true);
        expect(cal.workingDaysBetween(start, due)).toBe(n);
        expect(cal.workingDaysBetween(due, start)).toBe(n === 0 ? 0 : -n);
        // Just before the deadline one day less has elapsed, unless that instant is off work (no working time passes there).
        const before = new Date(due.getTime() - 1);
        expect(cal.workingDaysBetween(start, before)).toBe(cal.isWorkingDay(before) ? Math.max(n - 1, 0) : n);
      }
    }
  });

  it('works in a time zone with daylight saving time (same wall-clock time across the change)', () => {
    const berlin = new WorkingDayCalendar({ timeZone: 'Europe/Berlin', weekend: [0, 6], holidays: [] });
    // Summer time starts Sunday 29 March 2026: Friday 10:00 CET = 09:00Z, Monday 10:00 CEST = 08:00Z.
    expect(berlin.addWorkingDays(new Date('2026-03-27T09:00:00Z'), 1).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(berlin.nextWorkingDayStart(new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('supports other weekends and names holidays without a given name', () => {
    const fridayOff = new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [5], holidays: ['2026-07-13'] });
    expect(fridayOff.isWorkingDay(wib('2026-07-11T10:00'))).toBe(true); // Saturday
    expect(fridayOff.isWorkingDay(wib('2026-07-10T10:00'))).toBe(false); // Friday
    expect(fridayOff.holidayName(wib('2026-07-13T10:00'))).toBe('Hari libur');
    expect(inWib(fridayOff.addWorkingDays(wib('2026-07-09T10:00'), 2))).toBe('2026-07-12T10:00');
    expect(plain().holidayName(wib('2026-08-17T10:00'))).toBeNull();
  });

  it('refuses bad construction data', () => {
    expect(() => new WorkingDayCalendar({ timeZone: 'Mars/Olympus_Mons', weekend: [0, 6], holidays: [] })).toThrow(/time zone/);
    expect(() => new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [7], holidays: [] })).toThrow(RangeError);
    expect(() => new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [0, 1.5], holidays: [] })).toThrow(RangeError);
    expect(() => new WorkingDayCalendar({ timeZone: 'Asia/Jakarta', weekend: [0, 1, 2, 3, 4, 5, 6], holidays: [] })).toThrow(
      /at least one working day/,
    );
    for (const bad of ['2026-02-30', '2026-2-3', '17-08-2026', '2026-08-17T00:00', '']) {
      expect(() => plain([bad])).toThrow(/YYYY-MM-DD/);
    }
  });

  it('refuses bad arguments', () => {
    expect(() => cal.addWorkingDays(wib('2026-07-10T10:00'), 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(wib('2026-07-10T10:00'), Number.NaN)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(wib('2026-07-10T10:00'), 1e9)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date('not a date'), 1)).toThrow(/valid Date/);
    expect(() => cal.isWorkingDay(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => cal.workingDaysBetween(new Date(), new Date(Number.NaN))).toThrow(RangeError);
    expect(() => cal.holidayName('2026-08-17' as unknown as Date)).toThrow(RangeError);
  });
});
