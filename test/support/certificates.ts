import { expect } from 'vitest';
import { issuanceFields, samplePdf } from '../factories/certificate.factory.js';
import type { TestApp } from './app.js';

const API = '/api/v1';

/** Staff and applicant steps of the certificate procedures, as the e2e suites drive them. */
export interface CertificateDriver {
  verifier: string;
  ra: string;
  /** The DINKES unit's id (demo seed). */
  unitId: string;
  letter: Buffer;
  auth(token: string): { Authorization: string };
  act(id: string, action: string, token: string, body?: Record<string, string>): ReturnType<ReturnType<TestApp['http']>['post']>;
  /** Mails of one template to one address, oldest first. */
  mails(to: string, template: string): Promise<Array<{ subject: string; text_body: string }>>;
  /** The token of the newest link mail of this template to this address. */
  lastLink(to: string, template: string): Promise<string>;
  /** A verifier's issuance for a fresh applicant; answers the created application and who it is for. */
  applyForIssuance(): Promise<{ id: string; number: string; email: string; nik: string }>;
}

export async function certificateDriver(t: TestApp): Promise<CertificateDriver> {
  const verifier = await t.tokenFor('verifier');
  const ra = await t.tokenFor('ra_operator');
  const [u] = (await t.db.dataSource.query(`SELECT id FROM org_units WHERE code = 'DINKES'`)) as [{ id: string }];
  const letter = await samplePdf();
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const mails = async (to: string, template: string) =>
    (await t.db.dataSource.query(
      `SELECT subject, text_body FROM outbox_messages WHERE to_address = $1 AND template = $2 ORDER BY created_at, id`,
      [to, template],
    )) as Array<{
      subject: string;
      text_body: string;
    }>;
  return {
    verifier,
    ra,
    unitId: u.id,
    letter,
    auth,
    act: (id, action, token, body = {}) =>
      t.http().post(`${API}/certificates/applications/${id}/actions/${action}`).set(auth(token)).send(body),
    mails,
    async lastLink(to, template) {
      const m = /#token=([A-Za-z0-9_-]{43})/.exec((await mails(to, template)).at(-1)?.text_body ?? '');
      expect(m, `a ${template} mail to ${to}`).not.toBeNull();
      return m![1]!;
    },
    async applyForIssuance() {
      const fields = issuanceFields(u.id);
      const req = t.http().post(`${API}/certificates/applications/issuance`).set(auth(verifier));
      for (const [k, v] of Object.entries(fields)) void req.field(k, v);
      const res = await req.attach('documents', letter, { filename: 'surat-rekomendasi.pdf', contentType: 'application/pdf' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as string, number: res.body.number as string, email: fields.email!, nik: fields.nik! };
    },
  };
}
