import { constants, inflateSync } from 'node:zlib';
import { PdfError, PdfErrorCode } from './pdf.exception.js';
import { PDF_LIMITS } from './pdf.limits.js';
import {
  Budget,
  BudgetExceededError,
  PdfDict,
  PdfParser,
  PdfRef,
  PdfStream,
  PdfString,
  PdfSyntaxError,
  isDict,
  isName,
  serialize,
  type PdfObject,
} from './pdf-syntax.js';
import { decodeTextString } from './pdf-text.util.js';

/** Object streams would inflate past PDF_LIMITS.maxInflatedBytes. */
class InflateLimitError extends Error {}
/** More objects than PDF_LIMITS.maxObjects. */
class TooManyObjectsError extends Error {}

interface TopEntry {
  kind: 'top';
  gen: number;
  /** Precedence: the later in the file, the newer the revision. */
  order: number;
  /** Offsets of `n g obj`, of the value after it, and just past `endobj`. */
  start: number;
  valueStart: number;
  end: number;
  /** An object stream or cross-reference stream: file structure, not document content. */
  structural: boolean;
}

interface CompressedEntry {
  kind: 'compressed';
  gen: 0;
  order: number;
  container: DecodedObjectStream;
  offset: number;
}

type Entry = TopEntry | CompressedEntry;

interface DecodedObjectStream {
  src: string;
  bytes: Uint8Array;
}

export type XrefKind = 'table' | 'stream';

export interface PageInfo {
  ref: PdfRef;
  dict: PdfDict;
  /** CropBox (or MediaBox), normalised to [llx, lly, urx, ury]. */
  box: [number, number, number, number];
}

export interface FieldInfo {
  dict: PdfDict;
  ref?: PdfRef;
  fullName: string;
  /** Field type, inherited from ancestors (§12.7.3.1). */
  type?: string;
  /** Value, inherited from ancestors. */
  value?: PdfObject;
}

/** Largest object number a conforming file uses (ISO 32000-1, Annex C). */
const MAX_OBJECT_NUMBER = 8_388_607;

/** Budget charged per unparsable object (exceptions are not free; hostile files have millions). */
const SYNTAX_FAILURE_COST = 4096;

