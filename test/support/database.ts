import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type DatabaseTarget, type SchemaParts } from '@sandi/core';
import { ALL_SCHEMA_PARTS } from './schema-parts.js';

/**
 * One isolated, migrated database per test file.
 * TEST_DATABASE_URL set: a fresh PostgreSQL database cloned from the migrated template made in
 * global setup. Unset: a fresh in-memory PGlite, migrated here.
 */
export interface TestDatabase {
  target: DatabaseTarget;
  /** A data source for direct inspection (already initialised and migrated). */
  dataSource: DataSource;
  /** Open another data source on the same database (a second application instance). */
  openAnother(): Promise<DataSource>;
  close(): Promise<void>;
}

export const TEMPLATE_DB = 'sandi_test_template';

export function usingPostgres(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function createTestDatabase(extra: SchemaParts[] = ALL_SCHEMA_PARTS): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let target: DatabaseTarget;
  let drop: (() => Promise<void>) | undefined;
  if (adminUrl) {
    const name = `sandi_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    await admin.end();
    target = { url: withDatabase(adminUrl, name), poolSize: 5 };
    drop = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const { createPglite } = await import('@sandi/core');
    target = { pgliteShared: await createPglite() };
  }
  const dataSource = new DataSource(buildDataSourceOptions(target, extra));
  await dataSource.initialize();
  await dataSource.runMigrations();
  const others: DataSource[] = [];
  return {
    target,
    dataSource,
    async openAnother() {
      const ds = new DataSource(buildDataSourceOptions(target, extra));
      await ds.initialize();
      others.push(ds);
      return ds;
    },
    async close() {
      for (const ds of others) if (ds.isInitialized) await ds.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
      if (target.pgliteShared) await target.pgliteShared.close();
      if (drop) await drop();
    },
  };
}
