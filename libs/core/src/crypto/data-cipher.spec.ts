import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataCipher, maskTail } from './data-cipher.js';

const key = randomBytes(32).toString('base64');

describe('DataCipher', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const c = new DataCipher(key);
    const a = c.seal('3174012501900001', 'nik');
    const b = c.seal('3174012501900001', 'nik');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('3174');
    expect(c.open(a, 'nik')).toBe('3174012501900001');
  });

  it('refuses a value sealed for another purpose, a tampered value and a foreign key', () => {
    const c = new DataCipher(key);
    const sealed = c.seal('+6281234567890', 'phone');
    expect(() => c.open(sealed, 'nik')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[2] = body.toString('base64url');
    expect(() => c.open(parts.join('.'), 'phone')).toThrow();
    expect(() => new DataCipher(randomBytes(32).toString('base64')).open(sealed, 'phone')).toThrow();
    expect(() => c.open('plain text', 'phone')).toThrow('not a sealed value');
  });

  it('rejects a key of the wrong size', () => {
    expect(() => new DataCipher(randomBytes(16).toString('base64'))).toThrow('32 bytes');
  });

  it('gives a stable blind index per purpose and key', () => {
    const c = new DataCipher(key);
    expect(c.blindIndex('3174012501900001', 'nik')).toBe(c.blindIndex('3174012501900001', 'nik'));
    expect(c.blindIndex('3174012501900001', 'nik')).not.toBe(c.blindIndex('3174012501900001', 'phone'));
    expect(new DataCipher(randomBytes(32).toString('base64')).blindIndex('3174012501900001', 'nik')).not.toBe(
      c.blindIndex('3174012501900001', 'nik'),
    );
  });

  it('masks all but the tail', () => {
    expect(maskTail('3174012501900001')).toBe('************0001');
    expect(maskTail('3174012501900001', 4, 4)).toBe('3174********0001');
    expect(maskTail('123')).toBe('***');
  });
});
