/**
 * PDF object syntax (ISO 32000-1 §7.3): an object model, a parser that works on the file as a
 * latin1 string (one char per byte) with a work budget, and a serializer for the few objects the
 * signer rewrites. Hostile input meets hard limits: nesting depth, and a budget of characters the
 * parser may look at in total, so no input makes it loop or go quadratic.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  /** `hex`: written as <...> in the file (how /Contents must be written). */
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfDict {
  readonly map = new Map<string, PdfObject>();
  /** For dictionaries parsed straight from the file: where each value's text starts and ends. */
  spans?: Map<string, [number, number]>;

  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }

  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }

  clone(): PdfDict {
    const d = new PdfDict();
    for (const [k, v] of this.map) d.map.set(k, v);
    return d;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream's bytes as stored (still encoded). */
    readonly data: Uint8Array,
  ) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfObject[];

export const isName = (o: PdfObject | undefined, name?: string): o is PdfName =>
  o instanceof PdfName && (name === undefined || o.name === name);
export const isDict = (o: PdfObject | undefined): o is PdfDict => o instanceof PdfDict;

export class PdfSyntaxError extends Error {}
export class BudgetExceededError extends Error {}

/** Work budget shared by every parse over one file. */
export class Budget {
  constructor(private remaining: number) {}

  charge(n: number): void {
    this.remaining -= Math.max(1, n);
    if (this.remaining < 0) throw new BudgetExceededError('PDF too complex or too damaged to read');
  }
}

const MAX_DEPTH = 64;

// Character classes (§7.2.2): white-space and delimiters; everything else is "regular".
const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;
const isRegular = (c: number) => !(c >= 256 || WHITESPACE[c] || DELIMITER[c]);
const isDigit = (c: number) => c >= 48 && c <= 57;

export class PdfParser {
  pos = 0;

  /**
   * @param src   the bytes as a latin1 string
   * @param bytes the same bytes (stream data is sliced from here)
   * @param budget shared work budget
   * @param recordSpans remember value offsets of dictionaries (only meaningful when `src` is the file)
   */
  constructor(
    readonly src: string,
    readonly bytes: Uint8Array,
    readonly budget: Budget,
    readonly recordSpans = false,
  ) {}

  private code(at = this.pos): number {
    return at < this.src.length ? this.src.charCodeAt(at) : -1;
  }

  skipWhitespace(): void {
    const s = this.src;
    for (;;) {
      const c = this.pos < s.length ? s.charCodeAt(this.pos) : -1;
      if (c >= 0 && WHITESPACE[c]) this.pos++;
      else if (c === 37 /* % */) {
        while (this.pos < s.length) {
          const d = s.charCodeAt(this.pos);
          if (d === 10 || d === 13) break;
          this.pos++;
        }
      } else return;
    }
  }

  /** Does `word` follow here, as a whole keyword? Moves past it if so. */
  keyword(word: string): boolean {
    if (!this.src.startsWith(word, this.pos)) return false;
    const after = this.code(this.pos + word.length);
    if (after >= 0 && isRegular(after)) return false;
    this.pos += word.length;
    return true;
  }

  /** Parses one object at the current position (after skipping white-space). */
  parseObject(depth = 0): PdfObject {
    const start = this.pos;
    try {
      return this.value(depth);
    } finally {
      if (depth === 0) this.budget.charge(this.pos - start);
    }
  }

  private value(depth: number): PdfObject {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError('objects nested too deeply');
    this.skipWhitespace();
    const c = this.code();
    switch (c) {
      case 47: // /
        return this.name();
      case 40: // (
        return this.literalString();
      case 60: // <
        return this.code(this.pos + 1) === 60 ? this.dict(depth) : this.hexString();
      case 91: // [
        return this.array(depth);
      default:
        break;
    }
    if (isDigit(c) || c === 43 || c === 45 || c === 46) return this.numberOrRef();
    if (this.keyword('true')) return true;
    if (this.keyword('false')) return false;
    if (this.keyword('null')) return null;
    throw new PdfSyntaxError(`unexpected ${c < 0 ? 'end of data' : `character 0x${c.toString(16)}`} at ${this.pos}`);
  }

