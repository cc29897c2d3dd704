import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/**
 * A real SMTP server in the test process (127.0.0.1, random port, no TLS, no auth required) that
 * keeps every accepted message, parsed just enough for assertions: headers, the text and HTML parts.
 * `rejectNext(n, code)` makes it refuse the next n messages at DATA with that reply code.
 */

export interface ReceivedMail {
  /** Envelope, as given in MAIL FROM / RCPT TO. */
  envelope: { from: string | null; to: string[] };
  /** Header names lower-cased; values unfolded and RFC 2047-decoded. */
  headers: Record<string, string>;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Resolves once at least `n` messages have been accepted. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Reply `code` (4xx temporary, 5xx permanent) to the next `count` messages instead of accepting them. */
  rejectNext(count: number, code?: number, message?: string): void;
  /** How many messages were refused so far. */
  readonly rejected: number;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let toReject = 0;
  let rejectCode = 451;
  let rejectMessage = 'Temporary local problem, try again later';
  let rejected = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'sandi test sink',
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (toReject > 0) {
          toReject--;
          rejected++;
          const err = new Error(rejectMessage) as Error & { responseCode: number };
          err.responseCode = rejectCode;
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push(parseMessage(raw, session));
        callback();
        for (const w of [...waiters]) {
          if (messages.length >= w.n) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    const listening = server.listen(0, '127.0.0.1', () => resolve((listening.address() as AddressInfo).port));
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get rejected() {
      return rejected;
    },
    waitFor(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise<ReceivedMail[]>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`SMTP sink: ${messages.length} of ${n} messages after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    rejectNext(count, code = 451, message) {
      toReject = count;
      rejectCode = code;
      rejectMessage =
        message ?? (code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Temporary local problem, try again later');
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// --- minimal RFC 5322 / MIME parsing (enough for what nodemailer produces) ---------------------

interface Part {
  headers: Record<string, string>;
  body: string;
}

function splitHeaders(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { headers, body };
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** RFC 2047 encoded words (=?utf-8?Q?...?= / =?utf-8?B?...?=), as nodemailer writes non-ASCII headers. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function leaves(part: Part): Part[] {
  const type = part.headers['content-type'] ?? 'text/plain';
  if (!/^multipart\//i.test(type)) return [part];
  const boundary = param(type, 'boundary');
  if (!boundary) return [];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections.filter((s) => !s.startsWith('--')).flatMap((s) => leaves(splitHeaders(s.replace(/^\n/, ''))));
}

function parseMessage(raw: string, session: SMTPServerSession): ReceivedMail {
  const root = splitHeaders(raw);
  const headers = Object.fromEntries(Object.entries(root.headers).map(([k, v]) => [k, decodeWords(v)]));
  const parts = leaves(root);
  const find = (type: string) => parts.find((p) => (p.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type));
  const textPart = find('text/plain');
  const htmlPart = find('text/html');
  const envelopeFrom = session.envelope.mailFrom;
  return {
    envelope: {
      from: envelopeFrom ? envelopeFrom.address : null,
      to: session.envelope.rcptTo.map((r) => r.address),
    },
    headers,
    from: headers.from ?? '',
    to: headers.to ?? '',
    subject: headers.subject ?? '',
    messageId: headers['message-id'] ?? '',
    text: textPart ? decodeBody(textPart).replace(/\n$/, '') : '',
    html: htmlPart ? decodeBody(htmlPart) : null,
    raw,
  };
}
