import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ConfigValidationError, parseConfig } from '../config/config.schema.js';
import { ConfigService } from '../config/config.service.js';
import {
  CalendarService,
  calendarCoverageWarnings,
  calendarFileCandidates,
  loadCalendarFile,
  parseCalendarFile,
} from './calendar.service.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

const wib = (local: string) => new Date(`${local}+07:00`);
const inWib = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
const service = (env: Record<string, string> = {}) => new CalendarService(new ConfigService(parseConfig(env)));

describe('national calendar file (config/calendars/id-national.json)', () => {
  const { file } = loadCalendarFile();
  const of = (year: number, kind: string) => file.holidays.filter((h) => h.date.startsWith(`${year}-`) && h.kind === kind);

  it('is Jakarta time with a Saturday–Sunday weekend', () => {
    expect(file.timeZone).toBe('Asia/Jakarta');
    expect([...file.weekend].sort()).toEqual([0, 6]);
  });

  it('holds the SKB 3 Menteri counts for 2025 (17 + 11 after the 18 August revision) and 2026 (17 + 8)', () => {
    expect(of(2025, 'libur_nasional')).toHaveLength(17);
    expect(of(2025, 'cuti_bersama')).toHaveLength(11);
    expect(of(2026, 'libur_nasional')).toHaveLength(17);
    expect(of(2026, 'cuti_bersama')).toHaveLength(8);
    expect(file.holidays.filter((h) => h.date < '2027' && h.provisional)).toEqual([]);
  });

  it('marks every 2027 entry provisional', () => {
    const y2027 = file.holidays.filter((h) => h.date.startsWith('2027-'));
    expect(y2027.length).toBeGreaterThanOrEqual(17);
    expect(y2027.every((h) => h.provisional === true)).toBe(true);
    expect(y2027.map((h) => h.date)).toEqual(
      expect.arrayContaining(['2027-01-01', '2027-05-01', '2027-06-01', '2027-08-17', '2027-12-25']),
    );
  });

  it('lists each date once, in order', () => {
    const dates = file.holidays.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
  });

  it('is found from the source tree when the working directory is elsewhere', () => {
    expect(existsSync(calendarFileCandidates()[1]!)).toBe(true);
  });
});

describe('calendar file loading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandi-calendar-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('names the places it looked in when the file is missing', () => {
    expect(() => loadCalendarFile([join(dir, 'nope.json'), join(dir, 'nada.json')])).toThrow(/not found.*nope\.json.*nada\.json/s);
  });

  it('takes the first candidate that exists', async () => {
    const path = join(dir, 'mini.json');
    await writeFile(path, JSON.stringify({ timeZone: 'Asia/Makassar', weekend: [0], holidays: [] }));
    expect(loadCalendarFile([join(dir, 'nope.json'), path])).toEqual({
      path,
      file: { timeZone: 'Asia/Makassar', weekend: [0], holidays: [] },
    });
  });

  it('refuses a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "timeZone": ');
    expect(() => loadCalendarFile([path])).toThrow(/Invalid calendar file .*broken\.json/);
  });

  it('names every bad field', () => {
    const bad = {
      weekend: [0, 7],
      holidays: [
        { date: '2026-02-30', name: 'x', kind: 'libur_nasional' },
        { date: '2026-08-17', name: '', kind: 'libur_bebas' },
      ],
    };
    let message = '';
    try {
      parseCalendarFile(bad, 'test.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('test.json');
    for (const field of ['timeZone', 'weekend.1', 'holidays.0.date', 'holidays.1.name', 'holidays.1.kind'])
      expect(message).toContain(field);
  });

  it('warns about years that are missing or provisional', () => {
    const { file } = loadCalendarFile();
    expect(calendarCoverageWarnings(file.holidays, [2025, 2026])).toEqual([]);
    expect(calendarCoverageWarnings(file.holidays, [2026, 2027])).toEqual([expect.stringMatching(/2027 are provisional/)]);
    expect(calendarCoverageWarnings(file.holidays, [2028])).toEqual([expect.stringMatching(/no national holidays for 2028/)]);
    // Local holidays alone do not make a year covered.
    expect(calendarCoverageWarnings([{ date: '2028-04-20', name: 'Libur daerah', kind: 'libur_daerah' }], [2028])).toHaveLength(1);
  });
});

