import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
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

/**
 * A file written to a caller's private staging area, complete and durable but not yet under its id:
 * nobody else can see or reference it, so dropping it (a request that failed) can never take away
 * a file another record points at. `promote` moves it under its id once the caller's record commits.
 */
export interface StagedFile extends StoredFile {
  /** Absolute path of the staged copy: `<root>/staging/<area>/<uuid>.staged`. */
  path: string;
}

export interface StageOptions extends StoragePutOptions {
  /** The owner's staging area, e.g. 'incidents': its sweep only ever looks there. */
  area: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const AREA = /^[a-z][a-z0-9-]{0,39}$/;
const STAGED_SUFFIX = '.staged';
const STAGED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.staged$/;
/** Stored files are read-only, for owner and group: nothing rewrites evidence in place. */
const STORED_FILE_MODE = 0o440;
const DIR_MODE = 0o750;

/**
 * Content-addressed file storage on a local directory (STORAGE_DIR, default DATA_DIR/files).
 * A file lives at `<root>/<sha[0:2]>/<sha[2:4]>/<sha>`; the same bytes stored twice are one file.
 * Writes go to `<root>/tmp/` first and are renamed into place only once complete and fsynced, so a
 * reader never sees a partial file under its final name.
 *
 * A feature whose record of a file commits only after the upload (evidence with a report) stages the
 * file in its own area `<root>/staging/<area>/` (`stage`), promotes it after the commit (`promote`)
 * and discards it when the transaction fails (`discard`): a failed request never leaves a file in the
 * shared, content-addressed namespace, where other records may point at the same bytes.
 */
@Injectable()
export class FileStorageService implements OnModuleDestroy {
  readonly root: string;
  /** Directories this process has already created (or found): staging and promotion skip the mkdir then. */
  private readonly knownDirs = new Set<string>();
  /** Open handles of staging directories, for their fsync. */
  private readonly dirHandles = new Map<string, Promise<FileHandle>>();

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

