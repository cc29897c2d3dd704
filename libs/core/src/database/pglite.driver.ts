import { EventEmitter } from 'node:events';
import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';

/**
 * A `pg`-compatible driver module for TypeORM's postgres dialect, backed by one PGlite instance.
 *
 * Why our own instead of typeorm-pglite: that package shares one process-wide PGlite session between
 * all query runners, so two concurrent transactions interleave their statements. PGlite is
 * single-session, so here `connect()` lends the session to one query runner at a time (a FIFO pool of
 * size one), which gives each transaction real isolation. It also keeps one instance per data source,
 * so tests can open several databases in one process.
 */

const ACQUIRE_TIMEOUT_MS = 30_000;

/** Parse like node-postgres does, so entity code behaves the same on both databases. */
export const PG_COMPATIBLE_PARSERS = {
  [types.INT8]: (v: string) => v,
  [types.BYTEA]: (v: string) => Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex'),
};

type Done = (err?: unknown) => void;

class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown) {
    const result =
      Array.isArray(params) && params.length > 0
        ? await this.db.query(sql, params)
        : ((await this.db.exec(sql)).at(-1) ?? { rows: [], fields: [] });
    // node-postgres reports the command and row count of every statement; TypeORM relies on both
    // (UPDATE and DELETE answer [rows, count]), so fill them in where PGlite leaves them out.
    const r = result as { rows: unknown[]; command?: string; rowCount?: number; affectedRows?: number };
    r.command ??= /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
    r.rowCount ??= r.affectedRows ?? r.rows.length;
    return r;
  }
}

class SessionLock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`Timed out after ${ACQUIRE_TIMEOUT_MS} ms waiting for the embedded database session`));
      }, ACQUIRE_TIMEOUT_MS);
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get busy(): boolean {
    return this.held;
  }
}

const locks = new WeakMap<PGlite, SessionLock>();
function lockOf(db: PGlite): SessionLock {
  let lock = locks.get(db);
  if (!lock) locks.set(db, (lock = new SessionLock()));
  return lock;
}

class PgliteSerialPool extends EventEmitter {
  private client?: PgliteClient;
  private lock?: SessionLock;
  private ended = false;

  constructor(
    private readonly open: () => Promise<PGlite>,
    private readonly close: () => Promise<void>,
  ) {
    super();
  }

  private async acquire(): Promise<PgliteClient> {
    if (this.ended) throw new Error('The embedded database has been closed');
    if (!this.client) {
      const db = await this.open();
      this.client = new PgliteClient(db);
      this.lock = lockOf(db);
    }
    await this.lock!.acquire();
    return this.client;
  }

  private release(): void {
    this.lock?.release();
  }

  connect(callback: (err: unknown, client?: PgliteClient, done?: Done) => void): void {
    this.acquire().then(
      (client) => {
        let released = false;
        callback(null, client, () => {
          if (released) return;
          released = true;
          this.release();
        });
      },
      (err: unknown) => callback(err),
    );
  }

  async query(sql: string, params?: unknown) {
    const client = await this.acquire();
    try {
      return await client.query(sql, params);
    } finally {
      this.release();
    }
  }

  /**
   * LISTEN on the embedded database. Taken while holding the session, so the LISTEN never lands
   * inside another runner's transaction (where a rollback would undo it). Notifications arrive
   * after the notifying transaction commits. Returns the unlisten function.
   */
  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    await this.acquire();
    try {
      const db = await this.open();
      return await db.listen(channel, onMessage);
    } finally {
      this.release();
    }
  }

  end(callback?: Done): Promise<void> {
    this.ended = true;
    const p = this.close();
    if (callback)
      p.then(
        () => callback(),
        (e: unknown) => callback(e),
      );
    return p;
  }

  get totalCount() {
    return 1;
  }
  get idleCount() {
    return this.lock?.busy ? 0 : 1;
  }
  get waitingCount() {
    return this.lock?.waiting ?? 0;
  }
}

/**
 * True when the data source runs on the embedded database (our PGlite driver is passed as TypeORM's
 * `driver`); false on PostgreSQL, where TypeORM loads node-postgres and `driver.master` is its Pool.
 */
export function isEmbeddedDatabase(dataSource: { options: object }): boolean {
  return (dataSource.options as { driver?: unknown }).driver !== undefined;
}

/** Creates a PGlite instance with node-postgres compatible parsers. */
export function createPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ dataDir, parsers: PG_COMPATIBLE_PARSERS } as PGliteOptions);
}

/**
 * The object to pass as TypeORM's `driver` option for one embedded database. With `shared`, several
 * data sources use the same instance (two application instances on one database), and closing a data
 * source leaves the database open for the others.
 */
export function createPgliteDriver(options: { dataDir?: string; shared?: PGlite } = {}) {
  return {
    Pool: class extends PgliteSerialPool {
      constructor() {
        let db: Promise<PGlite> | undefined;
        super(
          () => (db ??= options.shared ? Promise.resolve(options.shared) : createPglite(options.dataDir)),
          async () => {
            if (!options.shared && db) await (await db).close();
          },
        );
      }
    },
  };
}
