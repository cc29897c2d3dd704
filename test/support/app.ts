import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { LoggerService } from '@nestjs/common';
import { DEMO_PASSWORD, DemoSeedService, parseConfig, type AppConfigValues, type Role } from '@sandi/core';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { ALL_SCHEMA_PARTS } from './schema-parts.js';

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  config: AppConfigValues;
  /** Bearer access token of the seeded demo user holding `role`. */
  tokenFor(role: Role): Promise<string>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfigValues {
  return parseConfig({
    NODE_ENV: 'test',
    // Files a test stores (evidence, letters) go to a throw-away directory, never into the repo.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sandi-test-')),
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SCHEDULER_ENABLED: 'false',
    DATABASE_MIGRATE_ON_START: 'true',
    RATE_LIMIT_LOGIN_PER_MINUTE: '10000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '10000',
    LOG_LEVEL: 'error',
    MAIL_POLL_SECONDS: '3600',
    ...overrides,
  });
}

/** A real application (HTTP stack, guards, filters) on this file's own database, demo data seeded. */
export async function createTestApp(
  options: { env?: Record<string, string>; logger?: LoggerService | false; seed?: boolean; db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = testConfig(options.env);
  const app = await createApp({
    config,
    database: db.target,
    schema: ALL_SCHEMA_PARTS,
    logger: options.logger ?? false,
    webRoot: '/nonexistent',
  });
  if (options.seed !== false) await app.get(DemoSeedService).seedIfEmpty();
  const http = () => request(app.getHttpServer());
  const tokens = new Map<string, string>();
  const login = async (username: string, password = DEMO_PASSWORD) => {
    const res = await http().post('/api/v1/auth/token').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { accessToken: string }).accessToken;
  };
  return {
    app,
    db,
    http,
    config,
    login,
    async tokenFor(role: Role) {
      const username = DemoSeedService.logins().find((l) => l.role === role)!.username;
      let t = tokens.get(username);
      if (!t) {
        t = await login(username);
        tokens.set(username, t);
      }
      return t;
    },
    async close() {
      await app.close();
      if (!options.db) await db.close();
    },
  };
}
