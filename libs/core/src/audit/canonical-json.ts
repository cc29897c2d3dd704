/**
 * Deterministic JSON: the same value always gives the same text, so a hash over it can be recomputed
 * later (audit chain, evidence bundles). Object keys are sorted by UTF-16 code units at every depth,
 * there is no whitespace, Dates become ISO strings, bigints become strings, `undefined` object members
 * are dropped (and become `null` inside arrays, as in JSON.stringify, so positions do not shift).
 * Values that JSON cannot carry faithfully are refused instead of silently changed: non-finite
 * numbers, invalid Dates, functions, symbols, Maps, Sets and cycles throw a TypeError.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: the top-level value has no JSON representation');
  return out;
}

/** The plain JSON value that `canonicalJson` describes (what a jsonb column gives back after storing it). */
export function toCanonicalValue<T = unknown>(value: unknown): T {
  return JSON.parse(canonicalJson(value)) as T;
}

function write(value: unknown, stack: Set<object>): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${String(value)}`);
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'function':
    case 'symbol':
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON representation`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (obj instanceof Date) {
    if (Number.isNaN(obj.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(obj.toISOString());
  }
  if (obj instanceof Map || obj instanceof Set) throw new TypeError('canonicalJson: Map and Set are not JSON; convert them first');
  if (stack.has(obj)) throw new TypeError('canonicalJson: circular reference');
  stack.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((v) => write(v, stack) ?? 'null').join(',')}]`;
    // Buffers, Decimal-like classes and the like describe themselves, as JSON.stringify would let them.
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return write(toJSON.call(obj), stack);
    const members: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = write((obj as Record<string, unknown>)[key], stack);
      if (v !== undefined) members.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}
