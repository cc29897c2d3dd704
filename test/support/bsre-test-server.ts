import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BSRE_CODES,
  BSRE_PATHS,
  type BsreHolderStatus,
  type BsreSignatureProperties,
  type BsreWireChainResponse,
  type BsreWireError,
  type BsreWireSignRequest,
  type BsreWireSignResponse,
  type BsreWireSpringError,
  type BsreWireStatusResponse,
  type BsreWireVerifyResponse,
} from '../../libs/certificates/src/ra/bsre/bsre.types.js';

/**
 * An in-process stand-in for BSrE's eSign Client Service that speaks its v2 contract over real HTTP, quirks
 * included: HTTP Basic on every call (Spring Boot 401 body otherwise), application codes 1111/2011/2021/
 * 2031 (and the unconfirmed 2022–2025), HTTP 500 with a Spring body on an empty or invalid PDF, HTTP 400
 * with a non-JSON body for an unknown chain id. Signing and verifying themselves are injected: the lead
 * wires the real PAdES signer; tests may inject a simpler one.
 */

export type BsreTestEndpoint = 'status' | 'chain' | 'sign' | 'verify';

/** A holder in the body's registry, keyed by NIK. `chain` is DER, in the order the chain endpoint answers it. */
export interface BsreTestHolder {
  nik: string;
  email: string;
  name?: string;
  status: BsreHolderStatus;
  passphrase: string;
  chain: Uint8Array[];
}

export type BsreTestSigner = (pdf: Uint8Array, holder: BsreTestHolder, properties: BsreSignatureProperties) => Promise<Uint8Array>;
export type BsreTestVerifier = (pdf: Uint8Array) => Promise<BsreWireVerifyResponse>;

export interface BsreTestServerOptions {
  /** Basic credentials the server accepts (defaults: esign / rahasia-uji-bsre). */
  username?: string;
  password?: string;
  holders?: BsreTestHolder[];
  /** Produces the signed PDF; without one, a sign call that passes every check answers HTTP 500. */
  signer?: BsreTestSigner;
  /** Produces the verify answer; without one, verify answers HTTP 500. */
  verifier?: BsreTestVerifier;
  /** Artificial delay per endpoint, in ms, after the request has been read and counted. */
  delays?: Partial<Record<BsreTestEndpoint, number>>;
}

/** What a sign request asked for, kept for assertions (no passphrase, no document bytes). */
export interface BsreTestSignRecord {
  nik?: string;
  email?: string;
  signatureProperties: BsreSignatureProperties[];
  fileSizes: number[];
}

export interface BsreTestServerState {
  /** The registry, by NIK. Change it directly or through the helpers below. */
  readonly holders: Map<string, BsreTestHolder>;
  /** Artificial delays per endpoint, in ms; may be changed between calls. */
  delays: Partial<Record<BsreTestEndpoint, number>>;
  /** Requests that reached each endpoint (counted on arrival, before authentication). */
  readonly received: Record<BsreTestEndpoint, number>;
  /** Shorthand for `received.sign`: how many sign requests arrived. */
  readonly signCalls: number;
  /** Documents actually signed (a sign whose client gave up still signs, as at the real body). */
  readonly signed: number;
  /** The sign requests that arrived, in order. */
  readonly signRequests: BsreTestSignRecord[];
  /** Registers a holder (as enrolment on the body's portal would). */
  addHolder(holder: BsreTestHolder): BsreTestHolder;
  /**
   * The body's RA decides: moves the holder to `status`, optionally with a new chain (an issued or renewed
   * certificate) or passphrase. Throws for an NIK not in the registry.
   */
  decide(nik: string, status: BsreHolderStatus, changes?: { chain?: Uint8Array[]; passphrase?: string }): BsreTestHolder;
  /** The next `count` requests to `endpoint` are read, counted, and then their connection is destroyed unanswered. */
  dropNext(endpoint: BsreTestEndpoint, count?: number): void;
  /** The next `count` requests to `endpoint` get HTTP 200 with a body that is not JSON. */
  malformNext(endpoint: BsreTestEndpoint, count?: number): void;
}

export interface BsreTestServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  username: string;
  password: string;
  state: BsreTestServerState;
  close(): Promise<void>;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = { 'content-type': 'application/json' },
  ) {}
}

