import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from '../health/metrics.service.js';

const logger = new Logger('HTTP');

/** One line per request (method, path without query string, status, duration) and the latency histogram. */
export function accessLogMiddleware(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path
        ? `${req.baseUrl}${(req.route as { path: string }).path}`
        : 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (res.statusCode >= 500) metrics.httpErrors.inc({ route });
      const line = `${req.method} ${req.path} ${res.statusCode} ${(seconds * 1000).toFixed(1)}ms`;
      if (res.statusCode >= 500) logger.error(line);
      else if (req.path.startsWith('/health') || req.path === '/metrics') logger.debug(line);
      else logger.log(line);
    });
    next();
  };
}
