import { X509Certificate } from 'node:crypto';
import { BsreError, BsreErrorCode } from './bsre.exception.js';
import {
  BSRE_CODES,
  BSRE_HOLDER_STATUSES,
  BSRE_PATHS,
  bsreWireChainResponse,
  bsreWireError,
  bsreWireSignResponse,
  bsreWireStatusResponse,
  bsreWireVerifyResponse,
  type BsreClientConfig,
  type BsreHolderStatus,
  type BsreIdentity,
  type BsreRefusalCode,
  type BsreSignPdfRequest,
  type BsreSignResult,
  type BsreStatusResult,
  type BsreVerifyResult,
  type BsreWireSignRequest,
} from './bsre.types.js';

type Endpoint = keyof typeof BSRE_PATHS;

/** One HTTP exchange, classified by what we know of the request's fate. */
type Exchange =
  | { kind: 'response'; status: number; body: string }
  /** Certainly never sent: the connection was never established. */
  | { kind: 'not_sent'; detail: string; error: unknown }
  /** Sent, or possibly sent: the connection broke before a whole answer came back. */
  | { kind: 'lost'; detail: string; error: unknown }
  | { kind: 'timeout' };

/**
 * Error codes (of the `cause` of Node's `fetch failed`) that can only arise while connecting, before a
 * byte of the request is written: name resolution, TCP connect, and TLS certificate checks. Anything
 * else (ECONNRESET, "other side closed", EPIPE, unknown codes) may come after the request left, so a
 * sign call that meets it has an unknown outcome.
 */
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

const HOLDER_STATUSES: ReadonlySet<string> = new Set(BSRE_HOLDER_STATUSES);

/**
 * Client of BSrE's eSign Client Service (API v2) on Node's global fetch. Every call carries HTTP Basic
 * credentials. Read-only calls (status, chain, verify) are retried once when the connection fails; a sign
 * call never is: signing is not idempotent, so a sign request that left us and got no usable answer is
 * reported as `unknown` (the document may have been signed), and only one that certainly never left
 * (refused connection, failed name lookup) as `failed`. The Basic credentials and the passphrase never
 * appear in an error or a result; the client logs nothing.
 */
export class BsreClient {
  // Private fields: util.inspect (and so a logged client) does not show them.
  readonly #base: string;
  readonly #authorization: string;
  readonly #password: string;
  readonly #timeoutMs: number;
  readonly #signTimeoutMs: number;

  constructor(config: BsreClientConfig) {
    this.#base = normaliseBaseUrl(config.baseUrl);
    if (typeof config.username !== 'string' || typeof config.password !== 'string') {
      throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE client: Basic user name and password must be strings');
    }
    for (const [name, ms] of [
      ['timeoutMs', config.timeoutMs],
      ['signTimeoutMs', config.signTimeoutMs],
    ] as const) {
      if (!Number.isInteger(ms) || ms <= 0)
        throw new BsreError(BsreErrorCode.InvalidRequest, `BSrE client: ${name} must be a positive integer`);
    }
    this.#authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
    this.#password = config.password;
    this.#timeoutMs = config.timeoutMs;
    this.#signTimeoutMs = config.signTimeoutMs;
  }

