import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { LoggerService } from '@nestjs/common';
import {
  accessLogMiddleware,
  ConfigService,
  createNestLogger,
  MetricsService,
  requestContextMiddleware,
  toProblem,
  type CoreModuleOptions,
} from '@sandi/core';
import { OcspEndpoint } from '@sandi/certificates';
import { AppModule } from './app.module.js';

export interface CreateAppOptions extends CoreModuleOptions {
  logger?: LoggerService | false;
  /** Directory of the built web UI; default dist/web. */
  webRoot?: string;
}

export const API_PREFIX = 'api/v1';

export function buildOpenApi(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sandi API')
    .setDescription('Layanan persandian: SOC, sertifikat elektronik, JKS, cadangan, bukti ISO/IEC 27001. Errors are RFC 9457 problem+json.')
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('sandi_at')
    .build();
  return SwaggerModule.createDocument(app, config);
}

function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(process.cwd(), 'dist/web'), resolve(here, '../../../web'), resolve(here, '../../../../dist/web')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!;
}

/** Builds the HTTP application (used by main.ts and by the e2e tests). */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const logger =
    options.logger ??
    createNestLogger({
      level: options.config.LOG_LEVEL,
      format: options.config.LOG_FORMAT ?? (options.config.NODE_ENV === 'production' ? 'json' : 'pretty'),
    });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), {
    logger,
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(ConfigService);
  const metrics = app.get(MetricsService);

  app.set('trust proxy', config.get('TRUST_PROXY'));
  app.disable('x-powered-by');
  app.use(requestContextMiddleware);
  app.use(accessLogMiddleware(metrics));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.enableCors({
    origin: (origin, cb) => cb(null, !origin ? true : config.corsOrigins.includes(origin)),
    credentials: true,
    exposedHeaders: ['X-Request-Id'],
  });
  // API answers carry personal data and tokens: no cache keeps them unless a route says otherwise
  // (the CRL and CA certificates are public and set their own).
  app.use(`/${API_PREFIX}`, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser());
  app.use(express.json({ limit: '1mb', strict: true }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  // OCSP requests (RFC 6960) and PKCS#10 requests arrive as DER bodies.
  app.use(express.raw({ type: ['application/ocsp-request', 'application/pkcs10'], limit: '64kb' }));
  // Errors raised by the body parsers, before Nest's router, still answer as problem+json.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err, req.path);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.enableShutdownHooks();

  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs.json',
    customSiteTitle: 'Sandi API',
  });

  const webRoot = options.webRoot ?? defaultWebRoot();
  if (existsSync(join(webRoot, 'index.html'))) {
    app.use(express.static(webRoot, { index: false, maxAge: '1h', setHeaders: noCacheIndex }));
    // Single-page app: any other GET that is not API, docs, health or metrics gets index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || /^\/(api|health|metrics)(\/|$)/.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webRoot, 'index.html'));
    });
  }
  await app.init();
  // OCSP (relying parties, one request per signature check) is answered ahead of Express; the
  // PkiController routes stay as the documented fallback. Same URL as the AIA of issued certificates.
  app.get(OcspEndpoint).attach(app.getHttpServer() as Server, `/${API_PREFIX}/pki/ocsp`);
  return app;
}

function noCacheIndex(res: Response, path: string): void {
  if (path.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
}
