import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import type { AppConfigValues } from './config.schema.js';

/** Typed, validated configuration. Values are parsed once at boot by `parseConfig`. */
@Injectable()
export class ConfigService {
  constructor(private readonly values: AppConfigValues) {}

  get<K extends keyof AppConfigValues>(key: K): AppConfigValues[K] {
    return this.values[key];
  }

  get isProduction(): boolean {
    return this.values.NODE_ENV === 'production';
  }

  get instanceId(): string {
    return this.values.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  }

  get corsOrigins(): string[] {
    return this.values.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}