  /** The holder's certificate status, by NIK or by registered e-mail. Unknown identities answer NOT_REGISTERED. */
  async checkStatus(identity: BsreIdentity): Promise<BsreStatusResult> {
    const body = JSON.stringify(identityOf(identity));
    const json = this.expectJson('status', await this.readOnly('status', 'POST', BSRE_PATHS.status, body, this.#timeoutMs));
    const parsed = bsreWireStatusResponse.safeParse(json);
    if (!parsed.success) throw badResponse('status', 'the answer is not {status_code, message, status}');
    const { status, status_code, message } = parsed.data;
    if (!HOLDER_STATUSES.has(status)) throw badResponse('status', `unknown holder status "${status.slice(0, 40)}"`);
    return { status: status as BsreHolderStatus, statusCode: status_code ?? undefined, message: message ?? undefined };
  }

  /**
   * The holder's certificate chain (id = NIK or registered e-mail) as DER, leaf first. The body's order is
   * not documented, so it is put leaf-first here by following issuer names.
   */
  async getCertificateChain(id: string): Promise<Uint8Array[]> {
    if (typeof id !== 'string' || id.trim() === '')
      throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE chain: an NIK or e-mail is required');
    const path = BSRE_PATHS.chain + encodeURIComponent(id.trim());
    const json = this.expectJson('chain', await this.readOnly('chain', 'GET', path, undefined, this.#timeoutMs));
    const parsed = bsreWireChainResponse.safeParse(json);
    if (!parsed.success) throw badResponse('chain', 'the answer is not {success, data[]}');
    if (!parsed.data.success) {
      throw new BsreError(
        BsreErrorCode.Rejected,
        `BSrE chain: the service answered success=false${parsed.data.message ? ` (${clip(parsed.data.message)})` : ''}`,
      );
    }
    const certificates = (parsed.data.data ?? []).map((entry, i) => {
      const der = decodeCertificate(entry);
      if (!der) throw badResponse('chain', `element ${i} is not a base64 DER or PEM certificate`);
      return der;
    });
    return orderLeafFirst(certificates);
  }

  /**
   * Signs PDFs with the holder's certificate at the body. Never retried. Refusals (wrong passphrase 2031,
   * not registered 2011, no certificate 2021, ...) are `refused`; a timeout, a broken connection, a 5xx or
   * an unreadable success after the request left us are `unknown`; a request that could not be sent is
   * `failed`. Throws only BsreError UNAUTHORIZED (our Basic credentials are wrong).
   */
  async signPdf(request: BsreSignPdfRequest): Promise<BsreSignResult> {
    const invalid = invalidSignRequest(request);
    if (invalid) return { outcome: 'failed', code: 'INVALID_REQUEST', reason: invalid };
    const wire: BsreWireSignRequest = {
      ...identityOf(request),
      passphrase: request.passphrase,
      signatureProperties: request.properties,
      file: request.files.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64')),
    };
    const secrets = [this.#password, request.passphrase];
    const exchange = await this.exchange('POST', BSRE_PATHS.sign, JSON.stringify(wire), this.#signTimeoutMs);
    switch (exchange.kind) {
      case 'not_sent':
        return { outcome: 'failed', code: 'UNREACHABLE', reason: `the request was not sent: ${exchange.detail}` };
      case 'lost':
        return {
          outcome: 'unknown',
          cause: 'CONNECTION_LOST',
          reason: `the connection broke after the request was sent: ${exchange.detail}`,
        };
      case 'timeout':
        return { outcome: 'unknown', cause: 'TIMEOUT', reason: `no answer within ${this.#signTimeoutMs} ms after the request was sent` };
      case 'response':
        return this.signOutcome(exchange.status, exchange.body, request.files.length, secrets);
    }
  }

  /** Verifies the signatures of a PDF (optionally password-protected). Read-only: retried once on a broken connection. */
  async verifyPdf(file: Uint8Array, options: { password?: string } = {}): Promise<BsreVerifyResult> {
    const body = JSON.stringify({
      file: Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('base64'),
      ...(options.password ? { password: options.password } : {}),
    });
    const json = this.expectJson('verify', await this.readOnly('verify', 'POST', BSRE_PATHS.verify, body, this.#signTimeoutMs));
    const parsed = bsreWireVerifyResponse.safeParse(json);
    if (!parsed.success)
      throw badResponse('verify', 'the answer is not {conclusion, description, signatureCount, signatureInformations[]}');
    const v = parsed.data;
    const signatures = (v.signatureInformations ?? []).map((s) => ({
      id: s.id ?? null,
      fieldName: s.fieldName ?? null,
      signerName: s.signerName ?? null,
      signatureDate: s.signatureDate ?? null,
      reason: s.reason ?? null,
      location: s.location ?? null,
      signatureFormat: s.signatureFormat ?? null,
      integrityValid: s.integrityValid === true,
      certificateTrusted: s.certificateTrusted === true,
      ltv: s.ltv ?? null,
      modified: s.modified ?? null,
      lastSignature: s.lastSignature ?? null,
      certLevelCode: s.certLevelCode ?? null,
      signatureAlgorithm: emptyToNull(s.signatureAlgorithm),
      digestAlgorithm: emptyToNull(s.digestAlgorithm),
      timestamp: s.timestampInfomation
        ? {
            id: s.timestampInfomation.id ?? null,
            signerName: s.timestampInfomation.signerName ?? null,
            timestampDate: s.timestampInfomation.timestampDate ?? null,
          }
        : null,
      certificates: (s.certificateDetails ?? []).map((c) => ({
        id: c.id ?? null,
        commonName: c.commonName ?? null,
        issuerName: c.issuerName ?? null,
        serialNumber: c.serialNumber === undefined || c.serialNumber === null ? null : String(c.serialNumber),
        notBefore: c.notBeforeDate ?? null,
        notAfter: c.notAfterDate ?? null,
        signatureAlgorithm: emptyToNull(c.signatureAlgoritm),
        keyUsages: c.keyUsages ?? [],
      })),
    }));
    return {
      conclusion: v.conclusion,
      description: v.description ?? null,
      signatureCount: v.signatureCount ?? signatures.length,
      signatures,
      documentName: v.documentName ?? null,
      warnings: v.warning ?? [],
    };
  }

  private signOutcome(status: number, body: string, fileCount: number, secrets: string[]): BsreSignResult {
    if (status === 401) throw unauthorized('sign');
    const json = parseJson(body);
    const refusal = bsreWireError.safeParse(json);
    const hasFiles = typeof json === 'object' && json !== null && 'file' in json;
    // The body's own refusal `{error, status_code}`, whatever the HTTP status it came with: it decided, and
    // did not sign. A Spring Boot error body also has `error` but no `status_code`: that is no decision.
    if (refusal.success && typeof refusal.data.status_code === 'number' && !hasFiles) {
      const statusCode = refusal.data.status_code;
      return {
        outcome: 'refused',
        code: refusalCode(statusCode),
        statusCode,
        httpStatus: status,
        message: redact(clip(refusal.data.error), secrets),
      };
    }
    if (status >= 500) {
      return {
        outcome: 'unknown',
        cause: 'UPSTREAM_ERROR',
        httpStatus: status,
        reason: `the service failed (HTTP ${status}${springError(json)}) after the request was sent`,
      };
    }
    if (status < 200 || status >= 300) {
      return {
        outcome: 'refused',
        code: 'REJECTED',
        httpStatus: status,
        message: `the service rejected the request (HTTP ${status}${springError(json)})`,
      };
    }
    const parsed = bsreWireSignResponse.safeParse(json);
    if (!parsed.success)
      return {
        outcome: 'unknown',
        cause: 'BAD_RESPONSE',
        httpStatus: status,
        reason: 'the service answered success with a body that is not {time, file[]}',
      };
    if (parsed.data.file.length !== fileCount) {
      return {
        outcome: 'unknown',
        cause: 'BAD_RESPONSE',
        httpStatus: status,
        reason: `the service answered ${parsed.data.file.length} files for ${fileCount} sent`,
      };
    }
    const files: Uint8Array[] = [];
    for (const [i, encoded] of parsed.data.file.entries()) {
      const pdf = decodeBase64(encoded);
      if (!pdf || !isPdf(pdf))
        return { outcome: 'unknown', cause: 'BAD_RESPONSE', httpStatus: status, reason: `file ${i} of the answer is not a base64 PDF` };
      files.push(new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    }
    return { outcome: 'signed', files, ...(typeof parsed.data.time === 'number' ? { time: parsed.data.time } : {}) };
  }

  /** Status, chain and verify: a connection that failed (before or after sending) is tried once more. */
  private async readOnly(endpoint: Endpoint, method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number) {
    let exchange = await this.exchange(method, path, body, timeoutMs);
    if (exchange.kind === 'not_sent' || exchange.kind === 'lost') exchange = await this.exchange(method, path, body, timeoutMs);
    switch (exchange.kind) {
      case 'response':
        return exchange;
      case 'timeout':
        throw new BsreError(BsreErrorCode.Timeout, `BSrE ${endpoint}: no answer within ${timeoutMs} ms`);
      case 'not_sent':
        throw new BsreError(BsreErrorCode.Unreachable, `BSrE ${endpoint}: the service cannot be reached (${exchange.detail})`, {
          cause: exchange.error,
        });
      case 'lost':
        throw new BsreError(BsreErrorCode.ConnectionLost, `BSrE ${endpoint}: the connection broke (${exchange.detail})`, {
          cause: exchange.error,
        });
    }
  }

  /** Maps a read-only answer's HTTP status and body to its JSON, or to the matching BsreError. */
  private expectJson(endpoint: Endpoint, response: { status: number; body: string }): unknown {
    const { status, body } = response;
    if (status === 401) throw unauthorized(endpoint);
    const json = parseJson(body);
    const refusal = bsreWireError.safeParse(json);
    const upstreamCode = refusal.success ? (refusal.data.status_code ?? undefined) : undefined;
    const detail = refusal.success ? `: ${redact(clip(refusal.data.error), [this.#password])}` : springError(json);
    if (status >= 500)
      throw new BsreError(BsreErrorCode.UpstreamError, `BSrE ${endpoint}: the service failed (HTTP ${status}${detail})`, {
        httpStatus: status,
        upstreamCode,
      });
    if (status < 200 || status >= 300)
      throw new BsreError(BsreErrorCode.Rejected, `BSrE ${endpoint}: the service rejected the request (HTTP ${status}${detail})`, {
        httpStatus: status,
        upstreamCode,
      });
    if (json === undefined) throw badResponse(endpoint, 'the answer is not JSON');
    return json;
  }

  private async exchange(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<Exchange> {
    const headers: Record<string, string> = { authorization: this.#authorization, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      // redirect: manual, because following a 301/302 would turn a POST into a bodiless GET.
      response = await fetch(this.#base + path, { method, headers, body, signal, redirect: 'manual' });
    } catch (err) {
      return classifyFailure(err);
    }
    try {
      return { kind: 'response', status: response.status, body: await response.text() };
    } catch (err) {
      const failure = classifyFailure(err);
      // The answer had begun to arrive, so the request had certainly been delivered.
      return failure.kind === 'not_sent' ? { kind: 'lost', detail: failure.detail, error: failure.error } : failure;
    }
  }
}

function normaliseBaseUrl(raw: unknown): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE client: baseUrl is not a valid URL');
  }
  // The URL is not echoed: it might carry credentials.
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE client: baseUrl must be http(s)');
  if (url.username || url.password)
    throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE client: baseUrl must not carry credentials; set username and password');
  if (url.search || url.hash) throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE client: baseUrl must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

function identityOf(identity: BsreIdentity): { nik: string } | { email: string } {
  const nik = typeof identity.nik === 'string' ? identity.nik.trim() : '';
  const email = typeof identity.email === 'string' ? identity.email.trim() : '';
  if (nik && !email) return { nik };
  if (email && !nik) return { email };
  throw new BsreError(BsreErrorCode.InvalidRequest, 'BSrE: exactly one of nik or email is required');
}

/** Checks a sign request before anything is sent; an empty or non-PDF file would only earn the body's HTTP 500. */
function invalidSignRequest(request: BsreSignPdfRequest): string | null {
  try {
    identityOf(request);
  } catch (err) {
    return (err as Error).message;
  }
  if (typeof request.passphrase !== 'string' || request.passphrase === '') return 'a passphrase is required';
  if (!Array.isArray(request.properties) || request.properties.length === 0) return 'at least one signatureProperties element is required';
  if (!Array.isArray(request.files) || request.files.length === 0) return 'at least one PDF is required';
  const bad = request.files.findIndex((f) => !(f instanceof Uint8Array) || !isPdf(f));
  if (bad >= 0) return `file ${bad} is empty or not a PDF`;
  return null;
}

function classifyFailure(err: unknown): Exclude<Exchange, { kind: 'response' }> {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
  const causes = causesOf(err);
  const detail =
    causes.map((c) => (c.message ? `${c.code}: ${c.message}` : c.code)).join('; ') ||
    (err instanceof Error ? err.message : 'unknown error');
  const notSent = causes.length > 0 && causes.every((c) => NOT_SENT_CODES.has(c.code));
  return notSent ? { kind: 'not_sent', detail, error: err } : { kind: 'lost', detail, error: err };
}

/** The system error codes under fetch's TypeError; an AggregateError (several addresses tried) gives one each. */
function causesOf(err: unknown): Array<{ code: string; message: string }> {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (!cause || typeof cause !== 'object') return [];
  const errors = (cause as { errors?: unknown }).errors;
  const list = Array.isArray(errors) && errors.length > 0 ? errors : [cause];
  return list.map((e: unknown) => {
    const code = (e as { code?: unknown } | null)?.code;
    const message = (e as { message?: unknown } | null)?.message;
    return { code: typeof code === 'string' ? code : 'UNKNOWN', message: typeof message === 'string' ? message : '' };
  });
}

function refusalCode(statusCode: number): BsreRefusalCode {
  switch (statusCode) {
    case BSRE_CODES.WRONG_PASSPHRASE:
      return 'WRONG_PASSPHRASE';
    case BSRE_CODES.NOT_REGISTERED:
      return 'NOT_REGISTERED';
    case BSRE_CODES.NO_CERTIFICATE:
      return 'NO_CERTIFICATE';
    case BSRE_CODES.CERTIFICATE_EXPIRED:
    case BSRE_CODES.CERTIFICATE_RENEWING:
    case BSRE_CODES.CERTIFICATE_SUSPENDED:
    case BSRE_CODES.CERTIFICATE_REVOKED:
      return 'CERTIFICATE_NOT_ACTIVE';
    case BSRE_CODES.INVALID_DOCUMENT:
      return 'INVALID_DOCUMENT';
    default:
      return 'REJECTED';
  }
}

function unauthorized(endpoint: Endpoint): BsreError {
  return new BsreError(
    BsreErrorCode.Unauthorized,
    `BSrE ${endpoint}: the eSign Client Service rejected our HTTP Basic credentials (HTTP 401); check the configured BSRE_USERNAME and BSRE_PASSWORD`,
    { httpStatus: 401 },
  );
}

function badResponse(endpoint: Endpoint, why: string): BsreError {
  return new BsreError(BsreErrorCode.BadResponse, `BSrE ${endpoint}: unexpected answer: ${why}`);
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** ", Internal Server Error" from a Spring Boot error body, or nothing. */
function springError(json: unknown): string {
  const error = (json as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'string' && error ? `, ${clip(error)}` : '';
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Upstream text is passed on, but never with one of our secrets in it, should the service echo one. */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

function emptyToNull(value: string | null | undefined): string | null {
  return value ? value : null;
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.byteLength > 5 && Buffer.from(bytes.buffer, bytes.byteOffset, 5).toString('latin1') === '%PDF-';
}

function decodeBase64(encoded: string): Buffer | null {
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/** A chain element: base64 DER, or PEM. Returns the DER if it parses as an X.509 certificate. */
function decodeCertificate(entry: string): Buffer | null {
  const body = entry.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '');
  const der = decodeBase64(body);
  if (!der) return null;
  try {
    new X509Certificate(der);
    return der;
  } catch {
    return null;
  }
}

/** Leaf first, then each certificate's issuer; left in the body's order when no single leaf stands out. */
function orderLeafFirst(ders: Buffer[]): Uint8Array[] {
  const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (ders.length < 2) return ders.map(view);
  const certs = ders.map((der) => ({ der, x: new X509Certificate(der) }));
  // A leaf issued none of the others.
  const leaves = certs.filter((c) => !certs.some((o) => o !== c && o.x.checkIssued(c.x)));
  if (leaves.length !== 1) return ders.map(view);
  const ordered = [leaves[0]!];
  const rest = certs.filter((c) => c !== leaves[0]);
  for (let current = leaves[0]!; !current.x.checkIssued(current.x);) {
    const i = rest.findIndex((c) => current.x.checkIssued(c.x));
    if (i < 0) break;
    current = rest.splice(i, 1)[0]!;
    ordered.push(current);
  }
  return [...ordered, ...rest].map((c) => view(c.der));
}
