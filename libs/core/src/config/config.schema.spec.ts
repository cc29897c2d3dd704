import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, parseConfig, renderEnvExample } from './config.schema.js';

describe('configuration', () => {
  it('applies documented defaults', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('keeps PUBLIC_URL without a trailing slash', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://sandi.example.go.id/' }).PUBLIC_URL).toBe('https://sandi.example.go.id');
  });

  it('names every bad variable and stops', () => {
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('LOG_LEVEL');
    }
  });

  it('requires real secrets in production and never echoes secret values', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET.*\n.*DATA_ENCRYPTION_KEY/s);
    try {
      parseConfig({ AUTH_JWT_SECRET: 'short-secret-value' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('AUTH_JWT_SECRET');
      expect((e as Error).message).not.toContain('short-secret-value');
    }
  });

  it('.env.example documents every variable (regenerate with UPDATE_ENV_EXAMPLE=1)', () => {
    const file = new URL('../../../../.env.example', import.meta.url);
    if (process.env.UPDATE_ENV_EXAMPLE === '1') writeFileSync(file, renderEnvExample());
    expect(readFileSync(file, 'utf8')).toBe(renderEnvExample());
  });
});
