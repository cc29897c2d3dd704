import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.schema.js';
import { ConfigService } from '../config/config.service.js';
import { FileStorageService } from './file-storage.service.js';
import { StorageErrorCode, StorageException } from './storage.exception.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function rejection(p: Promise<unknown>): Promise<StorageException> {
  const err = await p.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageException);
  return err as StorageException;
}

describe('FileStorageService', () => {
  let root: string;
  let storage: FileStorageService;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sandi-storage-'));
    storage = new FileStorageService(new ConfigService(parseConfig({ STORAGE_DIR: root })));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores content under its SHA-256, read-only, and reads it back', async () => {
    const data = Buffer.from('Laporan insiden: phishing ke OPD Dinas Kesehatan\n');
    const stored = await storage.put(data);
    expect(stored).toEqual({ sha256: sha(data), size: data.length });
    const path = join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    expect(await readFile(path)).toEqual(data);
    expect((await stat(path)).mode & 0o777).toBe(0o440);
    expect(await readAll(await storage.open(stored.sha256))).toEqual(data);
    expect(await storage.stat(stored.sha256)).toEqual(stored);
    expect(await storage.verify(stored.sha256)).toBe(true);
  });

  it('stores the same content once: same id, one file, no temp left', async () => {
    const a = await storage.put(Buffer.from('surat dinas nomor 045/123'));
    const b = await storage.put(Readable.from([Buffer.from('surat dinas '), Buffer.from('nomor 045/123')]));
    expect(b).toEqual(a);
    expect(await filesUnder(root)).toEqual([join(a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256)]);
  });

  it('stores concurrent puts of the same content as one file', async () => {
    const data = Buffer.alloc(256 * 1024, 7);
    const results = await Promise.all([1, 2, 3, 4].map(() => storage.put(Readable.from([data.subarray(0, 1000), data.subarray(1000)]))));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(data)]));
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it('accepts a stream of many chunks, strings and byte arrays included, and hashes what it wrote', async () => {
    const parts = Array.from({ length: 200 }, (_, i) => Buffer.alloc(4096, i % 256));
    const expected = Buffer.concat([...parts, Buffer.from('ekor'), Buffer.from([1, 2, 3])]);
    async function* source() {
      for (const p of parts) yield p;
      yield 'ekor';
      yield new Uint8Array([1, 2, 3]);
    }
    const stored = await storage.put(Readable.from(source()));
    expect(stored).toEqual({ sha256: sha(expected), size: expected.length });
    // Compare digests: deep equality on large buffers is slow in the test runner.
    expect(sha(await readAll(await storage.open(stored.sha256)))).toBe(sha(expected));
  });

  it('accepts content of exactly maxBytes', async () => {
    expect(await storage.put(Buffer.from('12345'), { maxBytes: 5 })).toMatchObject({ size: 5 });
  });

  it('refuses content over maxBytes: stops reading, removes the partial temp file, stores nothing', async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced++;
        yield Buffer.alloc(1024, 1);
      }
    }
    const err = await rejection(storage.put(Readable.from(endless()), { maxBytes: 10_000 }));
    expect(err.code).toBe(StorageErrorCode.TooLarge);
    expect(err.status).toBe(413);
    expect(produced).toBeLessThan(50);
    expect(await filesUnder(root)).toEqual([]);

    const big = await rejection(storage.put(Buffer.alloc(11), { maxBytes: 10 }));
    expect(big.code).toBe(StorageErrorCode.TooLarge);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('refuses empty content, as a buffer or a stream', async () => {
    for (const empty of [Buffer.alloc(0), Readable.from([]), Readable.from([Buffer.alloc(0), ''])]) {
      const err = await rejection(storage.put(empty));
      expect(err.code).toBe(StorageErrorCode.Empty);
      expect(err.status).toBe(422);
    }
    expect(await filesUnder(root)).toEqual([]);
  });

  it('passes on a failing source stream and leaves no temp file', async () => {
    async function* broken() {
      yield Buffer.from('awal unggahan');
      throw new Error('client went away');
    }
    await expect(storage.put(Readable.from(broken()))).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('refuses a stream of objects and a bad maxBytes', async () => {
    await expect(storage.put(Readable.from([{ not: 'bytes' }]))).rejects.toThrow(TypeError);
    for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(storage.put(Buffer.from('x'), { maxBytes })).rejects.toThrow(RangeError);
    }
    expect(await filesUnder(root)).toEqual([]);
  });

  it('refuses ids that are not 64 lowercase hex digits, before touching the disk', async () => {
    const valid = sha('x');
    const bad = [
      '../../etc/passwd',
      '',
      valid.toUpperCase(),
      valid.slice(1),
      `${valid}0`,
      `${valid}\n`,
      `${valid.slice(0, 62)}/.`,
      'g'.repeat(64),
    ];
    for (const id of bad) {
      for (const call of [storage.open(id), storage.stat(id), storage.verify(id)]) {
        const err = await rejection(call);
        expect(err.code).toBe(StorageErrorCode.InvalidId);
        expect(err.status).toBe(400);
      }
    }
    const notString = await rejection(storage.open(42 as unknown as string));
    expect(notString.code).toBe(StorageErrorCode.InvalidId);
  });

  it('answers 404 for a well-formed id that is not stored (stat: null)', async () => {
    const missing = sha('tidak pernah disimpan');
    for (const call of [storage.open(missing), storage.verify(missing)]) {
      const err = await rejection(call);
      expect(err.code).toBe(StorageErrorCode.NotFound);
      expect(err.status).toBe(404);
    }
    expect(await storage.stat(missing)).toBeNull();
  });

  it('verify detects a file altered on disk', async () => {
    const stored = await storage.put(Buffer.from('barang bukti: log firewall 2026-03-02'));
    const path = join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    await chmod(path, 0o640);
    await writeFile(path, 'barang bukti: log firewall 2026-03-03');
    expect(await storage.verify(stored.sha256)).toBe(false);
    // Storing the true content again keeps the existing (altered) copy for investigation.
    await storage.put(Buffer.from('barang bukti: log firewall 2026-03-02'));
    expect(await storage.verify(stored.sha256)).toBe(false);
  });

  it('defaults its root to DATA_DIR/files', () => {
    const s = new FileStorageService(new ConfigService(parseConfig({ DATA_DIR: '/srv/sandi' })));
    expect(s.root).toBe('/srv/sandi/files');
  });
});
