/** PEM (RFC 7468) in and out. */

export interface PemBlock {
  label: string;
  der: Buffer;
}

/** DER to PEM with 64-column base64 and a trailing newline. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Every PEM block in `text` (text between blocks, as in OpenSSL bundles, is ignored). Returns
 * null for a block whose body is not base64, so callers can report it as malformed.
 */
export function parsePem(text: string): Array<PemBlock | null> {
  const out: Array<PemBlock | null> = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2]!.replace(/\s+/g, '');
    // RFC 7468 bodies have no headers; old "Proc-Type:" encrypted PEM is not something we read.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) {
      out.push(null);
      continue;
    }
    out.push({ label: m[1]!, der: Buffer.from(body, 'base64') });
  }
  return out;
}

/** True when the bytes are text holding a PEM block rather than DER (which starts with a SEQUENCE). */
export function looksLikePem(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] !== 0x30 && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('-----BEGIN ');
}
