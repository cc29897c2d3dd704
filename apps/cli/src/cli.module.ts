import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions } from '@sandi/core';
import { FEATURE_SCHEMAS } from '../../api/src/features.js';
import { AuditVerifyCommand } from './commands/audit-verify.command.js';
import { MigrateCommand } from './commands/migrate.command.js';
import { SeedDemoCommand } from './commands/seed-demo.command.js';
import { UserCreateCommand } from './commands/user-create.command.js';

@Module({})
export class CliModule {
  static register(options: CoreModuleOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [CoreModule.forRoot({ ...options, schema: [...(options.schema ?? []), ...FEATURE_SCHEMAS] })],
      providers: [MigrateCommand, UserCreateCommand, AuditVerifyCommand, SeedDemoCommand],
    };
  }
}