export async function startBsreTestServer(opts: BsreTestServerOptions = {}): Promise<BsreTestServer> {
  const username = opts.username ?? 'esign';
  const password = opts.password ?? 'rahasia-uji-bsre';
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  const holders = new Map<string, BsreTestHolder>();
  const received: Record<BsreTestEndpoint, number> = { status: 0, chain: 0, sign: 0, verify: 0 };
  const drops: Record<BsreTestEndpoint, number> = { status: 0, chain: 0, sign: 0, verify: 0 };
  const malformed: Record<BsreTestEndpoint, number> = { status: 0, chain: 0, sign: 0, verify: 0 };
  const signRequests: BsreTestSignRecord[] = [];
  const lifetime = new AbortController();
  let signed = 0;

  const state: BsreTestServerState = {
    holders,
    delays: { ...opts.delays },
    received,
    get signCalls() {
      return received.sign;
    },
    get signed() {
      return signed;
    },
    signRequests,
    addHolder(holder) {
      const copy = { ...holder, chain: [...holder.chain] };
      holders.set(holder.nik, copy);
      return copy;
    },
    decide(nik, status, changes = {}) {
      const holder = holders.get(nik);
      if (!holder) throw new Error(`BSrE test server: no holder with NIK ${nik}; addHolder first`);
      holder.status = status;
      if (changes.chain) holder.chain = [...changes.chain];
      if (changes.passphrase !== undefined) holder.passphrase = changes.passphrase;
      return holder;
    },
    dropNext(endpoint, count = 1) {
      drops[endpoint] += count;
    },
    malformNext(endpoint, count = 1) {
      malformed[endpoint] += count;
    },
  };
  for (const h of opts.holders ?? []) state.addHolder(h);

  const byIdentity = (nik: unknown, email: unknown): BsreTestHolder | undefined => {
    if (typeof nik === 'string' && nik !== '') return holders.get(nik);
    if (typeof email === 'string' && email !== '') return [...holders.values()].find((h) => h.email.toLowerCase() === email.toLowerCase());
    return undefined;
  };

  const json = (status: number, body: unknown) => new HttpAnswer(status, JSON.stringify(body));
  const spring = (status: number, path: string, extra: Record<string, string> = {}) => {
    const body: BsreWireSpringError = { timestamp: new Date().toISOString(), status, error: STATUS_CODES[status] ?? 'Error', path };
    return new HttpAnswer(status, JSON.stringify(body), { 'content-type': 'application/json', ...extra });
  };
  const refusal = (statusCode: number, error: string) => json(400, { error, status_code: statusCode } satisfies BsreWireError);

  const route = (method: string, path: string): BsreTestEndpoint | 'method' | null => {
    const endpoint =
      path === BSRE_PATHS.status
        ? 'status'
        : path === BSRE_PATHS.sign
          ? 'sign'
          : path === BSRE_PATHS.verify
            ? 'verify'
            : path.startsWith(BSRE_PATHS.chain)
              ? 'chain'
              : null;
    if (!endpoint) return null;
    return method === (endpoint === 'chain' ? 'GET' : 'POST') ? endpoint : 'method';
  };

  async function answer(endpoint: BsreTestEndpoint, req: IncomingMessage, path: string, raw: Buffer): Promise<HttpAnswer> {
    if (req.headers.authorization !== expectedAuth) return spring(401, path, { 'www-authenticate': 'Basic realm="Realm"' });
    if (malformed[endpoint] > 0) {
      malformed[endpoint] -= 1;
      return new HttpAnswer(200, '{"status_code":1111,"message":"User sudah ter');
    }
    let body: Record<string, unknown> = {};
    if (endpoint !== 'chain') {
      try {
        const parsed = JSON.parse(raw.toString('utf8')) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return spring(400, path);
        body = parsed as Record<string, unknown>;
      } catch {
        return spring(400, path);
      }
    }
    switch (endpoint) {
      case 'status':
        return statusAnswer(body);
      case 'chain':
        return chainAnswer(decodeURIComponent(path.slice(BSRE_PATHS.chain.length)));
      case 'sign':
        return signAnswer(body as Partial<BsreWireSignRequest>, path);
      case 'verify':
        return verifyAnswer(body, path);
    }
  }

  function statusAnswer(body: Record<string, unknown>): HttpAnswer {
    const holder = byIdentity(body.nik, body.email);
    // Observed live: an empty, malformed or unknown identity is HTTP 200 NOT_REGISTERED 2011.
    if (!holder || holder.status === 'NOT_REGISTERED') {
      return json(200, {
        status_code: BSRE_CODES.NOT_REGISTERED,
        message: 'User belum terdaftar',
        status: 'NOT_REGISTERED',
      } satisfies BsreWireStatusResponse);
    }
    if (holder.status === 'NO_CERTIFICATE') {
      return json(200, {
        status_code: BSRE_CODES.NO_CERTIFICATE,
        message: 'User belum memiliki sertifikat',
        status: 'NO_CERTIFICATE',
      } satisfies BsreWireStatusResponse);
    }
    return json(200, {
      status_code: BSRE_CODES.HAS_CERTIFICATE,
      message: `User sudah terdaftar dan memiliki sertifikat dengan status ${holder.status}`,
      status: holder.status,
    } satisfies BsreWireStatusResponse);
  }

  function chainAnswer(id: string): HttpAnswer {
    const holder = id.includes('@') ? byIdentity(undefined, id) : byIdentity(id, undefined);
    // Observed live: an invalid id is HTTP 400 labelled JSON whose body is not JSON.
    if (!holder || holder.status === 'NOT_REGISTERED') return new HttpAnswer(400, 'Data user tidak ditemukan');
    const body: BsreWireChainResponse = { success: true, data: holder.chain.map((der) => Buffer.from(der).toString('base64')) };
    return json(200, body);
  }

  async function signAnswer(body: Partial<BsreWireSignRequest>, path: string): Promise<HttpAnswer> {
    const properties = Array.isArray(body.signatureProperties) ? body.signatureProperties : [];
    const files = Array.isArray(body.file) ? body.file : [];
    signRequests.push({
      nik: typeof body.nik === 'string' ? body.nik : undefined,
      email: typeof body.email === 'string' ? body.email : undefined,
      signatureProperties: properties,
      fileSizes: files.map((f) => (typeof f === 'string' ? Buffer.from(f, 'base64').length : 0)),
    });
    const pdfs = files.map(decodePdf);
    // The body's quirk: no file, an empty one or one that is not a PDF is an internal error.
    if (pdfs.length === 0 || pdfs.some((p) => p === null) || properties.length === 0) return spring(500, path);
    const holder = byIdentity(body.nik, body.email);
    if (!holder || holder.status === 'NOT_REGISTERED') return refusal(BSRE_CODES.NOT_REGISTERED, 'User tidak terdaftar');
    const inactive = INACTIVE_REFUSALS[holder.status];
    if (inactive) return refusal(inactive.code, inactive.error);
    if (typeof body.passphrase !== 'string' || body.passphrase !== holder.passphrase)
      return refusal(BSRE_CODES.WRONG_PASSPHRASE, 'Passphrase anda salah');
    if (!opts.signer) return spring(500, path);
    const started = Date.now();
    const out: string[] = [];
    try {
      for (const [i, pdf] of pdfs.entries()) {
        const signedPdf = await opts.signer(pdf!, holder, properties[i] ?? properties[0]!);
        out.push(Buffer.from(signedPdf).toString('base64'));
      }
    } catch {
      return spring(500, path);
    }
    signed += out.length;
    return json(200, { time: Date.now() - started, file: out } satisfies BsreWireSignResponse);
  }

  async function verifyAnswer(body: Record<string, unknown>, path: string): Promise<HttpAnswer> {
    const pdf = decodePdf(body.file);
    if (!pdf || !opts.verifier) return spring(500, path);
    try {
      return json(200, await opts.verifier(pdf));
    } catch {
      return spring(500, path);
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away while sending
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const endpoint = route(method, path);
    let reply: HttpAnswer;
    if (endpoint === null) reply = spring(404, path);
    else if (endpoint === 'method') reply = spring(405, path);
    else {
      received[endpoint] += 1;
      if (drops[endpoint] > 0) {
        drops[endpoint] -= 1;
        req.socket.destroy();
        return;
      }
      const delay = state.delays[endpoint] ?? 0;
      // The delay runs on even if the client gives up: the body goes on working, as the real one would.
      if (delay > 0 && !(await sleep(delay, lifetime.signal))) return;
      try {
        reply = await answer(endpoint, req, path, Buffer.concat(chunks));
      } catch {
        reply = spring(500, path); // an injected signer or verifier that misbehaves, as an internal error would
      }
    }
    if (res.destroyed || lifetime.signal.aborted) return;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    state,
    close: async () => {
      lifetime.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How the body refuses to sign with a certificate that is not active (codes from one public client; unconfirmed). */
const INACTIVE_REFUSALS: Partial<Record<BsreHolderStatus, { code: number; error: string }>> = {
  NO_CERTIFICATE: { code: BSRE_CODES.NO_CERTIFICATE, error: 'User belum memiliki sertifikat' },
  NEW: { code: BSRE_CODES.NO_CERTIFICATE, error: 'Sertifikat belum diterbitkan' },
  WAITING_FOR_VERIFICATION: { code: BSRE_CODES.NO_CERTIFICATE, error: 'Sertifikat belum diterbitkan' },
  EXPIRED: { code: BSRE_CODES.CERTIFICATE_EXPIRED, error: 'Sertifikat sudah kadaluarsa' },
  RENEW: { code: BSRE_CODES.CERTIFICATE_RENEWING, error: 'Sertifikat dalam proses pembaruan' },
  SUSPEND: { code: BSRE_CODES.CERTIFICATE_SUSPENDED, error: 'Sertifikat ditangguhkan' },
  REVOKE: { code: BSRE_CODES.CERTIFICATE_REVOKED, error: 'Sertifikat telah dicabut' },
};

function decodePdf(encoded: unknown): Uint8Array | null {
  if (typeof encoded !== 'string' || encoded === '') return null;
  const bytes = Buffer.from(encoded, 'base64');
  return bytes.length > 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? new Uint8Array(bytes) : null;
}

/** Resolves true after `ms`, or false as soon as the server closes. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
