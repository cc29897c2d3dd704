import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../context/request-context.js';

const VALID_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives every request an id (accepting a sane incoming X-Request-Id) and opens its context. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  requestContext.run({ requestId, ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 300) }, () => next());
}
