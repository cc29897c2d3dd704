import { describe, expect, it } from 'vitest';
import { canonicalJson, toCanonicalValue } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const a = canonicalJson({ b: 1, a: { z: [3, { y: 1, x: 2 }], c: 'x' } });
    expect(a).toBe('{"a":{"c":"x","z":[3,{"x":2,"y":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).toBe(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });

  it('sorts keys by code unit, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4, é: 5 })).toBe('{"B":2,"_":4,"a":3,"b":1,"é":5}');
  });

  it('writes Dates as ISO strings and bigints as strings', () => {
    const d = new Date('2025-01-02T03:04:05.678Z');
    expect(canonicalJson({ at: d, n: 12345678901234567890n })).toBe('{"at":"2025-01-02T03:04:05.678Z","n":"12345678901234567890"}');
    expect(canonicalJson(d)).toBe('"2025-01-02T03:04:05.678Z"');
  });

  it('drops undefined members and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [1, undefined, 2] })).toBe('{"b":null,"c":[1,null,2]}');
  });

  it('keeps scalars and escapes strings like JSON', () => {
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1.5e-7)).toBe('1.5e-7');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('rejects non-finite numbers anywhere', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: [Infinity] })).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: -Infinity })).toThrow(/non-finite/);
  });

  it('rejects what JSON cannot carry instead of changing it silently', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ s: Symbol('x') })).toThrow(TypeError);
    expect(() => canonicalJson({ m: new Map([[1, 2]]) })).toThrow(/Map and Set/);
    expect(() => canonicalJson(new Date('nope'))).toThrow(/invalid Date/);
  });

  it('rejects cycles but accepts the same object twice side by side', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('uses toJSON where a class provides one', () => {
    expect(canonicalJson({ buf: Buffer.from([1, 2]) })).toBe('{"buf":{"data":[1,2],"type":"Buffer"}}');
  });

  it('round-trips: the canonical value of a parsed canonical text gives the same text', () => {
    const input = { when: new Date(0), big: 9n, list: [{ b: 2, a: undefined }], nested: { z: 0.1 + 0.2 } };
    const text = canonicalJson(input);
    expect(canonicalJson(toCanonicalValue(input))).toBe(text);
    expect(toCanonicalValue(input)).toEqual({
      big: '9',
      list: [{ b: 2 }],
      nested: { z: 0.30000000000000004 },
      when: '1970-01-01T00:00:00.000Z',
    });
  });
});
