import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import {
  ConfigValidationError,
  DEMO_PASSWORD,
  DemoSeedService,
  createNestLogger,
  describeTarget,
  loadConfig,
  targetFromConfig,
  type AppConfigValues,
} from '@sandi/core';
import { createApp } from './bootstrap.js';
import { ClusterSupervisor, workerCount } from './cluster.js';

async function main(): Promise<void> {
  let config: AppConfigValues;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw e;
  }
  const workers = workerCount(config.API_WORKERS);
  if (workers > 1 && cluster.isPrimary) {
    const logger = createNestLogger({
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT ?? (config.NODE_ENV === 'production' ? 'json' : 'pretty'),
    });
    const supervisor = new ClusterSupervisor({
      workers,
      cluster,
      log: (level, message) =>
        level === 'info'
          ? logger.log(message, 'Cluster')
          : level === 'warn'
            ? logger.warn(message, 'Cluster')
            : logger.error(message, undefined, 'Cluster'),
      exit: (code) => process.exit(code),
    });
    process.on('SIGTERM', () => supervisor.stop());
    process.on('SIGINT', () => supervisor.stop());
    supervisor.start();
    return;
  }
  const database = targetFromConfig(config);
  const app = await createApp({ config, database });
  const logger = new Logger('Sandi');
  logger.log(`Database: ${describeTarget(database)}`);

  const demoSeed = config.DEMO_SEED ?? config.NODE_ENV !== 'production';
  if (demoSeed) {
    const logins = await app.get(DemoSeedService).seedIfEmpty();
    if (logins) {
      const width = Math.max(...logins.map((l) => l.username.length));
      const lines = logins.map((l) => `  ${l.username.padEnd(width)}  ${l.label}`);
      process.stdout.write(
        `\nDemo data seeded. Sign in at ${config.PUBLIC_URL} with password ${DEMO_PASSWORD} and one of:\n${lines.join('\n')}\n\n`,
      );
    }
  }
  await app.listen(config.PORT, config.HOST);
  logger.log(`Sandi listening on ${config.PUBLIC_URL} (API ${config.PUBLIC_URL}/api/v1, docs ${config.PUBLIC_URL}/api/docs)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Sandi failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
