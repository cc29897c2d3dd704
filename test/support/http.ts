import type { Response } from 'supertest';
import { expect } from 'vitest';

/** supertest parser: the body as raw bytes, whatever the content type (PDF, DER, OCSP). */
export function binary(res: Response, cb: (err: Error | null, body: unknown) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** An RFC 9457 problem with this status, and optionally this code and a field error. */
export function expectProblem(res: Response, status: number, code?: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
  if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
}
