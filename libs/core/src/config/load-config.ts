import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type AppConfigValues } from './config.schema.js';

interface LocalSecrets {
  AUTH_JWT_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
}

/**
 * Validates the environment. Outside production, secrets that were not given are generated once and
 * kept in DATA_DIR/secrets.json (mode 0600) so sessions and encrypted data survive a restart.
 * Production refuses to start without them (see parseConfig).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, persist = true): AppConfigValues {
  const values = parseConfig(env);
  if (values.AUTH_JWT_SECRET && values.DATA_ENCRYPTION_KEY) return values;
  let secrets: LocalSecrets = {
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  if (persist) {
    mkdirSync(values.DATA_DIR, { recursive: true });
    const file = join(values.DATA_DIR, 'secrets.json');
    if (existsSync(file)) secrets = JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
    else {
      writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
  }
  return {
    ...values,
    AUTH_JWT_SECRET: values.AUTH_JWT_SECRET ?? secrets.AUTH_JWT_SECRET,
    DATA_ENCRYPTION_KEY: values.DATA_ENCRYPTION_KEY ?? secrets.DATA_ENCRYPTION_KEY,
  };
}
