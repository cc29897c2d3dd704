import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '@sandi/core';
import { LocalCaService } from './local-ca.service.js';
import { ocspErrorResponse } from './pki/index.js';

/** OCSP requests are a few hundred bytes; the same cap the application's body parser had (express.raw 64kb). */
export const OCSP_MAX_BODY_BYTES = 64 * 1024;

const OCSP_RESPONSE = 'application/ocsp-response';

/**
 * Headers of every fast-path answer. Of helmet's set, what matters for a DER body: no sniffing it
 * into something renderable, no cross-origin embedding, HSTS as on the rest of the site.
 */
const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** The fixed headers of an answer, per method (POST answers fall under the API's no-store; GET ones may be revalidated). */
const answerHeaders = (cacheControl: string): string[] => [
  ...Object.entries(SECURITY_HEADERS).flatMap(([name, value]) => [name, String(value)]),
  'Content-Type',
  OCSP_RESPONSE,
  'Cache-Control',
  cacheControl,
];
const POST_HEADERS = answerHeaders('no-store');
const GET_HEADERS = answerHeaders('no-cache');

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The OCSP responder's HTTP front (RFC 6960 A.1), in front of Express: relying parties ask once per
 * signature check, so these requests skip the application's middleware (request context, access
 * log line, helmet, CORS, cookie and body parsers, router, guards, interceptors) and go straight to
 * `LocalCaService.ocspNow()`: the status from its cache (dropped at once by any change, on any
 * instance) or one indexed query, and one signature — or, for a request without a nonce, a
 * response pre-produced moments ago for the same status. On a cache hit with an ECDSA CA key the
 * answer is written without a promise round.
 *
 * Same URLs as PkiController's routes, which stay as the documented fallback and still answer what
 * the fast path leaves alone: other spellings of the path (trailing slash, other case), HEAD and
 * OPTIONS, and any request carrying an Origin header (browsers: CORS is answered by the app).
 *
 *   POST <path>            body = DER OCSPRequest (any content type; the DER says what it is)
 *   GET  <path>/<request>  request = URL-encoded base64 of the DER
 *
 * Other methods get 405, bodies over OCSP_MAX_BODY_BYTES 413 (by Content-Length, before reading
 * them), garbage the protocol's own malformedRequest, an unavailable CA tryLater.
 */
@Injectable()
export class OcspEndpoint {
  private readonly logger = new Logger(OcspEndpoint.name);
  private readonly observers = new Map<string, (seconds: number) => void>();
  private postRoute = '';
  private getRoute = '';

