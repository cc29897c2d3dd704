import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataSource } from 'typeorm';
import { MetricsService, type AuditService, type ConfigService, type DatabaseNotifications } from '@sandi/core';
import { LocalCaService } from './local-ca.service.js';
import { OcspEndpoint } from './ocsp.endpoint.js';

const hex = async (res: Response) => Buffer.from(await res.arrayBuffer()).toString('hex');

/** The fast path on a bare node:http server whose own listener stands for Express. */
async function serve(ca: Pick<LocalCaService, 'ocspNow'>): Promise<{ url: string; server: Server; app: ReturnType<typeof vi.fn> }> {
  const app = vi.fn((_req: unknown, res: { end: (s: string) => void }) => res.end('from the application'));
  const server = createServer(app);
  new OcspEndpoint(ca as LocalCaService, new MetricsService()).attach(server, '/api/v1/pki/ocsp');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, app };
}

describe('OcspEndpoint', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('hands the body to the CA and everything else to the application', async () => {
    const ocspNow = vi.fn(async (der: Buffer) => Buffer.concat([Buffer.from('ok:'), der]));
    const s = await serve({ ocspNow });
    server = s.server;
    const res = await fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'abc' });
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('ok:abc');
    const get = await fetch(`${s.url}/api/v1/pki/ocsp/${encodeURIComponent(Buffer.from('xyz').toString('base64'))}`);
    expect(Buffer.from(await get.arrayBuffer()).toString()).toBe('ok:xyz');
    expect(s.app).not.toHaveBeenCalled();
    expect(await (await fetch(`${s.url}/api/v1/other`)).text()).toBe('from the application');
    expect(s.app).toHaveBeenCalledTimes(1);
  });

  it('answers internalError, not a crash, when the CA throws', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const s = await serve({ ocspNow: () => Promise.reject(new Error('bug')) });
    server = s.server;
    const res = await fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'abc' });
    expect(res.status).toBe(200);
    expect(await hex(res)).toBe('30030a0102');
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('bug'));
    logged.mockRestore();
  });

  it('writes an answer given at once (no promise), and internalError when the CA throws outright', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const s = await serve({
      ocspNow: (der: Buffer) =>
        der.toString() === 'boom'
          ? ((): never => {
              throw new Error('sync bug');
            })()
          : Buffer.concat([Buffer.from('now:'), der]),
    });
    server = s.server;
    const res = await fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'abc' });
    expect(res.headers.get('content-length')).toBe('7');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('now:abc');
    const bad = await fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'boom' });
    expect(bad.status).toBe(200);
    expect(await hex(bad)).toBe('30030a0102');
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('sync bug'));
    logged.mockRestore();
  });

  it('survives a client that goes away before the answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await serve({ ocspNow: async () => (await gate, Buffer.from([0x30, 0])) });
    server = s.server;
    const aborted = new AbortController();
    const pending = fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'abc', signal: aborted.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    aborted.abort();
    expect(await pending).toBe('aborted');
    release();
    await new Promise((r) => setTimeout(r, 50));
    const after = await fetch(`${s.url}/api/v1/pki/ocsp`, { method: 'POST', body: 'abc' });
    expect(after.status).toBe(200);
  });

  it('refuses a path that is not one', () => {
    const endpoint = new OcspEndpoint({} as LocalCaService, new MetricsService());
    expect(() => endpoint.attach(createServer(), 'api/v1/pki/ocsp')).toThrow(/not a route path/);
    expect(() => endpoint.attach(createServer(), '/api/v1/pki/ocsp/')).toThrow(/not a route path/);
  });
});

describe('LocalCaService.ocsp', () => {
  it('answers tryLater while the CA cannot be loaded', async () => {
    const ca = new LocalCaService(
      {} as DataSource,
      { get: () => undefined } as unknown as ConfigService,
      {} as AuditService,
      {} as DatabaseNotifications,
    );
    vi.spyOn(ca, 'authorities').mockRejectedValue(new Error('database down'));
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect((await ca.ocsp(Buffer.from('anything'))).toString('hex')).toBe('30030a0103');
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('database down'));
    logged.mockRestore();
  });
});