  private name(): PdfName {
    this.pos++; // '/'
    const s = this.src;
    let out = '';
    let from = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (!isRegular(c)) break;
      if (c === 35 /* # */ && /^[0-9A-Fa-f]{2}$/.test(s.substr(this.pos + 1, 2))) {
        out += s.slice(from, this.pos) + String.fromCharCode(parseInt(s.substr(this.pos + 1, 2), 16));
        this.pos += 3;
        from = this.pos;
      } else this.pos++;
    }
    return new PdfName(out + s.slice(from, this.pos));
  }

  private numberOrRef(): number | PdfRef {
    const m = /[+-]?(?:\d+\.?\d*|\.\d+)/y;
    m.lastIndex = this.pos;
    const hit = m.exec(this.src);
    if (!hit) throw new PdfSyntaxError(`bad number at ${this.pos}`);
    this.pos += hit[0].length;
    const n = Number(hit[0]);
    if (!Number.isFinite(n)) throw new PdfSyntaxError(`bad number at ${this.pos}`);
    // "n g R": an indirect reference.
    if (/^\d{1,10}$/.test(hit[0])) {
      const ref = /[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+R(?![^\0\t\n\f\r ()<>[\]{}/%])/y;
      ref.lastIndex = this.pos;
      const r = ref.exec(this.src);
      if (r) {
        this.pos += r[0].length;
        return new PdfRef(n, Number(r[1]));
      }
    }
    return n;
  }

  private literalString(): PdfString {
    const s = this.src;
    const open = ++this.pos;
    // First pass: find the closing parenthesis, so the output can be allocated once.
    let depth = 1;
    let p = open;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (c === 92 /* \ */) p += 2;
      else {
        if (c === 40) depth++;
        else if (c === 41 && --depth === 0) break;
        p++;
      }
    }
    if (depth !== 0 || p >= s.length) {
      this.pos = s.length; // what was scanned is charged to the budget
      throw new PdfSyntaxError('unterminated string');
    }
    const close = p;
    const out = new Uint8Array(close - open);
    let n = 0;
    for (p = open; p < close; p++) {
      let c = s.charCodeAt(p);
      if (c === 13) {
        // An end-of-line in a literal string reads as a single LF (§7.3.4.2).
        if (s.charCodeAt(p + 1) === 10) p++;
        c = 10;
      } else if (c === 92) {
        const e = s.charCodeAt(++p);
        if (e >= 48 && e <= 55) {
          let v = e - 48;
          for (let k = 0; k < 2 && s.charCodeAt(p + 1) >= 48 && s.charCodeAt(p + 1) <= 55; k++) v = v * 8 + (s.charCodeAt(++p) - 48);
          c = v & 0xff;
        } else if (e === 13 || e === 10) {
          if (e === 13 && s.charCodeAt(p + 1) === 10) p++;
          continue; // line continuation
        } else c = ({ 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 } as Record<number, number>)[e] ?? e;
      }
      out[n++] = c;
    }
    this.pos = close + 1;
    return new PdfString(out.subarray(0, n));
  }

  private hexString(): PdfString {
    const s = this.src;
    const open = ++this.pos;
    const close = s.indexOf('>', open);
    if (close < 0) {
      this.pos = s.length;
      throw new PdfSyntaxError('unterminated hex string');
    }
    const out = new Uint8Array(Math.ceil((close - open) / 2));
    let n = 0;
    let hi = -1;
    for (let p = open; p < close; p++) {
      const c = s.charCodeAt(p);
      if (WHITESPACE[c]) continue;
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (v < 0) throw new PdfSyntaxError(`bad hex digit at ${p}`);
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4;
    this.pos = close + 1;
    return new PdfString(out.subarray(0, n), true);
  }

  private array(depth: number): PdfObject[] {
    this.pos++;
    const out: PdfObject[] = [];
    for (;;) {
      this.skipWhitespace();
      const c = this.code();
      if (c === 93 /* ] */) {
        this.pos++;
        return out;
      }
      if (c < 0) throw new PdfSyntaxError('unterminated array');
      out.push(this.value(depth + 1));
    }
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const d = new PdfDict();
    if (this.recordSpans) d.spans = new Map();
    for (;;) {
      this.skipWhitespace();
      const c = this.code();
      if (c === 62 /* > */ && this.code(this.pos + 1) === 62) {
        this.pos += 2;
        return d;
      }
      if (c !== 47) throw new PdfSyntaxError(c < 0 ? 'unterminated dictionary' : `dictionary key expected at ${this.pos}`);
      const key = this.name().name;
      this.skipWhitespace();
      const valueStart = this.pos;
      const v = this.value(depth + 1);
      d.map.set(key, v);
      d.spans?.set(key, [valueStart, this.pos]);
    }
  }

  /**
   * After a dictionary at object level: `stream ... endstream`, if present. The /Length is used when
   * it is a direct number that lands on `endstream`; otherwise the data runs to the next `endstream`.
   */
  maybeStream(dict: PdfDict): PdfStream | undefined {
    const save = this.pos;
    this.skipWhitespace();
    if (!this.keyword('stream')) {
      this.pos = save;
      return undefined;
    }
    if (this.code() === 13) this.pos++;
    if (this.code() === 10) this.pos++;
    const start = this.pos;
    const length = dict.get('Length');
    let end = -1;
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && start + length <= this.src.length) {
      const after = /[\0\t\n\f\r ]*endstream/y;
      after.lastIndex = start + length;
      if (after.test(this.src)) end = start + length;
    }
    if (end < 0) {
      const at = this.src.indexOf('endstream', start);
      this.budget.charge((at < 0 ? this.src.length : at) - start);
      if (at < 0) throw new PdfSyntaxError('unterminated stream');
      end = at;
      if (this.code(end - 1) === 10) end--;
      if (this.code(end - 1) === 13) end--;
      end = Math.max(start, end);
    }
    this.pos = this.src.indexOf('endstream', end) + 'endstream'.length;
    return new PdfStream(dict, this.bytes.subarray(start, end));
  }
}

// ---------------------------------------------------------------- serializer

/** Numbers as PDF writes them: no exponent, at most 6 decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

function nameText(name: string): string {
  let out = '/';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    out += c > 32 && c < 127 && c !== 35 && isRegular(c) ? name[i] : `#${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function stringText(s: PdfString): string {
  if (s.hex) return `<${Buffer.from(s.bytes).toString('hex')}>`;
  let out = '(';
  for (const c of s.bytes) {
    if (c === 40 || c === 41 || c === 92) out += `\\${String.fromCharCode(c)}`;
    else if (c >= 32 && c < 127) out += String.fromCharCode(c);
    else out += `\\${c.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** Serializes an object (not a stream: streams are written by the caller with their data). */
export function serialize(o: PdfObject): string {
  if (o === null) return 'null';
  if (typeof o === 'boolean') return o ? 'true' : 'false';
  if (typeof o === 'number') return formatNumber(o);
  if (o instanceof PdfName) return nameText(o.name);
  if (o instanceof PdfString) return stringText(o);
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (Array.isArray(o)) return `[${o.map(serialize).join(' ')}]`;
  if (o instanceof PdfDict) {
    let out = '<<';
    for (const [k, v] of o.map) out += `${nameText(k)} ${serialize(v)}\n`;
    return `${out}>>`;
  }
  throw new Error('streams are serialized with their data');
}