  constructor(
    private readonly ca: LocalCaService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Puts the fast path ahead of the server's request listener (the Express application): OCSP
   * requests are answered here, everything else reaches the application unchanged.
   * `path` is the POST route's full path, e.g. `/api/v1/pki/ocsp`.
   */
  attach(server: Server, path: string): void {
    if (!/^\/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]$/.test(path)) throw new Error(`OcspEndpoint: not a route path: ${path}`);
    const app = server.listeners('request') as RequestListener[];
    this.postRoute = path;
    // The labels Express reports for the controller's routes, so the series continue.
    this.getRoute = `${path}/*request`;
    const prefixLength = path.length;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      if (url.startsWith(path) && this.handle(req, res, url.slice(prefixLength))) return;
      for (const listener of app) listener.call(server, req, res);
    });
  }

  /** `rest` is the URL after the POST path. True when the request is answered here. */
  private handle(req: IncomingMessage, res: ServerResponse, rest: string): boolean {
    if (req.headers.origin !== undefined) return false;
    const method = req.method ?? '';
    if (rest === '' || rest.charCodeAt(0) === 0x3f /* ? */) {
      if (method === 'POST') {
        this.post(req, res, process.hrtime.bigint());
        return true;
      }
      // GET without a request is the router's 404; HEAD and OPTIONS stay the application's.
      if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
      this.refuse(
        res,
        this.postRoute,
        method,
        405,
        'Method Not Allowed',
        'OCSP requests are POSTed here, or sent with GET to …/ocsp/<base64>',
        { Allow: 'POST' },
      );
      return true;
    }
    if (rest.charCodeAt(0) !== 0x2f /* / */) return false;
    const query = rest.indexOf('?');
    const encoded = query < 0 ? rest.slice(1) : rest.slice(1, query);
    if (encoded === '') return false;
    if (method === 'GET') {
      const started = process.hrtime.bigint();
      let der: Buffer;
      try {
        der = Buffer.from(decodeURIComponent(encoded), 'base64');
      } catch {
        der = Buffer.alloc(0); // a broken %-escape: malformedRequest
      }
      this.answer(res, 'GET', der, started);
      return true;
    }
    if (method === 'HEAD' || method === 'OPTIONS') return false;
    this.refuse(
      res,
      this.getRoute,
      method,
      405,
      'Method Not Allowed',
      'An OCSP request in the path is read with GET; POST the DER to …/ocsp',
      { Allow: 'GET, HEAD' },
    );
    return true;
  }

  private post(req: IncomingMessage, res: ServerResponse, started: bigint): void {
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= OCSP_MAX_BODY_BYTES)) {
      this.tooLarge(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > OCSP_MAX_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        this.tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      this.answer(res, 'POST', body, started);
    });
    // A client that goes away mid-body: nothing to answer.
    req.on('error', () => res.destroy());
  }

  private answer(res: ServerResponse, method: 'GET' | 'POST', der: Buffer, started: bigint): void {
    let body: Buffer | Promise<Buffer>;
    try {
      body = this.ca.ocspNow(der);
    } catch (err) {
      body = this.bug(err);
    }
    if (!(body instanceof Promise)) {
      this.send(res, method, body, started);
      return;
    }
    body
      .catch((err: unknown) => this.bug(err))
      .then((out) => this.send(res, method, out, started))
      .catch((err: unknown) => {
        this.logger.error(`OCSP fast path could not answer: ${err instanceof Error ? err.message : String(err)}`);
        res.destroy();
      });
  }

  /** ocspNow() answers bad input and an unavailable CA itself; anything thrown is a bug, not the client's fault. */
  private bug(err: unknown): Buffer {
    this.logger.error(`OCSP fast path: ${err instanceof Error ? err.message : String(err)}`);
    return ocspErrorResponse('internalError');
  }

  private send(res: ServerResponse, method: 'GET' | 'POST', body: Buffer, started: bigint): void {
    if (res.destroyed) return;
    // Node's flat [name, value, …] form: no object to build and walk per answer.
    res.writeHead(200, [...(method === 'POST' ? POST_HEADERS : GET_HEADERS), 'Content-Length', String(body.length)]);
    res.end(body);
    this.observe(method, method === 'POST' ? this.postRoute : this.getRoute, 200, started);
  }

  /** 413 without reading the rest: the connection is closed after the answer, so nothing is left unread on it. */
  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    req.pause();
    this.refuse(res, this.postRoute, 'POST', 413, 'Content Too Large', `An OCSP request is at most ${OCSP_MAX_BODY_BYTES} bytes`, {
      Connection: 'close',
    });
  }

  private refuse(
    res: ServerResponse,
    route: string,
    method: string,
    status: number,
    title: string,
    detail: string,
    extra: OutgoingHttpHeaders,
  ): void {
    if (res.headersSent || res.destroyed) return;
    const body = Buffer.from(JSON.stringify({ type: 'about:blank', title, status, detail, instance: route }));
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      ...extra,
      'Content-Type': 'application/problem+json',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(body);
    this.observe(method, route, status, process.hrtime.bigint());
  }

  /** The application's request-duration histogram, with the children per label set kept (no label hashing per request). */
  private observe(method: string, route: string, status: number, started: bigint): void {
    const key = `${method} ${route} ${status}`;
    let observe = this.observers.get(key);
    if (!observe) {
      // Unknown methods share one label value: the label set must stay small.
      const child = this.metrics.httpDuration.labels(
        /^(GET|POST|PUT|PATCH|DELETE)$/.test(method) ? method : 'OTHER',
        route,
        String(status),
      );
      observe = (seconds) => child.observe(seconds);
      if (this.observers.size < 64) this.observers.set(key, observe);
    }
    observe(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
