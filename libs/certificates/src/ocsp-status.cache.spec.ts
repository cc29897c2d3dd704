import { describe, expect, it } from 'vitest';
import { OcspStatusCache } from './ocsp-status.cache.js';

describe('OcspStatusCache', () => {
  const good = { status: 'good' as const };

  it('keeps nothing until the notifications are live, and hands out one object per read until it expires', () => {
    const cache = new OcspStatusCache(60_000);
    const before = cache.set('ab', good, cache.ticket(), 1000);
    expect(before.checkedAt).toEqual(new Date(1000));
    expect(cache.get('ab', 1000)).toBeUndefined();
    cache.live();
    const kept = cache.set('ab', good, cache.ticket(), 2000);
    expect(cache.get('ab', 2000)).toBe(kept);
    expect(cache.get('ab', 61_999)).toBe(kept);
    expect(cache.get('ab', 62_000)).toBeUndefined(); // TTL: read again
    expect(cache.size).toBe(0);
  });

  it('drops a serial on its notification, everything when the notifications are lost, and stays closed until live again', () => {
    const cache = new OcspStatusCache(60_000);
    cache.live();
    cache.set('ab', good, cache.ticket(), 0);
    cache.set('cd', good, cache.ticket(), 0);
    cache.changed('ab');
    expect(cache.get('ab', 1)).toBeUndefined();
    expect(cache.get('cd', 1)).toBeDefined();
    cache.lost();
    expect(cache.get('cd', 1)).toBeUndefined();
    cache.set('cd', good, cache.ticket(), 2);
    expect(cache.get('cd', 3)).toBeUndefined();
    cache.live();
    cache.set('cd', good, cache.ticket(), 4);
    expect(cache.get('cd', 5)).toBeDefined();
  });

  it('does not keep a read that overlapped a change (it may have seen the row before it)', () => {
    const cache = new OcspStatusCache(60_000);
    cache.live();
    const ticket = cache.ticket();
    cache.changed('ab'); // the notification arrives while the SELECT is under way
    cache.set('ab', good, ticket, 10);
    expect(cache.get('ab', 11)).toBeUndefined();
    const reconnect = cache.ticket();
    cache.live(); // a reconnect meanwhile: anything may have been missed
    cache.set('ab', good, reconnect, 12);
    expect(cache.get('ab', 13)).toBeUndefined();
  });

  it('is off with a TTL of 0 and bounded in size (the oldest entry goes)', () => {
    const off = new OcspStatusCache(0);
    off.live();
    off.set('ab', good, off.ticket(), 0);
    expect(off.enabled).toBe(false);
    expect(off.get('ab', 0)).toBeUndefined();
    const small = new OcspStatusCache(60_000, 2);
    small.live();
    for (const s of ['a1', 'a2', 'a3']) small.set(s, good, small.ticket(), 0);
    expect(small.size).toBe(2);
    expect(small.get('a1', 1)).toBeUndefined();
    expect(small.get('a3', 1)).toBeDefined();
  });
});
