import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

describe('http conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('answers liveness and readiness (database checked)', async () => {
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database.status).toBe('up');
  });

  it('gives every response a request id and echoes a sane incoming one', async () => {
    const res = await t.http().get('/health/live').set('X-Request-Id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    const other = await t.http().get('/health/live').set('X-Request-Id', 'bad id with spaces; and <tags>');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/v1/auth/login');
  });

  it('exposes Prometheus metrics', async () => {
    await t.http().get('/health/live');
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('sandi_http_request_duration_seconds');
  });

  it('answers unknown routes, malformed JSON and oversize bodies with problem+json', async () => {
    const notFound = await t.http().get('/api/v1/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.headers['content-type']).toMatch(/application\/problem\+json/);
    const bad = await t.http().post('/api/v1/auth/token').set('Content-Type', 'application/json').send('{"username": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(bad.body.detail).toMatch(/JSON/);
    const big = await t
      .http()
      .post('/api/v1/auth/token')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(2_000_000), password: 'y' }));
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('rejects unknown fields and names the invalid ones', async () => {
    const admin = await t.tokenFor('admin');
    const res = await t
      .http()
      .post('/api/v1/units')
      .set('Authorization', `Bearer ${admin}`)
      .send({ code: 'X', name: '', kind: 'planet', extra: 1 });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['code', 'name', 'kind', 'extra']));
    const units = await t.http().get('/api/v1/units').set('Authorization', `Bearer ${admin}`);
    expect((units.body as { code: string }[]).some((u) => u.code === 'X')).toBe(false);
  });

  it('rejects a malformed id in the path with 400, not 500', async () => {
    const admin = await t.tokenFor('admin');
    const res = await t.http().get('/api/v1/users/not-a-uuid').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(400);
  });

  it('sets security headers', async () => {
    const res = await t.http().get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
