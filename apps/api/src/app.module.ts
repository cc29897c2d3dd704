import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions } from '@sandi/core';

/** The application: the core kernel plus the feature libraries as they land. */
@Module({})
export class AppModule {
  static register(options: CoreModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ ...options, schema: [...(options.schema ?? [])] })],
    };
  }
}