const OBJ_OR_KEYWORD =
  /(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj(?![^\0\t\n\f\r ()<>[\]{}/%])|(?<![A-Za-z])(startxref|xref|trailer)(?![A-Za-z])/g;

/**
 * A PDF file read the tolerant way (like pdf.js and pdf-lib): every object in file order, later
 * definitions replacing earlier ones, object streams expanded within a decompression budget. The
 * cross-reference sections are located (the signer chains to the last one) but not trusted for
 * finding objects, so damaged offsets do not matter for reading.
 */
export class PdfFile {
  readonly src: string;
  readonly version: string;
  private readonly objects = new Map<number, Entry>();
  /** Parsed values of the objects looked up so far (the scan itself keeps only offsets, to bound memory). */
  private readonly values = new Map<number, PdfObject>();
  private readonly budget: Budget;
  readonly trailer = new PdfDict();
  /** Value of the last `startxref`, and what it points at (undefined when it points at nothing valid). */
  readonly lastXrefOffset?: number;
  readonly lastXrefKind?: XrefKind;
  /** Highest object number seen anywhere (objects, object streams, trailer /Size - 1). */
  readonly maxObjectNumber: number;

  private constructor(readonly bytes: Uint8Array) {
    this.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    this.budget = new Budget(bytes.length * PDF_LIMITS.parseWorkFactor + 1_000_000);
    const header = /%PDF-(\d\.\d)/.exec(this.src.slice(0, 1024));
    if (!header) throw new PdfError(PdfErrorCode.NotAPdf, 'header %PDF- tidak ditemukan (no %PDF- header)');
    this.version = header[1];
    const scan = this.scan(header.index);
    this.expandObjectStreams(scan.objectStreams);
    let maxNum = 0;
    for (const n of this.objects.keys()) maxNum = Math.max(maxNum, n);

    // Trailer: later sections win, key by key.
    scan.trailers.sort((a, b) => a.pos - b.pos);
    let size = 0;
    for (const { dict } of scan.trailers) {
      for (const key of ['Root', 'Info', 'ID', 'Encrypt']) {
        const v = dict.get(key);
        if (v !== undefined) this.trailer.set(key, v);
      }
      const s = dict.get('Size');
      if (typeof s === 'number' && Number.isInteger(s) && s > size && s < 100_000_000) size = s;
    }
    this.maxObjectNumber = Math.max(maxNum, size - 1);

    if (scan.startxref !== undefined) {
      this.lastXrefOffset = scan.startxref;
      if (scan.xrefTables.has(scan.startxref)) this.lastXrefKind = 'table';
      else if (scan.xrefStreams.has(scan.startxref)) this.lastXrefKind = 'stream';
    }
  }

  /** Reads a PDF; typed errors for empty, oversized, non-PDF, damaged input. */
  static parse(bytes: Uint8Array): PdfFile {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new PdfError(PdfErrorCode.Empty);
    if (bytes.length > PDF_LIMITS.maxPdfBytes)
      throw new PdfError(PdfErrorCode.TooLarge, `lebih dari ${PDF_LIMITS.maxPdfBytes} byte (over ${PDF_LIMITS.maxPdfBytes} bytes)`);
    try {
      return new PdfFile(bytes);
    } catch (e) {
      throw asPdfError(e);
    }
  }

  private scan(from: number) {
    const trailers: { pos: number; dict: PdfDict }[] = [];
    const xrefTables = new Set<number>();
    const xrefStreams = new Set<number>();
    const objectStreams: { num: number; order: number; stream: PdfStream }[] = [];
    let startxref: number | undefined;
    const parser = new PdfParser(this.src, this.bytes, this.budget, true);
    const re = new RegExp(OBJ_OR_KEYWORD.source, 'g');
    re.lastIndex = from;
    for (;;) {
      const scannedFrom = re.lastIndex;
      const m = re.exec(this.src);
      if (!m) break;
      this.budget.charge(m.index - scannedFrom);
      const after = m.index + m[0].length;
      parser.pos = after;
      try {
        if (m[1] !== undefined) {
          const num = Number(m[1]);
          const gen = Number(m[2]);
          let value = parser.parseObject();
          if (isDict(value)) value = parser.maybeStream(value) ?? value;
          parser.skipWhitespace();
          parser.keyword('endobj');
          const structural =
            value instanceof PdfStream && (isName(value.dict.get('Type'), 'XRef') || isName(value.dict.get('Type'), 'ObjStm'));
          this.define(num, { kind: 'top', gen, order: m.index, start: m.index, valueStart: after, end: parser.pos, structural });
          if (value instanceof PdfStream) {
            if (isName(value.dict.get('Type'), 'XRef')) {
              xrefStreams.add(m.index);
              trailers.push({ pos: m.index, dict: value.dict });
            } else if (isName(value.dict.get('Type'), 'ObjStm')) objectStreams.push({ num, order: m.index, stream: value });
          }
        } else if (m[3] === 'trailer') {
          const dict = parser.parseObject();
          if (isDict(dict)) trailers.push({ pos: m.index, dict });
        } else if (m[3] === 'startxref') {
          const v = parser.parseObject();
          startxref = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
        } else {
          xrefTables.add(m.index);
          parser.pos = after;
        }
        re.lastIndex = Math.max(parser.pos, after);
      } catch (e) {
        if (!(e instanceof PdfSyntaxError)) throw e;
        // Damaged object: look for the next one. A failure costs about as much as scanning a few KiB.
        this.budget.charge(SYNTAX_FAILURE_COST);
        re.lastIndex = after;
      }
    }
    return { trailers, xrefTables, xrefStreams, objectStreams, startxref };
  }

  private expandObjectStreams(list: { num: number; order: number; stream: PdfStream }[]): void {
    let inflateBudget = PDF_LIMITS.maxInflatedBytes;
    for (const { num, order, stream } of list) {
      const current = this.objects.get(num);
      if (!current || current.kind !== 'top' || current.order !== order) continue; // superseded
      const data = decodeStream(stream, inflateBudget);
      if (!data) continue;
      inflateBudget -= data.length;
      const src = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
      const n = stream.dict.get('N');
      const first = stream.dict.get('First');
      if (
        typeof n !== 'number' ||
        typeof first !== 'number' ||
        n < 0 ||
        n > PDF_LIMITS.maxObjectsPerStream ||
        first < 0 ||
        first > src.length
      )
        continue;
      const p = new PdfParser(src, data, this.budget);
      const container = { src, bytes: data };
      try {
        for (let i = 0; i < n; i++) {
          const objNum = p.parseObject();
          const offset = p.parseObject();
          if (typeof objNum !== 'number' || typeof offset !== 'number' || !Number.isInteger(objNum) || objNum < 0 || offset < 0) break;
          const existing = this.objects.get(objNum);
          if (existing && existing.order > order) continue;
          this.define(objNum, { kind: 'compressed', gen: 0, order, container, offset: first + offset });
        }
      } catch (e) {
        if (!(e instanceof PdfSyntaxError)) throw e;
      }
    }
  }

  private define(num: number, entry: Entry): void {
    if (num > MAX_OBJECT_NUMBER) return; // beyond what PDF allows (ISO 32000-1 Annex C): treat as junk
    if (!this.objects.has(num) && this.objects.size >= PDF_LIMITS.maxObjects)
      throw new TooManyObjectsError(`more than ${PDF_LIMITS.maxObjects} objects`);
    this.objects.set(num, entry);
  }

  /** The object a reference points to; undefined when missing (a PDF reads that as null). */
  get(ref: PdfRef): PdfObject | undefined {
    const e = this.objects.get(ref.num);
    if (!e || e.gen !== ref.gen) return undefined;
    const cached = this.values.get(ref.num);
    if (cached !== undefined) return cached;
    let value: PdfObject;
    try {
      if (e.kind === 'top') {
        const p = new PdfParser(this.src, this.bytes, this.budget, true);
        p.pos = e.valueStart;
        value = p.parseObject();
        if (isDict(value)) value = p.maybeStream(value) ?? value;
      } else {
        const p = new PdfParser(e.container.src, e.container.bytes, this.budget);
        p.pos = e.offset;
        value = p.parseObject();
      }
    } catch (err) {
      if (!(err instanceof PdfSyntaxError)) throw asPdfError(err);
      value = null;
    }
    this.values.set(ref.num, value);
    return value;
  }

  /** Follows references (a bounded number of hops). */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    for (let hops = 0; o instanceof PdfRef; hops++) {
      if (hops > 16) return undefined;
      o = this.get(o);
    }
    return o;
  }

  resolveDict(o: PdfObject | undefined): PdfDict | undefined {
    const v = this.resolve(o);
    return isDict(v) ? v : v instanceof PdfStream ? v.dict : undefined;
  }

  /** For a top-level object: where its `n g obj` starts in the file. */
  topLevelSpan(ref: PdfRef): { start: number; end: number } | undefined {
    const e = this.objects.get(ref.num);
    return e && e.kind === 'top' && e.gen === ref.gen ? { start: e.start, end: e.end } : undefined;
  }

  generationOf(num: number): number {
    return this.objects.get(num)?.gen ?? 0;
  }

  get isEncrypted(): boolean {
    const e = this.trailer.get('Encrypt');
    return e !== undefined && e !== null;
  }

  catalog(): PdfDict {
    const root = this.trailer.get('Root');
    const catalog = this.resolveDict(root);
    if (!(root instanceof PdfRef) || !catalog)
      throw new PdfError(PdfErrorCode.Malformed, 'katalog dokumen tidak ditemukan (no document catalog)');
    return catalog;
  }

  /** Pages in order, with their inherited crop/media box. */
  pages(): PageInfo[] {
    const out: PageInfo[] = [];
    const root = this.catalog().get('Pages');
    if (!(root instanceof PdfRef)) throw new PdfError(PdfErrorCode.Malformed, 'pohon halaman tidak ditemukan (no page tree)');
    const seen = new Set<number>();
    const stack: { ref: PdfRef; depth: number; media?: PdfObject; crop?: PdfObject }[] = [{ ref: root, depth: 0 }];
    while (stack.length > 0) {
      const { ref, depth, media, crop } = stack.pop()!;
      if (seen.has(ref.num) || depth > 64 || seen.size > PDF_LIMITS.maxPages) continue;
      seen.add(ref.num);
      const node = this.resolveDict(ref);
      if (!node) continue;
      const nodeMedia = node.get('MediaBox') ?? media;
      const nodeCrop = node.get('CropBox') ?? crop;
      const kids = this.resolve(node.get('Kids'));
      if (isName(node.get('Type'), 'Pages') || (Array.isArray(kids) && !isName(node.get('Type'), 'Page'))) {
        if (!Array.isArray(kids)) continue;
        for (let i = kids.length - 1; i >= 0; i--) {
          const kid = kids[i];
          if (kid instanceof PdfRef) stack.push({ ref: kid, depth: depth + 1, media: nodeMedia, crop: nodeCrop });
        }
      } else {
        const box = this.rect(nodeCrop) ?? this.rect(nodeMedia) ?? [0, 0, 612, 792];
        out.push({ ref, dict: node, box });
      }
    }
    return out;
  }

  rect(o: PdfObject | undefined): [number, number, number, number] | undefined {
    const a = this.resolve(o);
    if (!Array.isArray(a) || a.length !== 4) return undefined;
    const n = a.map((x) => this.resolve(x));
    if (!n.every((x): x is number => typeof x === 'number')) return undefined;
    return [Math.min(n[0], n[2]), Math.min(n[1], n[3]), Math.max(n[0], n[2]), Math.max(n[1], n[3])];
  }

  /**
   * The same document written afresh: every current object once (top-level ones byte for byte,
   * those from object streams re-serialized), one classic cross-reference table, a new trailer.
   * For files whose cross-reference is too damaged to chain an incremental update to.
   */
  rewrite(): Uint8Array {
    const parts: Buffer[] = [Buffer.from(`%PDF-${this.version}\n%\xe2\xe3\xcf\xd3\n`, 'latin1')];
    let at = parts[0].length;
    const offsets: { num: number; gen: number; offset: number }[] = [];
    const nums = [...this.objects.keys()].sort((a, b) => a - b);
    for (const num of nums) {
      const e = this.objects.get(num)!;
      let chunk: Buffer;
      if (e.kind === 'top') {
        if (e.structural) continue;
        const raw = this.src.slice(e.start, e.end).trimEnd();
        chunk = Buffer.from(`${raw}${raw.endsWith('endobj') ? '' : '\nendobj'}\n`, 'latin1');
      } else {
        const value = this.get(new PdfRef(num, 0));
        if (value === undefined || value instanceof PdfStream) continue;
        chunk = Buffer.from(`${num} 0 obj\n${serialize(value)}\nendobj\n`, 'latin1');
      }
      offsets.push({ num, gen: e.gen, offset: at });
      parts.push(chunk);
      at += chunk.length;
    }
    const size = (nums[nums.length - 1] ?? 0) + 1;
    let xref = `xref\n0 1\n0000000000 65535 f\r\n`;
    for (const { num, gen, offset } of offsets)
      xref += `${num} 1\n${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
    const trailer = new PdfDict().set('Size', size).set('Root', this.trailer.get('Root')!);
    const info = this.trailer.get('Info');
    if (info instanceof PdfRef) trailer.set('Info', info);
    const id = this.resolve(this.trailer.get('ID'));
    if (Array.isArray(id)) trailer.set('ID', id);
    parts.push(Buffer.from(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
    return new Uint8Array(Buffer.concat(parts));
  }

  /** Every terminal form field of the AcroForm, depth-first, with inherited type and value. */
  fields(): FieldInfo[] {
    const acroForm = this.resolveDict(this.catalog().get('AcroForm'));
    const top = acroForm ? this.resolve(acroForm.get('Fields')) : undefined;
    if (!Array.isArray(top)) return [];
    const out: FieldInfo[] = [];
    const seen = new Set<number>();
    let visited = 0;
    const walk = (items: PdfObject[], parentName: string, type: string | undefined, value: PdfObject | undefined, depth: number) => {
      for (const item of items) {
        if (depth > 32 || ++visited > PDF_LIMITS.maxFields) return;
        if (item instanceof PdfRef) {
          if (seen.has(item.num)) continue;
          seen.add(item.num);
        }
        const dict = this.resolveDict(item);
        if (!dict) continue;
        const t = this.resolve(dict.get('T'));
        const partial = t instanceof PdfString ? decodeTextString(t) : undefined;
        const fullName = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
        const ft = this.resolve(dict.get('FT'));
        const myType = isName(ft) ? ft.name : type;
        const myValue = dict.get('V') ?? value;
        const kids = this.resolve(dict.get('Kids'));
        const fieldKids = Array.isArray(kids) ? kids.filter((k) => this.resolveDict(k)?.get('T') !== undefined) : [];
        if (fieldKids.length > 0) walk(fieldKids, fullName, myType, myValue, depth + 1);
        else out.push({ dict, ref: item instanceof PdfRef ? item : undefined, fullName, type: myType, value: myValue });
      }
    };
    walk(top, '', undefined, undefined, 0);
    return out;
  }
}

/** Stream data after its filters; only Flate (without predictor) or no filter, within `maxBytes`. */
export function decodeStream(stream: PdfStream, maxBytes: number): Uint8Array | undefined {
  const filter = stream.dict.get('Filter');
  const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
  if (filters.length === 0) return stream.data.length <= maxBytes ? stream.data : undefined;
  if (filters.length !== 1 || !isName(filters[0], 'FlateDecode')) return undefined;
  const parms = stream.dict.get('DecodeParms');
  const predictor = isDict(parms) ? parms.get('Predictor') : undefined;
  if (predictor !== undefined && predictor !== 1) return undefined;
  if (maxBytes <= 0) throw new InflateLimitError('object streams inflate beyond the limit');
  try {
    return inflateSync(stream.data, { maxOutputLength: maxBytes, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new InflateLimitError('object streams inflate beyond the limit');
    return undefined; // corrupt data: the objects inside stay unavailable
  }
}

function asPdfError(e: unknown): PdfError {
  if (e instanceof PdfError) return e;
  if (e instanceof InflateLimitError || e instanceof TooManyObjectsError) return new PdfError(PdfErrorCode.TooLarge, e.message);
  if (e instanceof BudgetExceededError) return new PdfError(PdfErrorCode.Malformed, e.message);
  if (e instanceof RangeError) return new PdfError(PdfErrorCode.Malformed, 'struktur terlalu dalam (structure too deep)');
  return new PdfError(PdfErrorCode.Malformed, (e as Error).message);
}
