/**
 * Password rules for staff accounts (in the spirit of NIST SP 800-63B and BSSN guidance): long,
 * varied, not derived from the username, not a known weak password.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set([
  'password1234',
  'passw0rd1234',
  'qwerty123456',
  '123456789012',
  'admin1234567',
  'administrator',
  'sandi1234567',
  'indonesia123',
  'indonesia2024',
  'indonesia2025',
  'indonesia2026',
  'bismillah123',
  'rahasia12345',
  'p@ssw0rd1234',
  'password@123',
  'welcome12345',
  'kominfo12345',
  'persandian123',
]);

export interface PasswordViolation {
  code: 'too_short' | 'too_long' | 'too_simple' | 'contains_username' | 'common' | 'repeated';
  message: string;
}

export function checkPassword(password: string, username?: string): PasswordViolation[] {
  const v: PasswordViolation[] = [];
  if (password.length < PASSWORD_MIN_LENGTH)
    v.push({ code: 'too_short', message: `Minimal ${PASSWORD_MIN_LENGTH} karakter (at least ${PASSWORD_MIN_LENGTH} characters)` });
  if (password.length > PASSWORD_MAX_LENGTH)
    v.push({ code: 'too_long', message: `Maksimal ${PASSWORD_MAX_LENGTH} karakter (at most ${PASSWORD_MAX_LENGTH} characters)` });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 4)
    v.push({
      code: 'too_simple',
      message: 'Harus memuat huruf kecil, huruf besar, angka dan simbol (needs lower case, upper case, a digit and a symbol)',
    });
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    v.push({ code: 'contains_username', message: 'Tidak boleh memuat nama pengguna (must not contain the username)' });
  if (COMMON.has(password.toLowerCase())) v.push({ code: 'common', message: 'Kata sandi terlalu umum (password is too common)' });
  if (/(.)\1{3,}/.test(password))
    v.push({ code: 'repeated', message: 'Tidak boleh ada karakter berulang 4 kali (no character repeated 4 times in a row)' });
  return v;
}
