/**
 * Working days of an office: not a weekend day, not a holiday, judged on the local date in the
 * calendar's time zone. Pure (no I/O, no clock): build it from data, ask it about instants.
 *
 * Internally a local date is a day number (days since 1970-01-01 of that calendar date), so that
 * stepping through days is integer arithmetic; Intl is used only to read an instant's local wall
 * time and to map a local wall time back to an instant.
 */
export interface WorkingDayCalendarOptions {
  /** IANA time zone, e.g. Asia/Jakarta. */
  timeZone: string;
  /** Days of the week that are never working days: 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** Non-working dates, YYYY-MM-DD (public holidays, collective leave, local holidays). */
  holidays: string[];
  /** Names of holidays by date, for holidayName(); optional. */
  holidayNames?: Record<string, string>;
}

const DAY_MS = 86_400_000;
/** A bound on `days` so that a wrong argument fails instead of looping for minutes (~270 years). */
const MAX_DAYS = 100_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface LocalTime {
  /** Day number of the local calendar date. */
  day: number;
  /** Milliseconds since local midnight (wall clock). */
  timeOfDay: number;
}

/** The day number of a YYYY-MM-DD date, or null when it is not a real calendar date. */
function dayNumberOf(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === iso ? ms / DAY_MS : null;
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function checkDate(name: string, date: Date): number {
  const t = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

export class WorkingDayCalendar {
  readonly timeZone: string;
  private readonly weekend: ReadonlySet<number>;
  private readonly holidayDays: ReadonlySet<number>;
  /** Holidays that fall on a weekday, sorted: what counting over a range must subtract. */
  private readonly weekdayHolidays: readonly number[];
  private readonly names: ReadonlyMap<number, string>;
  private readonly formatter: Intl.DateTimeFormat;

  constructor(options: WorkingDayCalendarOptions) {
    try {
      this.formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: options.timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone: ${options.timeZone}`);
    }
    this.timeZone = this.formatter.resolvedOptions().timeZone;

    for (const d of options.weekend) {
      if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`Weekend day must be 0 (Sunday) … 6 (Saturday), not ${d}`);
    }
    this.weekend = new Set(options.weekend);
    if (this.weekend.size === 7) throw new RangeError('A calendar needs at least one working day in the week');

    const days = new Set<number>();
    for (const iso of options.holidays) {
      const day = dayNumberOf(iso);
      if (day === null) throw new RangeError(`Holiday must be a YYYY-MM-DD date, not ${JSON.stringify(iso)}`);
      days.add(day);
    }
    this.holidayDays = days;
    this.weekdayHolidays = [...days].filter((d) => !this.weekend.has(weekdayOf(d))).sort((a, b) => a - b);

    const names = new Map<number, string>();
    for (const [iso, name] of Object.entries(options.holidayNames ?? {})) {
      const day = dayNumberOf(iso);
      if (day !== null && days.has(day)) names.set(day, name);
    }
    this.names = names;
  }

  /** The local calendar date of `date` in this calendar's time zone, YYYY-MM-DD. */
  localDate(date: Date): string {
    return isoOfDay(this.local(checkDate('date', date)).day);
  }

  isWorkingDay(date: Date): boolean {
    return this.isWorkingDayNumber(this.local(checkDate('date', date)).day);
  }

  /** Name of the holiday on the local date of `date`; null on working days and plain weekends. */
  holidayName(date: Date): string | null {
    const day = this.local(checkDate('date', date)).day;
    if (!this.holidayDays.has(day)) return null;
    return this.names.get(day) ?? 'Hari libur';
  }

  /** Local midnight that begins the first working day after the local date of `date`. */
  nextWorkingDayStart(date: Date): Date {
    const day = this.nextWorkingDay(this.local(checkDate('date', date)).day);
    return new Date(this.instantOf(day, 0));
  }

  /**
   * The instant `days` working days after `start` (before it when negative), at the same local time
   * of day. A start on a non-working day counts from the beginning of the next working day, so
   * Saturday + 1 = Tuesday 00:00 (all of Monday) and Saturday + 0 = Monday 00:00.
   */
  addWorkingDays(start: Date, days: number): Date {
    const t = checkDate('start', start);
    if (!Number.isInteger(days) || Math.abs(days) > MAX_DAYS)
      throw new RangeError(`days must be an integer within ±${MAX_DAYS}, not ${days}`);
    if (days === 0 && this.isWorkingDayNumber(this.local(t).day)) return new Date(t);
    const from = this.position(t);
    let day = from.day;
    const step = Math.sign(days);
    for (let left = Math.abs(days); left > 0;) {
      day += step;
      if (this.isWorkingDayNumber(day)) left--;
    }
    return new Date(this.instantOf(day, from.timeOfDay));
  }

  /**
   * Whole working days of working time elapsed from `a` to `b` (time on non-working days does not
   * count, so Friday 16:00 → Monday 15:59 is 0 and → Monday 16:00 is 1). The inverse of
   * addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) === n for n >= 0. Negative when b
   * is before a: workingDaysBetween(b, a) === -workingDaysBetween(a, b).
   */
  workingDaysBetween(a: Date, b: Date): number {
    const ta = checkDate('a', a);
    const tb = checkDate('b', b);
    if (tb < ta) return -this.elapsed(tb, ta) || 0;
    return this.elapsed(ta, tb);
  }

  private elapsed(from: number, to: number): number {
    const pa = this.position(from);
    const pb = this.position(to);
    const n = this.countWorkingDays(pa.day, pb.day) - (pb.timeOfDay < pa.timeOfDay ? 1 : 0);
    return Math.max(n, 0);
  }

  /** Where an instant sits for counting: itself on a working day, else the next working day's start. */
  private position(t: number): LocalTime {
    const local = this.local(t);
    if (this.isWorkingDayNumber(local.day)) return local;
    return { day: this.nextWorkingDay(local.day), timeOfDay: 0 };
  }

  private isWorkingDayNumber(day: number): boolean {
    return !this.weekend.has(weekdayOf(day)) && !this.holidayDays.has(day);
  }

  private nextWorkingDay(day: number): number {
    let d = day + 1;
    while (!this.isWorkingDayNumber(d)) d++;
    return d;
  }

  /** Working days in the day range [from, to). */
  private countWorkingDays(from: number, to: number): number {
    if (to <= from) return 0;
    const weeks = Math.floor((to - from) / 7);
    let count = weeks * (7 - this.weekend.size);
    for (let d = from + weeks * 7; d < to; d++) if (!this.weekend.has(weekdayOf(d))) count++;
    return count - (lowerBound(this.weekdayHolidays, to) - lowerBound(this.weekdayHolidays, from));
  }

  /** Local wall time of an instant. */
  private local(t: number): LocalTime {
    const wall = this.wallClock(t);
    const day = Math.floor(wall / DAY_MS);
    return { day, timeOfDay: wall - day * DAY_MS };
  }

  /** The instant's local wall time, expressed as milliseconds of a UTC clock showing that time. */
  private wallClock(t: number): number {
    const p = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const { type, value } of this.formatter.formatToParts(t)) if (type in p) p[type as keyof typeof p] = Number(value);
    const ms = ((t % 1000) + 1000) % 1000;
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, ms);
  }

  /**
   * The instant whose local wall time is `timeOfDay` on local date `day`. Exact for fixed-offset
   * zones such as Asia/Jakarta; in a DST gap or fold it lands on one of the neighbouring instants.
   */
  private instantOf(day: number, timeOfDay: number): number {
    const wall = day * DAY_MS + timeOfDay;
    const guess = wall - (this.wallClock(wall) - wall);
    const offset = this.wallClock(guess) - guess;
    return wall - offset;
  }
}

/** Index of the first element >= value in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
