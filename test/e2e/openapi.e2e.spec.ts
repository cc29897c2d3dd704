import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as certificates from '@sandi/certificates';
import * as core from '@sandi/core';
import * as incidents from '@sandi/incidents';
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
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/units', '/api/v1/audit/verify', '/health/ready']),
    );
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });

  it('names every DTO once across the libraries: the document keys schemas by class name, so a second class of the same name would vanish', () => {
    const classes = new Map<string, Map<unknown, string>>();
    for (const [lib, exports] of Object.entries({ core, incidents, certificates })) {
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value !== 'function' || !name.endsWith('Dto')) continue;
        const byClass = classes.get(name) ?? new Map<unknown, string>();
        if (!byClass.has(value)) byClass.set(value, lib); // a re-export is the same class
        classes.set(name, byClass);
      }
    }
    expect(classes.size).toBeGreaterThan(50);
    const twice = [...classes]
      .filter(([, byClass]) => byClass.size > 1)
      .map(([name, byClass]) => `${name} (${[...byClass.values()].join(', ')})`);
    expect(twice).toEqual([]);
  });

  it('gives every operation a documented answer', () => {
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
    };
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
        // 204 and file downloads are fine without a JSON schema; a JSON answer must say its shape.
        if (ok.length === 0) bare.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(bare).toEqual([]);
  });
});
