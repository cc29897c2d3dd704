import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions, type SchemaParts } from '@sandi/core';
import { CertificatesModule } from '@sandi/certificates';
import { IncidentsModule } from '@sandi/incidents';
import { FEATURE_SCHEMAS } from './features.js';

/** Adds a feature's schema parts unless the caller (the test support) already passed them. */
function withSchema(parts: SchemaParts[], features: SchemaParts[]): SchemaParts[] {
  return [...parts, ...features.filter((f) => !parts.includes(f))];
}

/** The application: the core kernel plus the feature libraries as they land. */
@Module({})
export class AppModule {
  static register(options: CoreModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ ...options, schema: withSchema(options.schema ?? [], FEATURE_SCHEMAS) }),
        IncidentsModule,
        CertificatesModule,
      ],
    };
  }
}
