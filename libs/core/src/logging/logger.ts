import { WinstonModule, utilities } from 'nest-winston';
import winston from 'winston';
import type { LoggerService } from '@nestjs/common';
import { requestContext } from '../context/request-context.js';
import { redact } from './redact.js';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Extra transports (tests capture output through one). */
  transports?: winston.transport[];
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    (info as Record<string, unknown>)[key] = (redact({ [key]: info[key] }) as Record<string, unknown>)[key];
  }
  const ctx = requestContext.get();
  if (ctx && info.requestId === undefined) info.requestId = ctx.requestId;
  return info;
});

export function createWinston(options: LoggerOptions): winston.Logger {
  const format =
    options.format === 'json'
      ? winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
      : winston.format.combine(
          redactFormat(),
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          utilities.format.nestLike('Sandi', { colors: process.stdout.isTTY, prettyPrint: true }),
        );
  return winston.createLogger({
    level: options.level,
    format,
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

export function createNestLogger(options: LoggerOptions): LoggerService {
  return WinstonModule.createLogger({ instance: createWinston(options) });
}
