/**
 * Identity numbers of the applicant. NIK (Nomor Induk Kependudukan, 16 digits on the KTP):
 *   PP KK CC DDMMYY SSSS — province, regency/city, district, birth date (women: day + 40), serial.
 * NIP (Nomor Induk Pegawai, 18 digits): YYYYMMDD birth date, YYYYMM appointment (TMT CPNS),
 *   G sex (1 male, 2 female), NNN serial.
 * The checks are plausibility checks (the format and its dates), not a population-register lookup.
 */

/** Province codes of Kemendagri (incl. the Papua provinces created in 2022). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92,
  93, 94, 95, 96,
]);

export interface NikParts {
  province: string;
  regency: string;
  district: string;
  /** YYYY-MM-DD when the century can be inferred; else MM-DD with two-digit year. */
  birthDate: string;
  sex: 'L' | 'P';
  serial: string;
}

export type IdentityCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Digits only; blanks and dots people type between groups are removed. */
export function normaliseIdentityNumber(raw: string): string {
  return raw.replace(/[\s.-]/g, '');
}

export function parseNik(raw: string, now = new Date()): IdentityCheck<NikParts> {
  const nik = normaliseIdentityNumber(raw);
  if (!/^\d{16}$/.test(nik)) return { ok: false, reason: 'NIK harus 16 digit angka (NIK must be 16 digits)' };
  const province = Number(nik.slice(0, 2));
  if (!PROVINCES.has(province)) return { ok: false, reason: 'kode provinsi NIK tidak dikenal (unknown province code)' };
  if (nik.slice(2, 4) === '00') return { ok: false, reason: 'kode kabupaten/kota NIK tidak valid (invalid regency code)' };
  if (nik.slice(4, 6) === '00') return { ok: false, reason: 'kode kecamatan NIK tidak valid (invalid district code)' };
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: 'L' | 'P' = day > 40 ? 'P' : 'L';
  if (day > 40) day -= 40;
  // A holder is at least 17 (KTP age); a two-digit year later than this year's is in the 1900s.
  const thisYear = now.getUTCFullYear();
  const year = 2000 + yy > thisYear ? 1900 + yy : 2000 + yy;
  if (!realDate(year, month, day)) return { ok: false, reason: 'tanggal lahir pada NIK tidak valid (invalid birth date in NIK)' };
  if (nik.slice(12) === '0000') return { ok: false, reason: 'nomor urut NIK tidak valid (invalid serial)' };
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    ok: true,
    value: { province: nik.slice(0, 2), regency: nik.slice(2, 4), district: nik.slice(4, 6), birthDate, sex, serial: nik.slice(12) },
  };
}

export interface NipParts {
  birthDate: string;
  appointed: string;
  sex: 'L' | 'P';
}

export function parseNip(raw: string): IdentityCheck<NipParts> {
  const nip = normaliseIdentityNumber(raw);
  if (!/^\d{18}$/.test(nip)) return { ok: false, reason: 'NIP harus 18 digit angka (NIP must be 18 digits)' };
  const by = Number(nip.slice(0, 4));
  const bm = Number(nip.slice(4, 6));
  const bd = Number(nip.slice(6, 8));
  if (by < 1940 || !realDate(by, bm, bd)) return { ok: false, reason: 'tanggal lahir pada NIP tidak valid (invalid birth date in NIP)' };
  const ay = Number(nip.slice(8, 12));
  const am = Number(nip.slice(12, 14));
  if (ay < by + 15 || am < 1 || am > 12)
    return { ok: false, reason: 'TMT pengangkatan pada NIP tidak valid (invalid appointment date in NIP)' };
  const g = nip[14];
  if (g !== '1' && g !== '2') return { ok: false, reason: 'kode jenis kelamin pada NIP tidak valid (invalid sex digit in NIP)' };
  return {
    ok: true,
    value: {
      birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
      appointed: `${nip.slice(8, 12)}-${nip.slice(12, 14)}`,
      sex: g === '1' ? 'L' : 'P',
    },
  };
}

/** NIK masked for lists: province/regency visible, the rest hidden but the last four. */
export function maskNik(nik: string): string {
  return `${nik.slice(0, 4)}${'*'.repeat(8)}${nik.slice(12)}`;
}

const COMMON = ['password', 'passphrase', 'qwerty', '12345678', 'indonesia', 'bismillah', 'sandi', 'rahasia', 'admin'];

/**
 * The passphrase guards the private key, which is stored only encrypted under it: it must resist
 * offline guessing. At least 10 characters with letters and digits, at most 128, not built from the
 * holder's own identifiers or a well-known word. The value is never stored or logged.
 */
export function checkPassphrase(passphrase: string, personal: { nik?: string; name?: string; email?: string }): IdentityCheck<true> {
  if (typeof passphrase !== 'string' || passphrase.length < 10)
    return { ok: false, reason: 'passphrase minimal 10 karakter (at least 10 characters)' };
  if (passphrase.length > 128) return { ok: false, reason: 'passphrase paling panjang 128 karakter (at most 128 characters)' };
  if (!/[A-Za-z]/.test(passphrase) || !/\d/.test(passphrase))
    return { ok: false, reason: 'passphrase harus memuat huruf dan angka (letters and digits required)' };
  if (new Set(passphrase).size < 5) return { ok: false, reason: 'passphrase terlalu berulang (too repetitive)' };
  const lower = passphrase.toLowerCase();
  if (COMMON.some((w) => lower.includes(w)))
    return { ok: false, reason: 'passphrase memuat kata yang mudah ditebak (contains a well-known word)' };
  const personalParts = [
    personal.nik,
    personal.nik?.slice(6, 12),
    personal.email?.split('@')[0],
    ...(personal.name ?? '').split(/\s+/).filter((w) => w.length >= 4),
  ].filter((p): p is string => !!p && p.length >= 4);
  if (personalParts.some((p) => lower.includes(p.toLowerCase()))) {
    return { ok: false, reason: 'passphrase tidak boleh memuat NIK, nama, atau e-mail Anda (must not contain your NIK, name or e-mail)' };
  }
  return { ok: true, value: true };
}
