import { z } from 'zod';

/**
 * One documented schema for every environment variable the platform reads.
 * `.env.example` is checked against it by a test, and `ConfigService` validates it once at boot.
 */
export interface ConfigVariable {
  schema: z.ZodType;
  description: string;
  secret: boolean;
  example?: string;
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const durationSeconds = int(1, 60 * 60 * 24 * 365);
/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
/** Comma-separated YYYY-MM-DD dates, blanks around commas allowed; parsed to a sorted, de-duplicated list. */
const isoDateList = z.string().transform((raw, ctx) => {
  const dates = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = dates.filter((d) => !isIsoDate(d));
  if (bad.length) {
    ctx.addIssue({ code: 'custom', message: `not a YYYY-MM-DD date: ${bad.join(', ')}` });
    return z.NEVER;
  }
  return [...new Set(dates)].sort();
});

export const CONFIG_VARIABLES = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    description: 'Runtime mode: production logs JSON and requires real secrets.',
    secret: false,
  },
  PORT: { schema: int(1, 65535).default(3000), description: 'HTTP port of the API and web UI.', secret: false },
  HOST: { schema: z.string().min(1).default('0.0.0.0'), description: 'Address the HTTP server binds to.', secret: false },
  API_WORKERS: {
    schema: int(0, 64).default(1),
    description:
      'API server processes sharing the port (node:cluster), to use more than one CPU core; 0 = one per core. The first runs the migrations and the demo seed, the others start after it; a worker that dies is replaced. More than one needs DATABASE_URL (the embedded database belongs to one process).',
    secret: false,
  },
  PUBLIC_URL: {
    // Stored without a trailing slash, so every link built as `${PUBLIC_URL}/path` has one slash.
    schema: z
      .url()
      .default('http://localhost:3000')
      .transform((u) => u.replace(/\/+$/, '')),
    description: 'External base URL, used in links sent by e-mail.',
    secret: false,
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    description: 'PostgreSQL connection URL. Unset: embedded PGlite persisted under DATA_DIR.',
    secret: true,
    example: 'postgres://sandi:secret@127.0.0.1:5432/sandi',
  },
  DATABASE_POOL_SIZE: { schema: int(1, 200).default(10), description: 'PostgreSQL connection pool size.', secret: false },
  DATA_DIR: {
    schema: z.string().min(1).default('./data'),
    description: 'Directory for the embedded database and local file storage.',
    secret: false,
  },
  STORAGE_DIR: {
    schema: z.string().min(1).optional(),
    description: 'Directory of content-addressed files (evidence, letters). Default: DATA_DIR/files.',
    secret: false,
  },
  DATABASE_MIGRATE_ON_START: {
    schema: bool.default(true),
    description: 'Run pending migrations when the server starts.',
    secret: false,
  },
  DEMO_SEED: {
    schema: bool.optional(),
    description:
      'Seed the demo organisation and one user per role on first start (empty database only). Default: on, except in production.',
    secret: false,
  },
  AUTH_JWT_SECRET: {
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    description: 'HMAC key for access tokens. Required in production; generated per data directory in development.',
    secret: true,
  },
  AUTH_ACCESS_TTL: { schema: durationSeconds.default(900), description: 'Access token lifetime in seconds.', secret: false },
  AUTH_REFRESH_TTL: {
    schema: durationSeconds.default(60 * 60 * 24 * 7),
    description: 'Refresh token (session) lifetime in seconds.',
    secret: false,
  },
  AUTH_MAX_FAILED_LOGINS: {
    schema: int(1, 100).default(5),
    description: 'Failed logins in a row before the account is locked.',
    secret: false,
  },
  AUTH_LOCKOUT_SECONDS: { schema: durationSeconds.default(900), description: 'How long a lockout lasts.', secret: false },
  AUTH_COOKIE_SECURE: {
    schema: bool.optional(),
    description: 'Mark session cookies Secure (default: true in production).',
    secret: false,
  },
  CORS_ORIGINS: {
    schema: z.string().default(''),
    description: 'Comma-separated origins allowed by CORS; empty allows same-origin only.',
    secret: false,
  },
  RATE_LIMIT_LOGIN_PER_MINUTE: {
    schema: int(1, 10000).default(10),
    description: 'Login / token / refresh attempts per client IP per minute.',
    secret: false,
  },
  RATE_LIMIT_PUBLIC_PER_MINUTE: {
    schema: int(1, 100000).default(60),
    description: 'Requests per client IP per minute on public (unauthenticated) endpoints.',
    secret: false,
  },
  RATE_LIMIT_STORE: {
    schema: z.enum(['database', 'memory']).default('database'),
    description:
      "Where rate-limit counters live: 'database' (shared by every API instance, one budget per client across the load balancer) or 'memory' (per instance; a single instance only).",
    secret: false,
  },
  TRUST_PROXY: {
    schema: z.string().default('loopback'),
    description: 'Express trust proxy setting (which proxies may set X-Forwarded-For).',
    secret: false,
  },
  LOG_LEVEL: {
    schema: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info'),
    description: 'Minimum log level.',
    secret: false,
  },
  LOG_FORMAT: {
    schema: z.enum(['json', 'pretty']).optional(),
    description: 'Log format (default: json in production, pretty otherwise).',
    secret: false,
  },
  SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    description: 'SMTP server for outgoing mail. Unset: mail is kept in the developer mailbox (admin UI).',
    secret: true,
    example: 'smtp://user:pass@mail.example.go.id:587',
  },
  MAIL_FROM: {
    schema: z.string().min(3).default('Sandi <no-reply@sandi.local>'),
    description: 'From address of outgoing mail.',
    secret: false,
  },
  MAIL_POLL_SECONDS: { schema: int(1, 3600).default(5), description: 'How often the outbox worker runs.', secret: false },
  MAIL_MAX_ATTEMPTS: {
    schema: int(1, 50).default(12),
    description: 'Delivery attempts before a message is marked dead.',
    secret: false,
  },
  SCHEDULER_ENABLED: {
    schema: bool.default(true),
    description: 'Run scheduled jobs on this instance (they still run once across instances).',
    secret: false,
  },
  INSTANCE_ID: {
    schema: z.string().min(1).max(64).optional(),
    description: 'Name of this instance in job-run records (default: hostname-pid).',
    secret: false,
  },
  METRICS_TOKEN: {
    schema: z.string().min(16).optional(),
    description: 'Bearer token Prometheus must send to /metrics. Unset: /metrics is open (keep it on an internal network).',
    secret: true,
  },
  DATA_ENCRYPTION_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64')
      .optional(),
    description: 'AES-256-GCM key (base64, 32 bytes) for personal data at rest. Required in production.',
    secret: true,
  },
  CALENDAR_EXTRA_HOLIDAYS: {
    schema: isoDateList.optional(),
    description:
      'Comma-separated extra non-working days (YYYY-MM-DD), e.g. the regional anniversary, added to the national working-day calendar (config/calendars/id-national.json).',
    secret: false,
    example: '2026-04-20,2027-04-20',
  },
  INCIDENT_EVIDENCE_MAX_BYTES: {
    schema: int(1, 1024 * 1024 * 1024).default(20 * 1024 * 1024),
    description: 'Largest evidence file accepted with an incident report, in bytes (default 20 MiB).',
    secret: false,
  },
  INCIDENT_EVIDENCE_MAX_FILES: {
    schema: int(1, 100).default(10),
    description: 'Most evidence files accepted in one incident report or upload.',
    secret: false,
  },
  INCIDENT_MONTHLY_REPORT_RECIPIENTS: {
    schema: z
      .string()
      .transform((raw, ctx) => {
        const addresses = [
          ...new Set(
            raw
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter(Boolean),
          ),
        ];
        const bad = addresses.filter((a) => !z.email().safeParse(a).success);
        if (bad.length) {
          ctx.addIssue({ code: 'custom', message: `not an e-mail address: ${bad.join(', ')}` });
          return z.NEVER;
        }
        return addresses;
      })
      .optional(),
    description:
      'Comma-separated addresses that receive the monthly SOC report notice on the first working day of each month. Unset: every active user with the admin role.',
    secret: false,
    example: 'kepala.dinas@example.go.id,sekretariat@example.go.id',
  },
  CERT_RA_ADAPTER: {
    schema: z.enum(['local', 'bsre']).default('local'),
    description:
      "Registration Authority for e-signature certificates: 'local' (the platform's own CA, RA operators decide in the UI) or 'bsre' (the national certification body's portal + eSign Client Service).",
    secret: false,
  },
  CA_KEY_ALGORITHM: {
    schema: z.enum(['ecdsa-p256', 'rsa-2048', 'rsa-3072']).default('ecdsa-p256'),
    description: 'Key algorithm of the local CA and of the certificates it issues (set before the first start; the CA is created once).',
    secret: false,
  },
  CA_ORGANIZATION: {
    schema: z.string().min(2).max(64).default('Pemerintah Daerah'),
    description: 'Organisation (O) in the local CA and issued certificate names.',
    secret: false,
  },
  CERT_VALIDITY_DAYS: {
    schema: int(1, 3650).default(730),
    description: 'Validity of certificates issued by the local CA, in days.',
    secret: false,
  },
  CERT_LINK_TTL_HOURS: {
    schema: int(1, 24 * 30).default(72),
    description: "Lifetime of an applicant's single-use link (identity form, passphrase), in hours.",
    secret: false,
  },
  CERT_DOCUMENT_MAX_BYTES: {
    schema: int(1024, 100 * 1024 * 1024).default(10 * 1024 * 1024),
    description: 'Largest supporting document (recommendation letter, PDF to sign or verify, certificate) accepted, in bytes.',
    secret: false,
  },
  CERT_SIGN_MAX_ATTEMPTS: {
    schema: int(1, 100).default(5),
    description: "Wrong passphrases in a row before a certificate's signing is locked.",
    secret: false,
  },
  CERT_SIGN_LOCK_MINUTES: {
    schema: int(1, 24 * 60).default(30),
    description: 'How long signing stays locked after too many wrong passphrases.',
    secret: false,
  },
  CERT_TRUST_DIR: {
    schema: z.string().min(1).default('./certs/trust'),
    description:
      'Directory of CA certificates verification trusts besides the local CA (PEM or DER; self-signed ones become anchors, others intermediates), e.g. the national root and BSrE issuing CAs. Looked at again every minute.',
    secret: false,
  },
  CERT_OCSP_CACHE_SECONDS: {
    schema: int(0, 3600).default(60),
    description:
      "How long the OCSP responder keeps a certificate's status read from the database, and reuses a response it signed for requests without a nonce (RFC 5019 pre-produced responses; thisUpdate says when the status was read). A revocation or any other change drops the entry at once on every instance (LISTEN/NOTIFY); while that notification channel is down, every request reads the database. 0 reads and signs for every request.",
    secret: false,
  },
  CRL_VALIDITY_HOURS: {
    schema: int(1, 24 * 30).default(24),
    description: 'nextUpdate of the CRL, in hours after it is issued; the scheduler re-issues it before then.',
    secret: false,
  },
  BSRE_BASE_URL: {
    schema: z
      .url()
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    description: "Base URL of BSrE's eSign Client Service (needed when CERT_RA_ADAPTER=bsre).",
    secret: false,
    example: 'https://esign-client.example.go.id',
  },
  BSRE_USERNAME: { schema: z.string().min(1).optional(), description: 'HTTP Basic user name for the eSign Client Service.', secret: false },
  BSRE_PASSWORD: { schema: z.string().min(1).optional(), description: 'HTTP Basic password for the eSign Client Service.', secret: true },
  BSRE_TIMEOUT_MS: {
    schema: int(100, 600_000).default(15_000),
    description: 'Timeout of status, chain and verify calls to the eSign Client Service, in milliseconds.',
    secret: false,
  },
  BSRE_SIGN_TIMEOUT_MS: {
    schema: int(100, 600_000).default(60_000),
    description: 'Timeout of a sign call; after it the outcome is reported as unknown (never retried).',
    secret: false,
  },
  BSRE_POLL_MINUTES: {
    schema: int(1, 24 * 60).default(15),
    description: 'How often submissions recorded on the BSrE portal are followed by polling the holder status.',
    secret: false,
  },
} satisfies Record<string, ConfigVariable>;

