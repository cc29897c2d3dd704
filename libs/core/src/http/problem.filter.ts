import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { requestContext } from '../context/request-context.js';
import { AppException, CommonErrorCode, type FieldError } from './app.exception.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  code?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_TYPE_BASE = 'urn:sandi:problem:';

/** Turns any error into RFC 9457 problem+json; unknown errors become a generic 500 with the request id. */
export function toProblem(err: unknown, path?: string): Problem {
  const requestId = requestContext.get()?.requestId;
  const base = { instance: path, requestId };
  if (err instanceof AppException) {
    const { errors, ...extra } = err.extra;
    return {
      type: PROBLEM_TYPE_BASE + err.code,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      code: err.code,
      ...(errors ? { errors } : {}),
      ...extra,
      ...base,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message =
      status === 429
        ? 'Terlalu banyak permintaan; coba lagi dalam satu menit (too many requests, retry in a minute)'
        : typeof body === 'string'
          ? body
          : ((body as { message?: unknown }).message ?? err.message);
    return {
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail: Array.isArray(message) ? message.join('; ') : String(message),
      ...base,
    };
  }
  // body-parser and other http-errors style errors carry their own status (malformed JSON, too large).
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status && status >= 400 && status < 500) {
    let detail = e.expose ? String(e.message) : (TITLES[status] ?? 'Bad request');
    if (e.type === 'entity.parse.failed') detail = 'Badan permintaan bukan JSON yang sah (request body is not valid JSON)';
    if (e.type === 'entity.too.large') detail = 'Badan permintaan terlalu besar (request body too large)';
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...base };
  }
  if (err instanceof QueryFailedError) {
    const code = (err.driverError as { code?: string } | undefined)?.code;
    // invalid_text_representation (e.g. a malformed uuid in a path) is the client's error.
    if (code === '22P02') {
      return {
        type: 'about:blank',
        title: TITLES[400]!,
        status: 400,
        detail: 'Parameter tidak valid (malformed identifier or value)',
        ...base,
      };
    }
    // unique_violation: a concurrent request won the race past the service's "already exists" check.
    if (code === '23505') {
      return {
        type: PROBLEM_TYPE_BASE + CommonErrorCode.Conflict,
        title: TITLES[409]!,
        status: 409,
        detail: 'Data yang sama sudah ada (conflicts with existing data)',
        code: CommonErrorCode.Conflict,
        ...base,
      };
    }
  }
  return {
    type: 'about:blank',
    title: TITLES[500]!,
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: `Terjadi kesalahan internal; sebutkan kode permintaan ${requestId ?? '-'} kepada admin (internal error; quote the request id)`,
    ...base,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = toProblem(err, req?.originalUrl?.split('?')[0]);
    if (problem.status >= 500) {
      this.logger.error({
        message: 'Unhandled error',
        error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      });
    }
    if (res.headersSent) return;
    if (problem.status === 429 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '60');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
