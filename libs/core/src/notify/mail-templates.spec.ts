import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TEMPLATE_VARS,
  MAIL_TEMPLATES,
  MailTemplateError,
  placeholdersOf,
  renderMail,
  TEMPLATE_IDS,
  type MailTemplateDefinition,
} from './mail-templates.js';

const sample = (def: MailTemplateDefinition) =>
  Object.fromEntries([
    ...Object.entries(def.vars).map(([k, kind]) => [k, kind === 'datetime' ? '2026-01-12T07:30:00.000Z' : `val-${k}`]),
    ...BUILTIN_TEMPLATE_VARS.map((k) => [k, 'https://sandi.example.go.id']),
  ]);

describe('mail templates', () => {
  it.each(TEMPLATE_IDS)('%s declares every placeholder it uses and renders in id and en', (id) => {
    const def: MailTemplateDefinition = MAIL_TEMPLATES[id];
    for (const locale of ['id', 'en'] as const) {
      const used = [...placeholdersOf(def[locale].subject), ...placeholdersOf(def[locale].text)];
      for (const name of used) expect([...Object.keys(def.vars), ...BUILTIN_TEMPLATE_VARS]).toContain(name);
      const mail = renderMail(id, locale, sample(def));
      expect(mail.subject).not.toMatch(/\{\{|\n/);
      expect(mail.text).not.toContain('{{');
      expect(mail.html).toContain(`<html lang="${locale}">`);
    }
    expect(renderMail(id, 'id', sample(def)).text).not.toBe(renderMail(id, 'en', sample(def)).text);
  });

  it('throws on a missing variable, an unknown template and a bad date', () => {
    expect(() => renderMail('auth.account_locked', 'id', { name: 'Budi' })).toThrow(MailTemplateError);
    expect(() => renderMail('no.such', 'id', {})).toThrow(/Unknown mail template/);
    expect(() => renderMail('auth.account_locked', 'id', { name: 'Budi', until: 'tomorrow' })).toThrow(/ISO date-time/);
  });

  it('escapes variables in HTML only and keeps them out of header lines', () => {
    const mail = renderMail('auth.password_reset_by_admin', 'id', { name: '<script>x</script>', username: 'a&b', appUrl: 'https://x' });
    expect(mail.text).toContain('<script>x</script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).toContain('(a&amp;b)');
    expect(mail.html).not.toContain('<script>');
  });

  it('formats date-time variables in office time, per language', () => {
    const vars = { name: 'Budi', until: '2026-01-12T07:30:00.000Z' };
    expect(renderMail('auth.account_locked', 'id', vars).text).toContain('12 Januari 2026 pukul 14.30 WIB');
    expect(renderMail('auth.account_locked', 'en', vars).text).toMatch(/12 January 2026.*14:30/);
  });
});

describe('links in staff mail', () => {
  it('point at the web route of the incident page (/insiden/:id)', () => {
    const mail = renderMail('incidents.forwarded', 'id', {
      ticket: 'INC-2026-000001',
      title: 'x',
      priority: 'P2',
      team: 'Tim Analisis',
      incidentId: 'abc',
      appUrl: 'https://sandi.example.go.id',
    });
    expect(mail.text).toContain('https://sandi.example.go.id/insiden/abc');
  });
});
