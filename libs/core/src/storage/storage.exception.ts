import { AppException, type StatusTable } from '../http/app.exception.js';

export enum StorageErrorCode {
  InvalidId = 'storage.invalid_id',
  NotFound = 'storage.not_found',
  TooLarge = 'storage.too_large',
  Empty = 'storage.empty',
}

const STATUS: StatusTable<StorageErrorCode> = {
  [StorageErrorCode.InvalidId]: 400,
  [StorageErrorCode.NotFound]: 404,
  [StorageErrorCode.TooLarge]: 413,
  [StorageErrorCode.Empty]: 422,
};

export class StorageException extends AppException {
  constructor(code: StorageErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, STATUS[code], detail, extra);
  }
}
