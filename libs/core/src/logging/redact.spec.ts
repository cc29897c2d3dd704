import { describe, expect, it } from 'vitest';
import { isSecretKey, maskUrl, redact, REDACTED } from './redact.js';

describe('redaction', () => {
  it('knows secret field names by their words', () => {
    for (const k of [
      'password',
      'newPassword',
      'current_password',
      'passphrase',
      'accessToken',
      'refresh_token',
      'nik',
      'NIK',
      'private_key',
      'privateKey',
      'apiKey',
      'authorization',
      'cookie',
      'clientSecret',
      'key',
    ])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['publicKey', 'monkey', 'teknik', 'unik', 'username', 'keyUsage', 'tokenType', 'passage', 'subjectKeyIdentifier'])
      expect(isSecretKey(k), k).toBe(false);
  });

  it('replaces secret values at any depth and leaves the rest', () => {
    const out = redact({
      user: 'budi',
      body: { password: 'Rahasia#2026', profile: { nik: '3201010101010001', unit: 'DINKES' } },
      list: [{ token: 't' }],
    });
    expect(out).toEqual({
      user: 'budi',
      body: { password: REDACTED, profile: { nik: REDACTED, unit: 'DINKES' } },
      list: [{ token: REDACTED }],
    });
  });

  it('masks passwords inside URLs', () => {
    expect(maskUrl('postgres://sandi:s3cret@db:5432/sandi')).toBe('postgres://sandi:***@db:5432/sandi');
  });
});
