import { describe, expect, it } from 'vitest';
import { checkPassword } from './password.policy.js';

const codes = (p: string, u?: string) => checkPassword(p, u).map((v) => v.code);

describe('password policy', () => {
  it('accepts a long varied password', () => {
    expect(checkPassword('Kunci-Rahasia#2026', 'budi')).toEqual([]);
  });
  it('rejects short, simple, username-derived, common and repetitive passwords', () => {
    expect(codes('Ab1!')).toContain('too_short');
    expect(codes('alllowercaseletters')).toContain('too_simple');
    expect(codes('Budi.Santoso#2026', 'budi.santoso')).toContain('contains_username');
    expect(codes('P@ssw0rd1234')).toContain('common');
    expect(codes('Aaaaa#12345678')).toContain('repeated');
    expect(codes('A1!' + 'x'.repeat(200))).toContain('too_long');
  });
});