describe('CalendarService', () => {
  let warn: MockInstance<Logger['warn']>;
  beforeEach(() => {
    warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('warns at start-up when this or next year is missing or provisional in the file', () => {
    vi.useFakeTimers({ now: new Date('2026-11-22T03:00:00Z'), toFake: ['Date'] });
    try {
      service();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^holidays of 2027 are provisional .*id-national\.json\)$/));
      warn.mockClear();
      vi.setSystemTime(new Date('2025-03-01T03:00:00Z')); // 2025 and 2026 are both decreed
      service();
      expect(warn).not.toHaveBeenCalled();
      vi.setSystemTime(new Date('2027-12-31T18:00:00Z')); // already 1 January 2028 in Jakarta
      service();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no national holidays for 2028/));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no national holidays for 2029/));
    } finally {
      vi.useRealTimers();
    }
  });

  it('serves the national calendar', () => {
    const s = service();
    expect(s.calendar).toBeInstanceOf(WorkingDayCalendar);
    expect(s.calendar.timeZone).toBe('Asia/Jakarta');
    expect(s.isWorkingDay(wib('2026-08-17T09:00'))).toBe(false);
    expect(s.holidayName(wib('2026-08-17T09:00'))).toBe('Proklamasi Kemerdekaan');
    expect(inWib(s.addWorkingDays(wib('2026-07-10T16:00'), 1))).toBe('2026-07-13T16:00');
    expect(s.workingDaysBetween(wib('2026-07-10T16:00'), wib('2026-07-13T16:00'))).toBe(1);
    expect(inWib(s.nextWorkingDayStart(wib('2026-07-11T10:00')))).toBe('2026-07-13T00:00');
    expect(s.localDate(new Date('2026-07-12T23:30:00Z'))).toBe('2026-07-13');
  });

  it('adds local holidays from CALENDAR_EXTRA_HOLIDAYS', () => {
    const s = service({ CALENDAR_EXTRA_HOLIDAYS: ' 2026-04-20, 2026-08-17,,2026-04-20 ' });
    expect(s.isWorkingDay(wib('2026-04-20T09:00'))).toBe(false);
    expect(s.holidayName(wib('2026-04-20T09:00'))).toBe('Libur daerah');
    expect(s.holidayName(wib('2026-08-17T09:00'))).toBe('Proklamasi Kemerdekaan / Libur daerah');
    expect(inWib(s.addWorkingDays(wib('2026-04-17T10:00'), 1))).toBe('2026-04-21T10:00');
    expect(s.holidays.filter((h) => h.kind === 'libur_daerah').map((h) => h.date)).toEqual(['2026-04-20', '2026-08-17']);
    // Without the variable, 20 April 2026 (a Monday) is a working day.
    expect(service().isWorkingDay(wib('2026-04-20T09:00'))).toBe(true);
  });

  it('loads the calendar from the source tree when started from another directory', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'sandi-cwd-'));
    const cwd = process.cwd();
    try {
      process.chdir(elsewhere);
      expect(service().isWorkingDay(wib('2026-03-20T09:00'))).toBe(false);
    } finally {
      process.chdir(cwd);
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses malformed CALENDAR_EXTRA_HOLIDAYS at configuration time, naming the bad entries', () => {
    for (const bad of ['2026-13-01', '20-04-2026', '2026-04-20;2026-04-21', '2026-02-29']) {
      let err: unknown;
      try {
        parseConfig({ CALENDAR_EXTRA_HOLIDAYS: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as Error).message).toContain('CALENDAR_EXTRA_HOLIDAYS');
    }
    expect(parseConfig({ CALENDAR_EXTRA_HOLIDAYS: '2028-02-29' }).CALENDAR_EXTRA_HOLIDAYS).toEqual(['2028-02-29']);
    expect(parseConfig({ CALENDAR_EXTRA_HOLIDAYS: '' }).CALENDAR_EXTRA_HOLIDAYS).toBeUndefined();
  });
});
