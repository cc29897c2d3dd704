import { describe, expect, it } from 'vitest';
import { dueNotice } from './certificate-lifecycle.service.js';

const now = new Date('2026-11-22T03:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe('expiry notices', () => {
  it('sends nothing before 30 days, then each threshold once', () => {
    expect(dueNotice(inDays(31), [], now)).toBeNull();
    expect(dueNotice(inDays(30), [], now)).toBe(30);
    expect(dueNotice(inDays(29), [30], now)).toBeNull();
    expect(dueNotice(inDays(7), [30], now)).toBe(7);
    expect(dueNotice(inDays(0.5), [30, 7], now)).toBe(1);
    expect(dueNotice(inDays(0.5), [30, 7, 1], now)).toBeNull();
  });

  it('sends only the most urgent notice after a late run, and none once expired', () => {
    expect(dueNotice(inDays(0.9), [], now)).toBe(1);
    expect(dueNotice(inDays(-1), [], now)).toBeNull();
  });
});
