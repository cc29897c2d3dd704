import { Injectable, Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigService } from '../config/config.service.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

export type HolidayKind = 'libur_nasional' | 'cuti_bersama' | 'libur_daerah';

export interface CalendarHoliday {
  date: string;
  name: string;
  kind: HolidayKind;
  /** Computed ahead of the official decree (SKB); replace when it is published. */
  provisional?: boolean;
}

const CALENDAR_FILE = 'config/calendars/id-national.json';

const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a YYYY-MM-DD date');

const calendarFileSchema = z.object({
  timeZone: z.string().min(1),
  weekend: z.array(z.number().int().min(0).max(6)),
  holidays: z.array(
    z.object({
      date: isoDate,
      name: z.string().min(1),
      kind: z.enum(['libur_nasional', 'cuti_bersama']),
      provisional: z.boolean().optional(),
    }),
  ),
});

export type CalendarFile = z.output<typeof calendarFileSchema>;

/** Validates the content of a calendar file; the error names the file and each bad field. */
export function parseCalendarFile(raw: unknown, source: string): CalendarFile {
  const result = calendarFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid calendar file ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result.data;
}

/**
 * Where the national calendar is looked for: under the working directory (the repository root or the
 * Docker image's /app), else beside this module in the source tree or in dist/.
 */
export function calendarFileCandidates(): string[] {
  return [
    resolve(process.cwd(), CALENDAR_FILE),
    fileURLToPath(new URL(`../../../../${CALENDAR_FILE}`, import.meta.url)), // libs/core/src/service-standard/
    fileURLToPath(new URL(`../../../../../${CALENDAR_FILE}`, import.meta.url)), // dist/libs/core/src/service-standard/
  ];
}

export function loadCalendarFile(candidates: string[] = calendarFileCandidates()): { path: string; file: CalendarFile } {
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`Working-day calendar not found; looked in:\n${candidates.map((p) => `  - ${p}`).join('\n')}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Invalid calendar file ${path}: ${(err as Error).message}`);
  }
  return { path, file: parseCalendarFile(raw, path) };
}

/** Years that are missing from, or only provisional in, the holiday list: worth a warning at boot. */
export function calendarCoverageWarnings(holidays: readonly CalendarHoliday[], years: number[]): string[] {
  const warnings: string[] = [];
  for (const year of years) {
    const ofYear = holidays.filter((h) => h.date.startsWith(`${year}-`) && h.kind !== 'libur_daerah');
    if (!ofYear.length) warnings.push(`no national holidays for ${year}: every weekday of ${year} counts as a working day`);
    else if (ofYear.some((h) => h.provisional)) warnings.push(`holidays of ${year} are provisional (no SKB yet) and list no cuti bersama`);
  }
  return warnings;
}

/**
 * The office's working-day calendar: national holidays and cuti bersama from
 * config/calendars/id-national.json plus local holidays from CALENDAR_EXTRA_HOLIDAYS.
 * Service-standard deadlines (SLA clocks) count working days through it.
 */
@Injectable()
export class CalendarService {
  readonly calendar: WorkingDayCalendar;
  /** Every holiday the calendar knows, national and local, sorted by date. */
  readonly holidays: readonly CalendarHoliday[];
  private readonly logger = new Logger(CalendarService.name);

  constructor(config: ConfigService) {
    const { path, file } = loadCalendarFile();
    const extra: CalendarHoliday[] = (config.get('CALENDAR_EXTRA_HOLIDAYS') ?? []).map((date) => ({
      date,
      name: 'Libur daerah',
      kind: 'libur_daerah',
    }));
    this.holidays = [...file.holidays, ...extra].sort((a, b) => a.date.localeCompare(b.date));

    const names: Record<string, string> = {};
    for (const h of this.holidays) names[h.date] = names[h.date] ? `${names[h.date]} / ${h.name}` : h.name;
    this.calendar = new WorkingDayCalendar({
      timeZone: file.timeZone,
      weekend: file.weekend,
      holidays: this.holidays.map((h) => h.date),
      holidayNames: names,
    });

    const thisYear = Number(this.calendar.localDate(new Date()).slice(0, 4));
    for (const w of calendarCoverageWarnings(this.holidays, [thisYear, thisYear + 1])) this.logger.warn(`${w} (${path})`);
  }

  isWorkingDay(date: Date): boolean {
    return this.calendar.isWorkingDay(date);
  }

  addWorkingDays(start: Date, days: number): Date {
    return this.calendar.addWorkingDays(start, days);
  }

  workingDaysBetween(a: Date, b: Date): number {
    return this.calendar.workingDaysBetween(a, b);
  }

  nextWorkingDayStart(date: Date): Date {
    return this.calendar.nextWorkingDayStart(date);
  }

  holidayName(date: Date): string | null {
    return this.calendar.holidayName(date);
  }

  localDate(date: Date): string {
    return this.calendar.localDate(date);
  }
}
