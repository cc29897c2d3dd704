import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal data at rest (NIK, phone numbers). A sealed value is text:
 * `v1.<iv>.<ciphertext>.<tag>` in base64url, so it fits a text column and a backup stays readable
 * as SQL. `purpose` is bound as additional authenticated data: a NIK ciphertext copied into a phone
 * column does not decrypt. `blindIndex` gives a keyed hash for exact-match look-ups (e.g. "does an
 * application for this NIK already exist?") without storing the clear value.
 */
export class DataCipher {
  private readonly key: Buffer;
  private readonly indexKey: Buffer;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new Error('DATA_ENCRYPTION_KEY must be 32 bytes in base64');
    this.key = key;
    // A separate key for the blind index, so index values say nothing about the encryption key.
    this.indexKey = createHmac('sha256', key).update('sandi/blind-index/v1').digest();
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string, purpose: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('not a sealed value');
    const [, iv, body, tag] = parts as [string, string, string, string];
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed SHA-256 of a normalised value, hex: equal inputs give equal indexes, nothing else leaks. */
  blindIndex(value: string, purpose: string): string {
    return createHmac('sha256', this.indexKey).update(`${purpose}\u0000${value}`).digest('hex');
  }
}

/** Shows only the last `visible` characters: `3174********0001` style masks for lists. */
export function maskTail(value: string, visible = 4, keepHead = 0): string {
  if (value.length <= visible + keepHead) return '*'.repeat(value.length);
  return value.slice(0, keepHead) + '*'.repeat(value.length - visible - keepHead) + value.slice(-visible);
}
