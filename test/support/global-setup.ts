import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/core/src/database/data-source.factory.js';
import { ALL_SCHEMA_PARTS } from './schema-parts.js';
import { TEMPLATE_DB } from './database.js';

/** With TEST_DATABASE_URL: build the migrated template database that every test file clones. */
export default async function setup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${TEMPLATE_DB}`;
  const ds = new DataSource(buildDataSourceOptions({ url: u.toString(), poolSize: 1 }, ALL_SCHEMA_PARTS));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
}
