import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Ticket numbers: `INC-<year>-<6 digits>`, the year in the office's time zone, one counter per year. */
export const TICKET_PATTERN = /^INC-(\d{4})-(\d{6})$/;
export const TICKET_MAX_SEQUENCE = 999_999;
export const OFFICE_TIME_ZONE = 'Asia/Jakarta';

export function formatTicket(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`ticket year out of range: ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > TICKET_MAX_SEQUENCE) {
    throw new RangeError(`ticket sequence ${sequence} outside 1–${TICKET_MAX_SEQUENCE}: the year's ticket space is exhausted`);
  }
  return `INC-${year}-${String(sequence).padStart(6, '0')}`;
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of `at` in the office's time zone (a report at 23:30 UTC on 31 Dec is next year's in WIB). */
export function ticketYear(at: Date, timeZone = OFFICE_TIME_ZONE): number {
  // Building a formatter costs far more than using one: one per zone, kept.
  let format = yearFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return Number(format.format(at));
}

/**
 * The reporter's secret tracking token: 32 random bytes, base64url. Only its SHA-256 is stored, so a
 * database reader cannot follow a report; the token travels once, in the receipt e-mail.
 */
export const TRACKING_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newTrackingToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashTrackingToken(token) };
}

export function hashTrackingToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A stored hash nobody's token hashes to; compared against when the ticket is unknown, so both cases take the same time. */
const DECOY_HASH = hashTrackingToken('decoy:no ticket has this token');

/** Constant-time comparison of a presented token with the stored hash (or with a decoy when there is none). */
export function trackingTokenMatches(token: string, storedHash: string | null | undefined): boolean {
  const presented = Buffer.from(hashTrackingToken(typeof token === 'string' ? token : ''), 'hex');
  const stored = Buffer.from(storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? storedHash : DECOY_HASH, 'hex');
  const equal = timingSafeEqual(presented, stored);
  return equal && Boolean(storedHash);
}
