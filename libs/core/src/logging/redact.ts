export const REDACTED = '[REDACTED]';

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'nik',
  'pin',
  'otp',
  'cookie',
  'authorization',
  'credential',
  'credentials',
  'key',
  'private',
]);
const SAFE_KEY_PHRASES = new Set([
  'publickey',
  'keyusage',
  'keyid',
  'keyalgorithm',
  'extendedkeyusage',
  'subjectkeyidentifier',
  'authoritykeyidentifier',
  'tokentype',
]);

/**
 * Whether a field name holds a secret (passwords, passphrases, tokens, keys, NIK), judged by its
 * words — so `accessToken`, `private_key`, `newPassword` and `nik` are secret, but `publicKey`,
 * `monkey` and `teknik` are not.
 */
export function isSecretKey(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
  if (SAFE_KEY_PHRASES.has(words.join(''))) return false;
  return words.some((w) => SECRET_WORDS.has(w));
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/** Masks credentials inside connection URLs (postgres://user:pass@host → postgres://user:***@host). */
export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
