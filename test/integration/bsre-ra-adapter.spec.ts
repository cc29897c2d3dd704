import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BsreRaAdapter } from '@sandi/certificates';
import { BsreClient } from '../../libs/certificates/src/ra/bsre/bsre.client.js';
import { startBsreTestServer, type BsreTestServer } from '../support/bsre-test-server.js';
import { samplePdf } from '../factories/certificate.factory.js';

describe('BSrE RA adapter signing outcomes', () => {
  let server: BsreTestServer;
  beforeAll(async () => {
    server = await startBsreTestServer({
      holders: [{ nik: '3174012501900001', email: 'budi@example.go.id', status: 'ISSUE', passphrase: 'Benar-Sekali 2026', chain: [] }],
    });
  });
  afterAll(() => server?.close());

  const adapter = (password: string) =>
    new BsreRaAdapter(new BsreClient({ baseUrl: server.url, username: server.username, password, timeoutMs: 2000, signTimeoutMs: 2000 }));

  it('reports wrong Basic credentials as a failure that signed nothing, without echoing them', async () => {
    const result = await adapter('kata-sandi-salah-XYZ').sign({
      nik: '3174012501900001',
      passphrase: 'Benar-Sekali 2026',
      pdf: await samplePdf(),
      reason: 'uji',
    });
    expect(result).toEqual({ outcome: 'failed', reason: 'UNAUTHORIZED' });
    expect(JSON.stringify(result)).not.toContain('kata-sandi-salah-XYZ');
    expect(server.state.signed).toBe(0);
  });

  it('maps the body refusing a wrong passphrase to wrong_passphrase', async () => {
    const result = await adapter(server.password).sign({
      nik: '3174012501900001',
      passphrase: 'Salah 12345678',
      pdf: await samplePdf(),
      reason: 'uji',
    });
    expect(result).toEqual({ outcome: 'wrong_passphrase' });
  });
});