type Vars = typeof CONFIG_VARIABLES;
export type AppConfigValues = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export class ConfigValidationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates the environment; throws naming every bad variable (without echoing secret values). */
export function parseConfig(env: Record<string, string | undefined>): AppConfigValues {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as [string, ConfigVariable][]) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = variable.schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  const values = out as AppConfigValues;
  if (values.NODE_ENV === 'production') {
    if (!values.AUTH_JWT_SECRET) problems.push('AUTH_JWT_SECRET: required when NODE_ENV=production');
    if (!values.DATA_ENCRYPTION_KEY) problems.push('DATA_ENCRYPTION_KEY: required when NODE_ENV=production');
  }
  if (values.API_WORKERS !== 1 && !values.DATABASE_URL) {
    problems.push('API_WORKERS: more than one worker needs DATABASE_URL (the embedded database belongs to one process)');
  }
  if (values.CERT_RA_ADAPTER === 'bsre') {
    for (const name of ['BSRE_BASE_URL', 'BSRE_USERNAME', 'BSRE_PASSWORD'] as const) {
      if (!values[name]) problems.push(`${name}: required when CERT_RA_ADAPTER=bsre`);
    }
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return values;
}

/** The `.env.example` text: every variable, its description, whether it is secret, and its default. */
export function renderEnvExample(): string {
  const lines = ['# Sandi configuration. Generated from libs/core/src/config/config.schema.ts — edit the schema, not this file.', ''];
  for (const [name, v] of Object.entries(CONFIG_VARIABLES) as [string, ConfigVariable][]) {
    const parsed = v.schema.safeParse(undefined);
    const def = parsed.success && parsed.data !== undefined ? String(parsed.data) : '';
    lines.push(`# ${v.description}${v.secret ? ' [secret]' : ''}`);
    lines.push(def ? `${name}=${def}` : `# ${name}=${v.example ?? ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
