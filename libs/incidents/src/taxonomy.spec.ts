import { describe, expect, it } from 'vitest';
import { categoryLabel, normaliseCategory, QUICK_PICKS, RSIT_ALIASES, RSIT_CLASSES, RSIT_CODES } from './taxonomy.js';

describe('RSIT taxonomy', () => {
  it('holds the eleven RSIT classes and every type of version 1003', () => {
    expect(RSIT_CLASSES.map((c) => c.code)).toEqual([
      'abusive-content',
      'malicious-code',
      'information-gathering',
      'intrusion-attempts',
      'intrusions',
      'availability',
      'information-content-security',
      'fraud',
      'vulnerable',
      'other',
      'test',
    ]);
    expect(RSIT_CODES).toHaveLength(39);
    for (const code of [
      'abusive-content/spam',
      'malicious-code/infected-system',
      'information-gathering/scanner',
      'intrusion-attempts/ids-alert',
      'intrusions/application-compromise',
      'availability/ddos',
      'information-content-security/unauthorised-information-access',
      'information-content-security/data-leak',
      'fraud/phishing',
      'vulnerable/vulnerable-system',
      'other/other',
      'other/undetermined',
      'test/test',
    ]) {
      expect(RSIT_CODES).toContain(code);
    }
    for (const c of RSIT_CLASSES) for (const t of c.types) expect(t.code.startsWith(`${c.code}/`)).toBe(true);
    expect(new Set(RSIT_CODES).size).toBe(RSIT_CODES.length);
  });

  it('labels every class and type in Bahasa Indonesia and English', () => {
    for (const c of RSIT_CLASSES) {
      expect(c.label.id && c.label.en).toBeTruthy();
      for (const t of c.types) expect(t.label.id && t.label.en).toBeTruthy();
    }
    expect(categoryLabel('fraud/phishing')).toMatchObject({ en: 'Phishing', classLabel: { id: 'Penipuan', en: 'Fraud' } });
  });

  it('normalises case and whitespace, resolves aliases to RSIT values, and refuses anything else', () => {
    expect(normaliseCategory('  Availability/DDoS ')).toBe('availability/ddos');
    expect(normaliseCategory('information-gathering/scanning')).toBe('information-gathering/scanner');
    expect(normaliseCategory('intrusion-attempts/exploit-known-vuln')).toBe('intrusion-attempts/ids-alert');
    for (const target of Object.values(RSIT_ALIASES)) expect(RSIT_CODES).toContain(target);
    for (const bad of [
      '',
      'availability',
      'availability/',
      '/ddos',
      'availability/ddos/x',
      'hacking/deface',
      'fraud/phishing ; drop table',
      '__proto__',
      'constructor',
    ]) {
      expect(normaliseCategory(bad), bad).toBeNull();
    }
  });

  it('maps every quick pick to an RSIT type', () => {
    const keys = QUICK_PICKS.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining(['web-defacement', 'ddos', 'phishing', 'sql-injection', 'malware', 'ransomware', 'data-leak']),
    );
    for (const p of QUICK_PICKS) expect(RSIT_CODES).toContain(p.category);
    expect(QUICK_PICKS.find((p) => p.key === 'sql-injection')?.category).toBe('intrusions/application-compromise');
    expect(QUICK_PICKS.find((p) => p.key === 'web-defacement')?.category).toBe(
      'information-content-security/unauthorised-information-modification',
    );
  });
});
