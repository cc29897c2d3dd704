import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { CommandFactory } from 'nest-commander';
import { ConfigValidationError, createPglite, loadConfig, targetFromConfig, type AppConfigValues } from '@sandi/core';
import { CliModule } from './cli.module.js';
import { readStdinSecret } from './stdin-secret.js';

/** Admin command line: migrate, user:create, audit:verify, seed:demo, openapi:write. */
async function main(): Promise<void> {
  let config: AppConfigValues;
  try {
    config = { ...loadConfig(process.env), SCHEDULER_ENABLED: false };
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const command = process.argv[2];
  if (process.argv.includes('--password-stdin')) await readStdinSecret();
  if (command === 'openapi:write') {
    // Generated from the code on a throw-away in-memory database.
    const { createApp, buildOpenApi } = await import('../../api/src/bootstrap.js');
    const app = await createApp({
      config: { ...config, DATABASE_MIGRATE_ON_START: true },
      database: { pgliteShared: await createPglite() },
      logger: false,
    });
    const file = process.argv[3] ?? 'apps/api/openapi.json';
    writeFileSync(file, JSON.stringify(buildOpenApi(app), null, 2) + '\n');
    await app.close();
    process.stdout.write(`OpenAPI document written to ${file}\n`);
    return;
  }
  const migrateOnStart = command !== 'migrate' && config.DATABASE_MIGRATE_ON_START;
  await CommandFactory.run(
    CliModule.register({ config: { ...config, DATABASE_MIGRATE_ON_START: migrateOnStart }, database: targetFromConfig(config) }),
    {
      logger: ['error', 'warn'],
      errorHandler: (err) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      },
    },
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
