/**
 * Base of every module exception. A module declares an enum of codes and a table mapping each code
 * to an HTTP status (exhaustive by type), and the global filter turns it into RFC 9457 problem+json.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    detail: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** Helper for modules: `const fail = exceptionFactory(MyException, STATUS_BY_CODE)`. */
export type StatusTable<C extends string> = Record<C, number>;

export enum CommonErrorCode {
  Validation = 'common.validation',
  NotFound = 'common.not_found',
  Conflict = 'common.conflict',
  IllegalTransition = 'common.illegal_transition',
  Forbidden = 'common.forbidden',
  Unauthenticated = 'common.unauthenticated',
  PayloadTooLarge = 'common.payload_too_large',
}

const COMMON_STATUS: StatusTable<CommonErrorCode> = {
  [CommonErrorCode.Validation]: 400,
  [CommonErrorCode.NotFound]: 404,
  [CommonErrorCode.Conflict]: 409,
  [CommonErrorCode.IllegalTransition]: 409,
  [CommonErrorCode.Forbidden]: 403,
  [CommonErrorCode.Unauthenticated]: 401,
  [CommonErrorCode.PayloadTooLarge]: 413,
};

export class CommonException extends AppException {
  constructor(code: CommonErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, COMMON_STATUS[code], detail, extra);
  }

  static notFound(what: string, id?: string) {
    return new CommonException(
      CommonErrorCode.NotFound,
      id ? `${what} ${id} tidak ditemukan (not found)` : `${what} tidak ditemukan (not found)`,
    );
  }

  static validation(errors: FieldError[], detail = 'Data yang dikirim tidak valid (invalid input)') {
    return new CommonException(CommonErrorCode.Validation, detail, { errors });
  }

  static conflict(detail: string) {
    return new CommonException(CommonErrorCode.Conflict, detail);
  }

  /** A workflow step that the current state does not allow: 409 with the actions that are allowed. */
  static illegalTransition(state: string, action: string, allowedActions: string[]) {
    return new CommonException(
      CommonErrorCode.IllegalTransition,
      `Tindakan '${action}' tidak diizinkan pada status '${state}' (action not allowed in this state)`,
      { state, allowedActions },
    );
  }
}
