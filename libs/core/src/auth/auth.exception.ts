import { AppException, type StatusTable } from '../http/app.exception.js';

export enum AuthErrorCode {
  InvalidCredentials = 'auth.invalid_credentials',
  AccountLocked = 'auth.account_locked',
  Unauthenticated = 'auth.unauthenticated',
  SessionExpired = 'auth.session_expired',
  RefreshReuse = 'auth.refresh_reuse',
  Forbidden = 'auth.forbidden',
  CsrfMismatch = 'auth.csrf_mismatch',
  PasswordChangeRequired = 'auth.password_change_required',
  PasswordPolicy = 'auth.password_policy',
  WrongCurrentPassword = 'auth.wrong_current_password',
  UsernameTaken = 'auth.username_taken',
  UnknownRole = 'auth.unknown_role',
  UserNotFound = 'auth.user_not_found',
  CannotLockOutSelf = 'auth.cannot_lock_out_self',
}

const STATUS: StatusTable<AuthErrorCode> = {
  [AuthErrorCode.InvalidCredentials]: 401,
  [AuthErrorCode.AccountLocked]: 423,
  [AuthErrorCode.Unauthenticated]: 401,
  [AuthErrorCode.SessionExpired]: 401,
  [AuthErrorCode.RefreshReuse]: 401,
  [AuthErrorCode.Forbidden]: 403,
  [AuthErrorCode.CsrfMismatch]: 403,
  [AuthErrorCode.PasswordChangeRequired]: 403,
  [AuthErrorCode.PasswordPolicy]: 400,
  [AuthErrorCode.WrongCurrentPassword]: 400,
  [AuthErrorCode.UsernameTaken]: 409,
  [AuthErrorCode.UnknownRole]: 400,
  [AuthErrorCode.UserNotFound]: 404,
  [AuthErrorCode.CannotLockOutSelf]: 409,
};

export class AuthException extends AppException {
  constructor(code: AuthErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, STATUS[code], detail, extra);
  }
}
