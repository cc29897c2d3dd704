import { AppException, type StatusTable } from '../http/app.exception.js';

export enum NotifyErrorCode {
  InvalidAddress = 'notify.invalid_address',
}

const STATUS: StatusTable<NotifyErrorCode> = {
  [NotifyErrorCode.InvalidAddress]: 400,
};

export class NotifyException extends AppException {
  constructor(code: NotifyErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, STATUS[code], detail, extra);
  }
}
