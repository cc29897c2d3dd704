import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test helpers that look at signed PDFs WITHOUT the code under test: plain regular expressions over
 * the bytes, and poppler's pdfsig. What they find is what an outside tool finds.
 */

export interface RawSignature {
  byteRange: [number, number, number, number];
  /** Offsets of the '<' and one past the '>' of /Contents. */
  gap: [number, number];
  /** The CMS (trailing zero padding removed by DER length). */
  cms: Uint8Array;
  /** The signed bytes: both ranges concatenated. */
  signedBytes: Uint8Array;
}

export function rawSignatures(pdf: Uint8Array): RawSignature[] {
  const s = Buffer.from(pdf).toString('latin1');
  return [...s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const hex = s.slice(br[1] + 1, br[2] - 1);
    const der = Buffer.from(hex, 'hex');
    return {
      byteRange: br,
      gap: [br[1], br[2]],
      cms: der.subarray(0, derLength(der)),
      signedBytes: Buffer.concat([pdf.subarray(br[0], br[0] + br[1]), pdf.subarray(br[2], br[2] + br[3])]),
    };
  });
}

function derLength(b: Uint8Array): number {
  if (b[1] < 0x80) return 2 + b[1];
  const n = b[1] & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
  return 2 + n + len;
}

export function flipByte(pdf: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(pdf);
  copy[at] ^= 0x01;
  return copy;
}

/** Replaces `from` (first occurrence after `after`) with `to` of the same length. */
export function replaceSameLength(pdf: Uint8Array, from: string, to: string, after = 0): Uint8Array {
  if (from.length !== to.length) throw new Error('replacement must keep the length');
  const at = Buffer.from(pdf).toString('latin1').indexOf(from, after);
  if (at < 0) throw new Error(`${from} not found`);
  const copy = Uint8Array.from(pdf);
  copy.set(Buffer.from(to, 'latin1'), at);
  return copy;
}

/** Appends a classic incremental update (a new Info dictionary), as an editor saving changes would. */
export function appendIncrementalUpdate(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1');
  const root = [...s.matchAll(/\/Root\s+(\d+)\s+(\d+)\s+R/g)].pop()!;
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(s)![1]);
  const num = Math.max(...[...s.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1])));
  const obj = `\n${num} 0 obj\n<< /Producer (diubah setelah ditandatangani) >>\nendobj\n`;
  const xrefAt = pdf.length + obj.length;
  const tail =
    `xref\n${num} 1\n${String(pdf.length + 1).padStart(10, '0')} 00000 n\r\n` +
    `trailer\n<< /Size ${num + 1} /Root ${root[1]} ${root[2]} R /Info ${num} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([pdf, Buffer.from(obj + tail, 'latin1')]));
}

/** Runs poppler's pdfsig on the bytes, with a private HOME (no user NSS database) and no OCSP. */
export function pdfsig(pdf: Uint8Array, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pdfsig-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return execFileSync('pdfsig', ['-no-ocsp', ...args, join(dir, 'doc.pdf')], {
      env: { ...process.env, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfsig's report split per signature ("Signature #1: ..."). */
export function pdfsigBlocks(report: string): string[] {
  return report.split(/^Signature #\d+:$/m).slice(1);
}
