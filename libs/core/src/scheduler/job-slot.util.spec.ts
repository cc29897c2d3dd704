import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, slotFor } from './job-slot.util.js';

describe('slotFor', () => {
  it('truncates to the period', () => {
    expect(slotFor(new Date('2026-03-04T05:06:07.890Z'), 1000).toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(slotFor(new Date('2026-03-04T05:06:07.890Z'), HOUR_MS).toISOString()).toBe('2026-03-04T05:00:00.000Z');
    expect(slotFor(new Date('2026-03-04T05:06:07.890Z'), DAY_MS).toISOString()).toBe('2026-03-04T00:00:00.000Z');
  });

  it('gives every instance the same slot for fires within one period', () => {
    expect(slotFor(new Date('2026-03-04T05:00:00.001Z'), HOUR_MS)).toEqual(slotFor(new Date('2026-03-04T05:00:00.250Z'), HOUR_MS));
  });

  it('rejects a non-positive period', () => {
    expect(() => slotFor(new Date(), 0)).toThrow(RangeError);
  });
});
