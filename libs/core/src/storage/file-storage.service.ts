import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigService } from '../config/config.service.js';
import { StorageErrorCode, StorageException } from './storage.exception.js';

/** A stored file: its id is the SHA-256 of its bytes, computed here, never taken from the caller. */
export interface StoredFile {
  sha256: string;
  size: number;
}

export interface StoragePutOptions {
  /** Refuse (413) content longer than this many bytes; the partial copy is removed. */
  maxBytes?: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Stored files are read-only, for owner and group: nothing rewrites evidence in place. */
const STORED_FILE_MODE = 0o440;
const DIR_MODE = 0o750;

/**
 * Content-addressed file storage on a local directory (STORAGE_DIR, default DATA_DIR/files).
 * A file lives at `<root>/<sha[0:2]>/<sha[2:4]>/<sha>`; the same bytes stored twice are one file.
 * Writes go to `<root>/tmp/` first and are renamed into place only once complete and fsynced, so a
 * reader never sees a partial file under its final name.
 */
@Injectable()
export class FileStorageService {
  readonly root: string;

  constructor(config: ConfigService) {
    this.root = resolve(config.get('STORAGE_DIR') ?? join(config.get('DATA_DIR'), 'files'));
  }

  /** Streams `data` to storage while hashing it; returns its SHA-256 id and size. */
  async put(data: Buffer | NodeJS.ReadableStream, opts: StoragePutOptions = {}): Promise<StoredFile> {
    const { maxBytes } = opts;
    if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) {
      throw new RangeError(`maxBytes must be a positive integer, not ${maxBytes}`);
    }
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
    const tmpPath = join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let handle: FileHandle | undefined = await open(tmpPath, 'wx', 0o600);
    try {
      for await (const chunk of chunksOf(data)) {
        size += chunk.length;
        // Stop reading as soon as the limit is passed: leaving the loop destroys the source stream.
        if (maxBytes !== undefined && size > maxBytes) {
          throw new StorageException(StorageErrorCode.TooLarge, `Berkas melebihi batas ${maxBytes} bita (file too large)`, { maxBytes });
        }
        hash.update(chunk);
        await writeFully(handle, chunk);
      }
      if (size === 0) throw new StorageException(StorageErrorCode.Empty, 'Berkas kosong (empty file)');
      await handle.sync();
      await handle.close();
      handle = undefined;
      await chmod(tmpPath, STORED_FILE_MODE);

      const sha256 = hash.digest('hex');
      const finalPath = this.pathOf(sha256);
      await mkdir(dirname(finalPath), { recursive: true, mode: DIR_MODE });
      if (await exists(finalPath)) {
        // Already stored: same id means same bytes, keep the existing copy.
        await rm(tmpPath, { force: true });
      } else {
        await rename(tmpPath, finalPath);
        await syncDirectory(dirname(finalPath));
      }
      return { sha256, size };
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(tmpPath, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** A read stream of the stored file. 400 on a malformed id, 404 when it is not stored. */
  async open(sha256: string): Promise<NodeJS.ReadableStream> {
    const path = this.pathOf(checkId(sha256));
    // Open first so that a missing file is a 404 here, not an error event on the stream later.
    const handle = await open(path, 'r').catch((err: unknown) => {
      throw isNotFound(err) ? notFound(sha256) : err;
    });
    return handle.createReadStream(); // closes the handle when the stream ends or is destroyed
  }

  /** Size of the stored file, or null when it is not stored. 400 on a malformed id. */
  async stat(sha256: string): Promise<StoredFile | null> {
    const path = this.pathOf(checkId(sha256));
    try {
      const s = await stat(path);
      return s.isFile() ? { sha256, size: s.size } : null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * Re-hashes the stored bytes and compares them with the id: false means the file was altered on
   * disk (chain of custody broken). 404 when it is not stored at all.
   */
  async verify(sha256: string): Promise<boolean> {
    const stream = await this.open(sha256);
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

function checkId(sha256: unknown): string {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
    throw new StorageException(StorageErrorCode.InvalidId, 'Pengenal berkas tidak valid: harus SHA-256 heksadesimal huruf kecil (invalid file id)');
  }
  return sha256;
}

function notFound(sha256: string): StorageException {
  return new StorageException(StorageErrorCode.NotFound, `Berkas ${sha256} tidak ditemukan (not found)`);
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

async function* chunksOf(data: Buffer | NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(data)) {
    if (data.length) yield data;
    return;
  }
  for await (const chunk of data as AsyncIterable<unknown>) {
    let buf: Buffer;
    if (Buffer.isBuffer(chunk)) buf = chunk;
    else if (typeof chunk === 'string') buf = Buffer.from(chunk);
    else if (chunk instanceof Uint8Array) buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError('FileStorageService.put: the stream must yield bytes or strings');
    if (buf.length) yield buf;
  }
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Makes the rename itself durable. Not every platform can fsync a directory; there it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: the file itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
