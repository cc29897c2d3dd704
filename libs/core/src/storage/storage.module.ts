import { Module } from '@nestjs/common';
import { FileStorageService } from './file-storage.service.js';

/** Content-addressed file storage. Needs ConfigService from the application (global provider). */
@Module({
  providers: [FileStorageService],
  exports: [FileStorageService],
})
export class StorageModule {}