  /**
   * Streams `data` into the staging area `area` while hashing it: written, fsynced (the file and its
   * directory entry) and read-only, so it survives a crash, but invisible under its id until
   * `promote`. Same limits as `put`. A failure leaves nothing behind.
   */
  async stage(data: Buffer | NodeJS.ReadableStream, opts: StageOptions): Promise<StagedFile> {
    const { maxBytes } = opts;
    if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) {
      throw new RangeError(`maxBytes must be a positive integer, not ${maxBytes}`);
    }
    const dir = this.stagingDir(opts.area);
    await this.ensureDir(dir);
    const path = join(dir, `${randomUUID()}${STAGED_SUFFIX}`);
    const hash = createHash('sha256');
    let size = 0;
    // Created read-only (the descriptor still writes): no chmod afterwards.
    let handle: FileHandle | undefined = await open(path, 'wx', STORED_FILE_MODE).catch(async (err: unknown) => {
      if (!isNotFound(err)) throw err;
      // The directory went away since it was created (cleaned up by hand): make it again.
      await this.forgetDir(dir);
      await this.ensureDir(dir);
      return open(path, 'wx', STORED_FILE_MODE);
    });
    try {
      for await (const chunk of chunksOf(data)) {
        size += chunk.length;
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
      // The new directory entry must be durable too before anyone records the file.
      await this.syncKnownDir(dir);
      return { sha256: hash.digest('hex'), size, path };
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Moves a staged file under its id; when the same bytes are already stored the staged copy is
   * dropped instead (an existing file is never replaced: a copy altered on disk stays detectable).
   * Idempotent. `durable: false` skips the fsync of the target directory: only for an owner whose
   * recovery promotes staged copies again after a crash (the staged copy is durable already).
   */
  async promote(staged: StagedFile, opts: { durable?: boolean } = {}): Promise<void> {
    const finalPath = this.pathOf(checkId(staged.sha256));
    this.checkStagedPath(staged);
    await this.ensureDir(dirname(finalPath));
    if (await exists(finalPath)) {
      await unlinkIfPresent(staged.path);
      return;
    }
    try {
      await rename(staged.path, finalPath);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Already promoted (or dropped) by an earlier call: the file is either in place or was never to be kept.
      if (await exists(finalPath)) return;
      if (!(await exists(staged.path))) throw err;
      // The target directory went away since it was created: make it again.
      await this.forgetDir(dirname(finalPath));
      await this.ensureDir(dirname(finalPath));
      await rename(staged.path, finalPath);
    }
    if (opts.durable !== false) await syncDirectory(dirname(finalPath));
  }

  /** Drops a staged copy that will not be kept. Never touches a file stored under its id. */
  async discard(staged: StagedFile): Promise<void> {
    this.checkStagedPath(staged);
    await unlinkIfPresent(staged.path);
  }

  /**
   * Staged files of `area` untouched since before `olderThan` (what a crash left behind, for the
   * owning feature's sweep), each re-hashed: an interrupted write simply hashes to bytes nobody
   * recorded. Such leftovers are rare, so reading them is fine.
   */
  async listStaged(area: string, olderThan: Date): Promise<StagedFile[]> {
    const dir = this.stagingDir(area);
    const names = await readdir(dir).catch((err: unknown) => {
      if (isNotFound(err)) return [] as string[];
      throw err;
    });
    const out: StagedFile[] = [];
    for (const name of names) {
      if (!STAGED_NAME.test(name)) continue;
      const path = join(dir, name);
      const s = await stat(path).catch(() => null);
      if (!s?.isFile() || s.mtime >= olderThan) continue;
      const hash = createHash('sha256');
      let size = 0;
      try {
        const handle = await open(path, 'r');
        for await (const chunk of handle.createReadStream()) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      } catch (err) {
        if (isNotFound(err)) continue; // promoted or dropped meanwhile
        throw err;
      }
      out.push({ sha256: hash.digest('hex'), size, path });
    }
    return out;
  }

  /** Closes the directory handles kept for fsync. */
  async onModuleDestroy(): Promise<void> {
    const handles = [...this.dirHandles.values()];
    this.dirHandles.clear();
    await Promise.all(handles.map(async (h) => (await h).close().catch(() => undefined)));
  }

  /**
   * fsync of a staging directory through a handle kept open: one call per staged file instead of
   * open, fsync and close. A handle that fails is dropped and the directory synced the plain way.
   */
  private async syncKnownDir(dir: string): Promise<void> {
    let handle = this.dirHandles.get(dir);
    if (!handle) {
      handle = open(dir, 'r');
      this.dirHandles.set(dir, handle);
    }
    try {
      await (await handle).sync();
    } catch {
      this.dirHandles.delete(dir);
      await (await handle.catch(() => undefined))?.close().catch(() => undefined);
      await syncDirectory(dir);
    }
  }

  private async forgetDir(dir: string): Promise<void> {
    this.knownDirs.delete(dir);
    const handle = this.dirHandles.get(dir);
    this.dirHandles.delete(dir);
    await (await handle?.catch(() => undefined))?.close().catch(() => undefined);
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    this.knownDirs.add(dir);
  }

  private stagingDir(area: string): string {
    if (!AREA.test(area)) throw new RangeError(`invalid staging area '${area}'`);
    return join(this.root, 'staging', area);
  }

  /** Only paths this service handed out as staged copies may be renamed or removed. */
  private checkStagedPath(staged: StagedFile): void {
    const path = resolve(staged.path);
    if (!STAGED_NAME.test(basename(path)) || dirname(dirname(path)) !== join(this.root, 'staging')) {
      throw new RangeError('not a staged file of this storage');
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
    throw new StorageException(
      StorageErrorCode.InvalidId,
      'Pengenal berkas tidak valid: harus SHA-256 heksadesimal huruf kecil (invalid file id)',
    );
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

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
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
