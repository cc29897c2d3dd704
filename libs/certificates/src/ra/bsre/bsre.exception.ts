/** Why a call to the eSign Client Service failed. The certificates module maps these to its own codes. */
export enum BsreErrorCode {
  /** HTTP 401: our configured Basic credentials are wrong. An operator problem, not the holder's. */
  Unauthorized = 'UNAUTHORIZED',
  /** HTTP 5xx (including the body's 500 on an empty or invalid PDF). */
  UpstreamError = 'UPSTREAM_ERROR',
  /** A success status with a body that is not the contract's JSON. */
  BadResponse = 'BAD_RESPONSE',
  /** The body answered 4xx or `success: false`: it would not do this (unknown chain id, a 2011 refusal...). */
  Rejected = 'REJECTED',
  /** Nothing was sent: DNS failure, connection refused, TLS handshake failure. */
  Unreachable = 'UNREACHABLE',
  /** The connection broke after the request was sent. */
  ConnectionLost = 'CONNECTION_LOST',
  /** No answer within the configured time. */
  Timeout = 'TIMEOUT',
  /** The call or the client configuration is invalid; nothing was sent. */
  InvalidRequest = 'INVALID_REQUEST',
}

/**
 * The one exception of the BSrE client. `code` is stable; `message` is English and technical, for logs.
 * Messages never carry the Basic credentials, the passphrase or a document; `upstreamCode` is the body's
 * application `status_code` when it gave one.
 */
export class BsreError extends Error {
  readonly httpStatus?: number;
  readonly upstreamCode?: number;

  constructor(
    readonly code: BsreErrorCode,
    message: string,
    details: { httpStatus?: number; upstreamCode?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BsreError';
    this.httpStatus = details.httpStatus;
    this.upstreamCode = details.upstreamCode;
  }
}
