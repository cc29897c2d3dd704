import { describe, expect, it } from 'vitest';
import {
  formatTicket,
  hashTrackingToken,
  newTrackingToken,
  ticketYear,
  TICKET_PATTERN,
  TRACKING_TOKEN_PATTERN,
  trackingTokenMatches,
} from './ticket.util.js';

describe('ticket numbers', () => {
  it('formats INC-<year>-<6 digits> and refuses what does not fit', () => {
    expect(formatTicket(2026, 1)).toBe('INC-2026-000001');
    expect(formatTicket(2026, 999_999)).toBe('INC-2026-999999');
    expect(TICKET_PATTERN.test(formatTicket(2026, 42))).toBe(true);
    expect(() => formatTicket(2026, 0)).toThrow(RangeError);
    expect(() => formatTicket(2026, 1_000_000)).toThrow(/exhausted/);
    expect(() => formatTicket(2026, 1.5)).toThrow(RangeError);
  });

  it('takes the year in office time (WIB), not UTC', () => {
    expect(ticketYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(ticketYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
  });
});

describe('tracking tokens', () => {
  it('are 256-bit base64url secrets stored only as their SHA-256', () => {
    const a = newTrackingToken();
    const b = newTrackingToken();
    expect(a.token).toMatch(TRACKING_TOKEN_PATTERN);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashTrackingToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token);
  });

  it('match only the token they were made from; a missing or malformed stored hash never matches', () => {
    const { token, hash } = newTrackingToken();
    expect(trackingTokenMatches(token, hash)).toBe(true);
    expect(trackingTokenMatches(newTrackingToken().token, hash)).toBe(false);
    expect(trackingTokenMatches(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), hash)).toBe(false);
    expect(trackingTokenMatches(token, null)).toBe(false);
    expect(trackingTokenMatches(token, undefined)).toBe(false);
    expect(trackingTokenMatches(token, 'not-a-hash')).toBe(false);
    expect(trackingTokenMatches('', hash)).toBe(false);
  });
});
