import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTEFACTS, launchBrowser, shot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'Sandi#Demo2026';
const PASSPHRASE = 'Kopi tubruk 7 pagi hari';
const stamp = String(Date.now() % 10000).padStart(4, '0');
const NIK = `317401250190${stamp === '0000' ? '0001' : stamp}`;
const EMAIL = `siti.rahmawati${stamp}@dinkes.example.go.id`;
// The second applicant, who brings a key of their own (CSR): another NIK with the same birth date.
const stamp2 = String(((Number(stamp) + 5000) % 9999) + 1).padStart(4, '0');
const NIK2 = `317401250190${stamp2}`;
const EMAIL2 = `budi.santoso${stamp}@diskominfo.example.go.id`;
const run = promisify(execFile);

async function pdf(text: string): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return { name: `${text.toLowerCase().replace(/\s+/g, '-')}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) };
}

describe('e-signature certificates in Chromium: from the verifier form to a verified signed PDF', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let verifier: Page;
  let applicant: Page;
  let ra: Page;
  let number = '';
  let identityLink = '';
  let signed: Buffer;

  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_LOGIN_PER_MINUTE: '500', RATE_LIMIT_PUBLIC_PER_MINUTE: '500' });
    browser = await launchBrowser();
    const open = async () => {
      const c = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'id-ID',
        timezoneId: 'Asia/Jakarta',
        acceptDownloads: true,
      });
      contexts.push(c);
      return c.newPage();
    };
    verifier = await open();
    applicant = await open();
    ra = await open();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-welcome').waitFor();
  }

  /** The newest link of a kind mailed to the applicant (developer mailbox, read as admin). */
  async function mailedLink(kind: 'identitas' | 'passphrase', to = EMAIL): Promise<string> {
    const token = (await (
      await fetch(`${server.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
      })
    ).json()) as {
      accessToken: string;
    };
    let link: string | undefined;
    await expect
      .poll(
        async () => {
          const page = (await (
            await fetch(`${server.url}/api/v1/mailbox?pageSize=50`, { headers: { authorization: `Bearer ${token.accessToken}` } })
          ).json()) as { items: Array<{ to: string; text: string }> };
          const msg = page.items.find((m) => m.to === to && m.text.includes(`/tte/${kind}#token=`));
          link = msg ? /(https?:\/\/\S+\/tte\/\S+#token=[A-Za-z0-9_-]+)/.exec(msg.text)?.[1] : undefined;
          return link;
        },
        { timeout: 20_000 },
      )
      .toBeTruthy();
    return link!;
  }

  it('the verifier enters the applicant with the recommendation letter; bad input is shown on the form', async () => {
    await login(verifier, 'verifier');
    await verifier.getByTestId('nav-certificates').click();
    await verifier.getByTestId('cert-heading').waitFor();
    await verifier.getByTestId('cert-new-issuance').click();
    await verifier.getByTestId('cert-submit').click();
    await expect.poll(() => verifier.getByTestId('cert-nik-error').isVisible()).toBe(true);
    await verifier.getByTestId('cert-fullName').fill('Siti Rahmawati, S.Kom.');
    await verifier.getByTestId('cert-email').fill(EMAIL);
    await verifier.getByTestId('cert-nik').fill(NIK);
    await verifier.getByTestId('cert-position').fill('Pranata Komputer Ahli Muda');
    const units = await verifier.getByTestId('cert-unit').locator('option:not([disabled])').all();
    await verifier.getByTestId('cert-unit').selectOption((await units[1]!.getAttribute('value'))!);
    await verifier.getByTestId('cert-documents').setInputFiles(await pdf('Surat rekomendasi'));
    await shot(verifier, 'tte-01-issuance-form');
    await verifier.getByTestId('cert-submit').click();
    await verifier.getByTestId('cert-app-number').waitFor();
    number = (await verifier.getByTestId('cert-app-number').innerText()).trim();
    expect(number).toMatch(/^TTE-\d{4}-\d{6}$/);
    await expect.poll(() => verifier.getByTestId('cert-app-state').getAttribute('data-state')).toBe('awaiting_identity');
  });

  it('the applicant fills in the identity data through the single-use link; the used link then shows a clear page', async () => {
    identityLink = await mailedLink('identitas');
    await applicant.goto(identityLink);
    await applicant.getByTestId('tte-identity-nik').fill(NIK);
    await applicant.getByTestId('tte-identity-name').fill('SITI RAHMAWATI');
    await applicant.getByTestId('tte-identity-birth-place').fill('Jakarta');
    await applicant.getByTestId('tte-identity-birth-date').fill('1990-01-25');
    await applicant.getByTestId('tte-identity-phone').fill('+62 812 3456 7890');
    await applicant.getByTestId('tte-identity-address').fill('Jl. Merdeka No. 1, RT 001/RW 002, Gambir, Jakarta Pusat');
    await applicant.getByTestId('tte-identity-submit').click();
    await expect.poll(() => applicant.getByTestId('tte-identity-done').getAttribute('data-state')).toBe('identity_review');
    await applicant.goto('about:blank');
    await applicant.goto(identityLink);
    await expect.poll(() => applicant.getByTestId('tte-link-problem').getAttribute('data-reason')).toBe('used');
    await shot(applicant, 'tte-02-link-used');
  });

  it('the verifier approves; the applicant sets a passphrase that meets the rules', async () => {
    await verifier.getByTestId('cert-app-refresh').click();
    await verifier.getByTestId('cert-action-approve_identity').click();
    await verifier.getByTestId('cert-action-submit').click();
    await expect.poll(() => verifier.getByTestId('cert-app-state').getAttribute('data-state')).toBe('awaiting_passphrase');

    await applicant.goto('about:blank');
    await applicant.goto(await mailedLink('passphrase'));
    await applicant.getByTestId('tte-passphrase').fill('rahmawati123');
    await expect.poll(() => applicant.getByTestId('tte-passphrase-rules').locator('[data-ok="false"]').count()).toBeGreaterThan(0);
    await applicant.getByTestId('tte-passphrase').fill(PASSPHRASE);
    await applicant.getByTestId('tte-passphrase-confirm').fill(PASSPHRASE);
    await applicant.getByTestId('tte-passphrase-submit').click();
    await expect.poll(() => applicant.getByTestId('tte-passphrase-done').getAttribute('data-state'), { timeout: 60_000 }).toBe('ra_review');
    await shot(applicant, 'tte-03-passphrase-set');
  });

  it('the RA operator approves and the certificate is issued', async () => {
    await login(ra, 'ra.operator');
    await ra.getByTestId('nav-certificates').click();
    await ra.getByTestId(`cert-app-link-${number}`).click();
    await ra.getByTestId('cert-action-ra_approve').click();
    await ra.getByTestId('cert-action-submit').click();
    await expect.poll(() => ra.getByTestId('cert-app-state').getAttribute('data-state')).toBe('completed');
    await shot(ra, 'tte-04-ra-approved');
  });

  it('the applicant signs a PDF with NIK + passphrase after one wrong try', async () => {
    await applicant.goto(`${server.url}/tte`);
    await applicant.getByTestId('tte-home-sign').click();
    await applicant.getByTestId('tte-sign-file').setInputFiles(await pdf('Nota dinas'));
    await applicant.getByTestId('tte-sign-nik').fill(NIK);
    await applicant.getByTestId('tte-sign-passphrase').fill('salah salah 123');
    await applicant.getByTestId('tte-sign-submit').click();
    await expect.poll(() => applicant.getByTestId('tte-sign-wrong-passphrase').getAttribute('data-attempts-left')).toBe('4');
    expect(new URL(applicant.url()).pathname).toBe('/tte/tanda-tangan');
    await applicant.getByTestId('tte-sign-passphrase').fill(PASSPHRASE);
    await applicant.getByTestId('tte-sign-visible').check();
    await applicant.getByTestId('tte-sign-reason').fill('Menyetujui');
    const [download] = await Promise.all([applicant.waitForEvent('download'), applicant.getByTestId('tte-sign-submit').click()]);
    const path = join(ARTEFACTS, `tte-${download.suggestedFilename()}`);
    await download.saveAs(path);
    signed = await readFile(path);
    expect(signed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(signed.includes(Buffer.from('/ETSI.CAdES.detached'))).toBe(true);
    await applicant.getByTestId('tte-sign-done').waitFor();
    await shot(applicant, 'tte-05-signed');
  });

  it('the verification page accepts the signed PDF and finds nothing on an unsigned one', async () => {
    await applicant.getByTestId('tte-nav-verify').click();
    await applicant
      .getByTestId('tte-verify-file')
      .setInputFiles({ name: 'nota-dinas-ttd.pdf', mimeType: 'application/pdf', buffer: signed });
    await applicant.getByTestId('tte-verify-submit').click();
    await expect.poll(() => applicant.getByTestId('tte-verify-summary').getAttribute('data-verdict')).toBe('valid');
    expect(await applicant.getByTestId('tte-verify-signer').innerText()).toContain('Siti Rahmawati');
    await shot(applicant, 'tte-06-verified');
    await applicant.getByTestId('tte-verify-file').setInputFiles(await pdf('Tanpa tanda tangan'));
    await applicant.getByTestId('tte-verify-submit').click();
    await applicant.getByTestId('tte-verify-no-signatures').waitFor();
  });

  it("an applicant with their own key sends a CSR instead of a passphrase; the RA reviews it and the certificate shows the holder's custody", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandi-browser-csr-'));
    try {
      // Steps 1–3 as above, for a second applicant.
      await verifier.getByTestId('nav-certificates').click();
      await verifier.getByTestId('cert-new-issuance').click();
      await verifier.getByTestId('cert-fullName').fill('Budi Santoso, S.T.');
      await verifier.getByTestId('cert-email').fill(EMAIL2);
      await verifier.getByTestId('cert-nik').fill(NIK2);
      await verifier.getByTestId('cert-position').fill('Sandiman Ahli Pertama');
      const units = await verifier.getByTestId('cert-unit').locator('option:not([disabled])').all();
      await verifier.getByTestId('cert-unit').selectOption((await units[1]!.getAttribute('value'))!);
      await verifier.getByTestId('cert-documents').setInputFiles(await pdf('Surat rekomendasi Budi'));
      await verifier.getByTestId('cert-submit').click();
      await expect.poll(() => verifier.getByTestId('cert-app-state').getAttribute('data-state')).toBe('awaiting_identity');
      const number2 = (await verifier.getByTestId('cert-app-number').innerText()).trim();
      expect(number2).not.toBe(number);

      await applicant.goto('about:blank');
      await applicant.goto(await mailedLink('identitas', EMAIL2));
      await applicant.getByTestId('tte-identity-nik').fill(NIK2);
      await applicant.getByTestId('tte-identity-name').fill('BUDI SANTOSO');
      await applicant.getByTestId('tte-identity-birth-place').fill('Bandung');
      await applicant.getByTestId('tte-identity-birth-date').fill('1990-01-25');
      await applicant.getByTestId('tte-identity-phone').fill('+62 813 1111 2222');
      await applicant.getByTestId('tte-identity-address').fill('Jl. Asia Afrika No. 8, Sumur Bandung, Kota Bandung');
      await applicant.getByTestId('tte-identity-submit').click();
      await expect.poll(() => applicant.getByTestId('tte-identity-done').getAttribute('data-state')).toBe('identity_review');
      await verifier.getByTestId('cert-app-refresh').click();
      await verifier.getByTestId('cert-action-approve_identity').click();
      await verifier.getByTestId('cert-action-submit').click();
      await expect.poll(() => verifier.getByTestId('cert-app-state').getAttribute('data-state')).toBe('awaiting_passphrase');

      // Step 4, the other way: the passphrase stays the default; the CSR is an explicit second choice.
      await applicant.goto('about:blank');
      await applicant.goto(await mailedLink('passphrase', EMAIL2));
      await applicant.getByTestId('tte-passphrase-form').waitFor();
      await applicant.getByTestId('tte-csr-offer').waitFor();
      await shot(applicant, 'tte-07-csr-offer');
      await applicant.getByTestId('tte-csr-choose').click();
      await expect.poll(() => applicant.getByTestId('tte-passphrase-heading').getAttribute('data-mode')).toBe('csr');
      expect(await applicant.getByTestId('tte-csr-warning').innerText()).toContain('tidak dapat menandatangani dokumen di situs ini');
      await shot(applicant, 'tte-08-csr-chosen');

      // Garbage is refused by the server with a plain Indonesian explanation; the link stays usable.
      await applicant.getByTestId('tte-csr').fill('ini bukan permintaan sertifikat');
      await applicant.getByTestId('tte-csr-ack').check();
      await applicant.getByTestId('tte-csr-submit').click();
      await expect.poll(() => applicant.getByTestId('tte-csr-problem').getAttribute('data-reason')).toBe('MALFORMED_CSR');
      expect(await applicant.getByTestId('tte-csr-problem-title').innerText()).toBe('Teks ini bukan CSR yang dapat dibaca');
      await shot(applicant, 'tte-09-csr-refused');

      // A private key picked by mistake never reaches the form (nor the server).
      const csrPath = join(dir, 'permintaan.csr');
      const keyPath = join(dir, 'kunci-saya.key');
      await run('openssl', [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=x',
        '-keyout',
        keyPath,
        '-out',
        csrPath,
      ]);
      await applicant.getByTestId('tte-csr-file').setInputFiles(keyPath);
      await applicant.getByTestId('tte-csr-file-error').waitFor();
      expect(await applicant.getByTestId('tte-csr').inputValue()).toBe('ini bukan permintaan sertifikat');

      await applicant.getByTestId('tte-csr').fill(await readFile(csrPath, 'utf8'));
      await applicant.getByTestId('tte-csr-submit').click();
      await expect.poll(() => applicant.getByTestId('tte-csr-done').getAttribute('data-state')).toBe('ra_review');
      await shot(applicant, 'tte-10-csr-sent');

      // The RA operator sees the request: requested subject (not copied), key, algorithm, PEM.
      await ra.getByTestId('nav-certificates').click();
      await ra.getByTestId(`cert-app-link-${number2}`).click();
      await expect.poll(() => ra.getByTestId('cert-app-key-source').getAttribute('data-key-source')).toBe('csr');
      await ra.getByTestId('cert-app-csr').waitFor();
      expect(await ra.getByTestId('cert-csr-subject').innerText()).toContain('CN=x');
      expect(await ra.getByTestId('cert-csr-subject-note').innerText()).toContain('Budi Santoso');
      expect(await ra.getByTestId('cert-csr-key').innerText()).toContain('P-256');
      expect(await ra.getByTestId('cert-csr-signature-algorithm').innerText()).toMatch(/ecdsa/i);
      await ra.getByTestId('cert-csr-pem-toggle').locator('summary').click();
      expect(await ra.getByTestId('cert-csr-pem').innerText()).toContain('BEGIN CERTIFICATE REQUEST');
      expect(await ra.getByTestId('cert-timeline').locator('[data-action="submit_csr"]').count()).toBe(1);
      await shot(ra, 'tte-11-ra-csr-review');
      await ra.getByTestId('cert-action-ra_approve').click();
      await ra.getByTestId('cert-action-submit').click();
      await expect.poll(() => ra.getByTestId('cert-app-state').getAttribute('data-state')).toBe('completed');

      // The certificate: the private key is the holder's, and the list marks it.
      await ra.getByTestId('cert-app-issued-link').click();
      await expect.poll(() => ra.getByTestId('cert-key-custody').getAttribute('data-custody')).toBe('holder');
      expect(await ra.getByTestId('cert-key-custody').innerText()).toContain('Dipegang pemohon sendiri (CSR)');
      const serial = (await ra.getByTestId('cert-serial').innerText()).trim();
      await shot(ra, 'tte-12-holder-key-certificate');
      await ra.getByTestId('cert-back').click();
      await ra.getByTestId(`cert-holder-key-${serial}`).waitFor();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
