import { describe, expect, it } from 'vitest';
import { checkPassphrase, maskNik, parseNik, parseNip } from './identity.policy.js';

const now = new Date('2026-11-22T00:00:00Z');

describe('NIK', () => {
  it('reads region, birth date, sex and serial', () => {
    const r = parseNik('3174012501900001', now);
    expect(r).toEqual({
      ok: true,
      value: { province: '31', regency: '74', district: '01', birthDate: '1990-01-25', sex: 'L', serial: '0001' },
    });
    const w = parseNik('3273 0465 0803 0002', now);
    expect(w.ok && w.value).toMatchObject({ birthDate: '2003-08-25', sex: 'P' });
  });

  it.each([
    ['317401250190001', '16 digit'],
    ['31740125019000a1', '16 digit'],
    ['9974012501900001', 'provinsi'],
    ['3100012501900001', 'kabupaten'],
    ['3174002501900001', 'kecamatan'],
    ['3174013202900001', 'tanggal lahir'],
    ['3174017202900001', 'tanggal lahir'],
    ['3174012913900001', 'tanggal lahir'],
    ['3174012501900000', 'nomor urut'],
  ])('refuses %s (%s)', (nik, why) => {
    const r = parseNik(nik, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(why);
  });

  it('masks all but the region and the last four digits', () => {
    expect(maskNik('3174012501900001')).toBe('3174********0001');
  });
});

describe('NIP', () => {
  it('reads birth date, appointment and sex', () => {
    expect(parseNip('199001252015031001')).toEqual({ ok: true, value: { birthDate: '1990-01-25', appointed: '2015-03', sex: 'L' } });
  });
  it.each([
    ['19900125201503100', '18 digit'],
    ['199002302015031001', 'tanggal lahir'],
    ['199001251995031001', 'TMT'],
    ['199001252015131001', 'TMT'],
    ['199001252015033001', 'jenis kelamin'],
  ])('refuses %s (%s)', (nip, why) => {
    const r = parseNip(nip);
    expect(!r.ok && r.reason).toContain(why);
  });
});

describe('passphrase', () => {
  const me = { nik: '3174012501900001', name: 'Siti Rahmawati', email: 'siti.r@kominfo.go.id' };
  it('accepts a long mixed passphrase', () => {
    expect(checkPassphrase('Kopi-Tubruk 2026 pagi', me).ok).toBe(true);
  });
  it.each([
    ['short1', 'minimal 10'],
    ['onlyletterspassphrase', 'huruf dan angka'],
    ['aaaa1111aaaa', 'berulang'],
    ['Password2026!', 'mudah ditebak'],
    ['Rahmawati2026#', 'NIK, nama'],
    ['x3174012501900001', 'NIK, nama'],
    ['siti.r-2026-ok', 'NIK, nama'],
    ['a1'.repeat(65), 'paling panjang'],
  ])('refuses %s', (p, why) => {
    const r = checkPassphrase(p, me);
    expect(!r.ok && r.reason).toContain(why);
  });
});
