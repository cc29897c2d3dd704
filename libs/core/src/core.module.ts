import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { DatabaseThrottlerStorage } from './auth/database-throttler.storage.js';
import { MetaController } from './auth/meta.controller.js';
import { TokenService } from './auth/token.service.js';
import { UsersController } from './auth/users.controller.js';
import { UsersService } from './auth/users.service.js';
import type { AppConfigValues } from './config/config.schema.js';
import { ConfigService } from './config/config.service.js';
import { DataCipher } from './crypto/data-cipher.js';
import { buildDataSourceOptions, type DatabaseTarget, type SchemaParts } from './database/data-source.factory.js';
import { DatabaseNotifications } from './database/database-notifications.js';
import { DemoSeedService } from './demo/demo-seed.service.js';
import { HealthController } from './health/health.controller.js';
import { MetricsService } from './health/metrics.service.js';
import { ProblemFilter } from './http/problem.filter.js';
import { createValidationPipe } from './http/validation.js';
import { NotifyModule } from './notify/notify.module.js';
import { OrganisationController } from './organisation/organisation.controller.js';
import { OrganisationService } from './organisation/organisation.service.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';
import { ServiceStandardModule } from './service-standard/service-standard.module.js';
import { StorageModule } from './storage/storage.module.js';

export interface CoreModuleOptions {
  config: AppConfigValues;
  database: DatabaseTarget;
  /** Feature libraries' entities and migrations. */
  schema?: SchemaParts[];
}

/** The shared kernel: configuration, database, identity, organisation, audit, mail, scheduler, HTTP. */
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    const config = new ConfigService(options.config);
    return {
      module: CoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions(options.database, options.schema ?? []),
            migrationsRun: options.config.DATABASE_MIGRATE_ON_START,
          }),
        }),
        ThrottlerModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            throttlers: [
              { name: 'login', ttl: 60_000, limit: options.config.RATE_LIMIT_LOGIN_PER_MINUTE },
              { name: 'public', ttl: 60_000, limit: options.config.RATE_LIMIT_PUBLIC_PER_MINUTE },
            ],
            // One budget per client IP and bucket across all routes of the bucket (not per route), so
            // switching between /auth/login, /auth/token and /auth/refresh buys no extra attempts.
            generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
            // …and across all API instances, unless configured otherwise.
            ...(options.config.RATE_LIMIT_STORE === 'database' ? { storage: new DatabaseThrottlerStorage(dataSource) } : {}),
          }),
        }),
        AuditModule,
        NotifyModule,
        SchedulerModule,
        StorageModule,
        ServiceStandardModule,
      ],
      controllers: [AuthController, UsersController, MetaController, OrganisationController, HealthController],
      providers: [
        { provide: ConfigService, useValue: config },
        {
          provide: DataCipher,
          useFactory: () => {
            const key = options.config.DATA_ENCRYPTION_KEY;
            if (!key) throw new Error('DATA_ENCRYPTION_KEY is not configured');
            return new DataCipher(key);
          },
        },
        TokenService,
        AuthService,
        UsersService,
        OrganisationService,
        MetricsService,
        DemoSeedService,
        DatabaseNotifications,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [
        ConfigService,
        DataCipher,
        AuthService,
        UsersService,
        OrganisationService,
        MetricsService,
        DemoSeedService,
        DatabaseNotifications,
        AuditModule,
        NotifyModule,
        SchedulerModule,
        StorageModule,
        ServiceStandardModule,
      ],
    };
  }
}
