import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../apps/api/src/bootstrap.js';
import { createTestApp, type TestApp } from '../support/app.js';

const FILE = new URL('../../apps/api/openapi.json', import.meta.url);

describe('committed OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(async () => t?.close());

  it('matches the code (regenerate with UPDATE_OPENAPI=1 or `npm run openapi`)', () => {
    const generated = JSON.stringify(buildOpenApi(t.app), null, 2) + '\n';
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('documents every API route with its problem+json convention and bearer auth', () => {
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/units', '/api/v1/audit/verify', '/health/ready']));
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });
});
