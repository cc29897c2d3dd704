import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { AppConfigValues } from '../config/config.schema.js';
import { createPgliteDriver } from './pglite.driver.js';
import { CORE_ENTITIES, CORE_MIGRATIONS } from './core-schema.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

export interface SchemaParts {
  entities: MixedList<Constructor | string | EntitySchema>;
  migrations: Constructor[];
}

export interface DatabaseTarget {
  /** Real PostgreSQL URL. */
  url?: string;
  /** Embedded database directory; undefined with no url means in-memory. */
  pgliteDir?: string;
  /** An existing PGlite instance to share (several app instances on one embedded database). */
  pgliteShared?: PGlite;
  poolSize?: number;
}

export function targetFromConfig(config: Pick<AppConfigValues, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'>): DatabaseTarget {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE };
  const dir = resolve(config.DATA_DIR, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return { pgliteDir: dir };
}

export function buildDataSourceOptions(target: DatabaseTarget, extra: SchemaParts[] = []): DataSourceOptions {
  const entities = [...CORE_ENTITIES, ...extra.flatMap((p) => p.entities as Constructor[])];
  const migrations = [...CORE_MIGRATIONS, ...extra.flatMap((p) => p.migrations)];
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
    // Schema comes only from migrations; gen_random_uuid() is built into PostgreSQL 13+ and PGlite.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
  };
  if (target.url) {
    return {
      ...common,
      url: target.url,
      poolSize: target.poolSize ?? 10,
      extra: { application_name: 'sandi', connectionTimeoutMillis: 10_000 },
    };
  }
  return {
    ...common,
    database: 'postgres',
    driver: createPgliteDriver({ dataDir: target.pgliteDir, shared: target.pgliteShared }),
  } as DataSourceOptions;
}

export function describeTarget(target: DatabaseTarget): string {
  if (target.url) {
    const u = new URL(target.url);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  }
  return target.pgliteDir ? `embedded PGlite at ${join(target.pgliteDir)}` : 'embedded PGlite (in memory)';
}
