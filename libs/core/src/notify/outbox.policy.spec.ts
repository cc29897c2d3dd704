import { describe, expect, it } from 'vitest';
import { describeSendError } from './mail-transport.js';
import { RETRY_MAX_SECONDS, retryDelaySeconds, statusAfterFailure } from './outbox.policy.js';

describe('outbox retry policy', () => {
  it('doubles from 30 s and caps at 6 h', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, mid))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20, mid)).toBe(RETRY_MAX_SECONDS);
    expect(retryDelaySeconds(1000, () => 1)).toBe(RETRY_MAX_SECONDS);
  });

  it('spreads retries by ±20 %', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(24);
    expect(retryDelaySeconds(1, () => 0.999999)).toBe(36);
  });

  it('gives up at the last attempt', () => {
    expect(statusAfterFailure(1, 3)).toBe('failed');
    expect(statusAfterFailure(3, 3)).toBe('dead');
  });

  it('describes send errors without credentials', () => {
    const err = Object.assign(new Error('Invalid login: 535 auth failed for smtp://mailer:hunter2@mail.example.go.id'), {
      code: 'EAUTH',
      responseCode: 535,
    });
    const text = describeSendError(err);
    expect(text).toMatch(/^EAUTH 535: Invalid login/);
    expect(text).not.toContain('hunter2');
    expect(describeSendError(new Error('x'.repeat(2000))).length).toBeLessThanOrEqual(500);
  });
});
