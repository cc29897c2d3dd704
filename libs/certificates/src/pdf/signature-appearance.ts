import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';
import { PdfDict, PdfName, formatNumber } from './pdf-syntax.js';

/** Indonesian time zones (no daylight saving, so fixed offsets are exact). */
export type IndonesianTimeZone = 'WIB' | 'WITA' | 'WIT';
const OFFSET_HOURS: Record<IndonesianTimeZone, number> = { WIB: 7, WITA: 8, WIT: 9 };
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export interface AppearanceText {
  signerName: string;
  signingTime: Date;
  reason?: string;
  location?: string;
  timeZone?: IndonesianTimeZone;
}

/** "5 Januari 2026 14.03 WIB": the Indonesian way of writing a date and time. */
export function formatIndonesianDateTime(d: Date, tz: IndonesianTimeZone = 'WIB'): string {
  const local = new Date(d.getTime() + OFFSET_HOURS[tz] * 3_600_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ${hh}.${mm} ${tz}`;
}

// pdf-lib's StandardFonts and the embedder's FontNames are the same strings under two enum types.
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];
const regular = StandardFontEmbedder.for(StandardFonts.Helvetica as string as FontName);
const bold = StandardFontEmbedder.for(StandardFonts.HelveticaBold as string as FontName);
type Embedder = typeof regular;

/** Text the WinAnsi-encoded standard fonts can show: accents kept where WinAnsi has them, else dropped, else '?'. */
function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/[\r\n\t]+/g, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (regular.encoding.canEncodeUnicodeCodePoint(cp)) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...base].every((c) => regular.encoding.canEncodeUnicodeCodePoint(c.codePointAt(0)!)) && base ? base : '?';
    }
  }
  return out;
}

/** Width as drawn by Tj (no kerning). */
function widthOf(font: Embedder, text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += font.widthOfTextAtSize(ch, size);
  return w;
}

function encode(font: Embedder, text: string): string {
  let hex = '';
  for (const ch of text) hex += font.encoding.encodeUnicodeCodePoint(ch.codePointAt(0)!).code.toString(16).padStart(2, '0');
  return `<${hex}>`;
}

/** Greedy word wrap; words wider than the line are cut. */
function wrap(font: Embedder, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (widthOf(font, candidate, size) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (widthOf(font, rest, size) > maxWidth && rest.length > 1) {
      let n = rest.length - 1;
      while (n > 1 && widthOf(font, rest.slice(0, n), size) > maxWidth) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

interface Block {
  font: Embedder;
  text: string;
  scale: number;
}

export interface Appearance {
  /** Content stream (ASCII). */
  content: string;
  resources: PdfDict;
}

/**
 * The visible signature: a framed box that says who signed, when, why and where, Bahasa Indonesia
 * first. The font size shrinks (down to 4 pt) until everything fits; beyond that the text is clipped.
 */
export function buildAppearance(width: number, height: number, t: AppearanceText): Appearance {
  const blocks: Block[] = [
    { font: regular, text: 'Ditandatangani secara elektronik oleh / Digitally signed by', scale: 0.8 },
    { font: bold, text: toWinAnsi(t.signerName), scale: 1.1 },
    { font: regular, text: `Tanggal / Date: ${formatIndonesianDateTime(t.signingTime, t.timeZone)}`, scale: 0.9 },
  ];
  if (t.reason) blocks.push({ font: regular, text: `Alasan / Reason: ${toWinAnsi(t.reason)}`, scale: 0.9 });
  if (t.location) blocks.push({ font: regular, text: `Lokasi / Location: ${toWinAnsi(t.location)}`, scale: 0.9 });

  const pad = Math.min(4, width / 10, height / 10);
  const innerW = Math.max(1, width - 2 * pad);
  const innerH = Math.max(1, height - 2 * pad);
  let size = 10;
  let laid: { font: Embedder; size: number; lines: string[] }[] = [];
  for (; size >= 4; size -= 0.5) {
    laid = blocks.map((b) => ({ font: b.font, size: size * b.scale, lines: wrap(b.font, b.text, size * b.scale, innerW) }));
    const total = laid.reduce((h, b) => h + b.lines.length * b.size * 1.2, 0);
    if (total <= innerH) break;
  }

  const ops: string[] = [];
  const f = formatNumber;
  // Frame
  ops.push('q', '0.16 0.33 0.6 RG', '0.8 w', `0.4 0.4 ${f(Math.max(0, width - 0.8))} ${f(Math.max(0, height - 0.8))} re S`, 'Q');
  // Text, clipped to the inner box
  ops.push('q', `${f(pad)} ${f(pad)} ${f(innerW)} ${f(innerH)} re W n`, '0 0 0 rg', 'BT');
  let y = height - pad;
  for (const b of laid) {
    for (const line of b.lines) {
      y -= b.size * 1.2;
      const name = b.font === bold ? '/F2' : '/F1';
      ops.push(`${name} ${f(b.size)} Tf`, `1 0 0 1 ${f(pad)} ${f(y + b.size * 0.25)} Tm`, `${encode(b.font, line)} Tj`);
    }
  }
  ops.push('ET', 'Q');

  const font = (base: string) =>
    new PdfDict()
      .set('Type', new PdfName('Font'))
      .set('Subtype', new PdfName('Type1'))
      .set('BaseFont', new PdfName(base))
      .set('Encoding', new PdfName('WinAnsiEncoding'));
  const resources = new PdfDict()
    .set('Font', new PdfDict().set('F1', font('Helvetica')).set('F2', font('Helvetica-Bold')))
    .set('ProcSet', [new PdfName('PDF'), new PdfName('Text')]);
  return { content: ops.join('\n'), resources };
}
