import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, shot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'Sandi#Demo2026';
const TEMPLATE_TITLE = 'Pemulihan situs yang dideface';
const TEMPLATE_TEXT = 'Ambil salinan log akses, pulihkan situs dari cadangan bersih, dan ganti seluruh kata sandi admin CMS.';
const COMMENT = 'Catatan internal: pelaku memakai plugin upload yang rentan.';
const CLOSING = 'Situs dinas sudah pulih; mohon laporkan bila halaman judi muncul kembali.';

/** A value for <input type="datetime-local"> in office time (the contexts run in Asia/Jakarta). */
function wibLocal(msAgo: number): string {
  return new Date(Date.now() - msAgo + 7 * 3600_000).toISOString().slice(0, 16);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('SOC incident service in Chromium: public report to closure', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  const evidence = { name: 'tangkapan-layar-deface.png', mimeType: 'image/png', buffer: randomBytes(1536) };
  let ticket = '';
  let trackingUrl = '';
  let incidentPath = '';
  let reporter: Page;
  const staff = new Map<string, Page>();

  beforeAll(async () => {
    // Small evidence limits, so the form's own check of the published limits can be seen at work.
    server = await startServer({
      RATE_LIMIT_LOGIN_PER_MINUTE: '500',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '500',
      INCIDENT_EVIDENCE_MAX_BYTES: '65536',
      INCIDENT_EVIDENCE_MAX_FILES: '3',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    return page;
  }

  /** A team member in a browser of their own, signed in, on the incident's page. */
  async function staffOn(username: string): Promise<Page> {
    let page = staff.get(username);
    if (!page) {
      page = await newPage();
      staff.set(username, page);
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-welcome').waitFor();
      // Their own queue holds the incident now: open it from there.
      await page.getByTestId('nav-incidents').click();
      await page.getByTestId(`incident-row-${ticket}`).waitFor();
      await page.getByTestId(`incident-link-${ticket}`).click();
    } else {
      await page.goto(`${server.url}${incidentPath}`);
    }
    await expect.poll(() => page.getByTestId('incident-ticket').innerText()).toBe(ticket);
    return page;
  }

  async function status(page: Page): Promise<string | null> {
    return page.getByTestId('incident-status').getAttribute('data-status');
  }

  /** Opens a step's form, lets `fill` complete it, submits, and waits for the new state. */
  async function step(page: Page, action: string, next: string, fill: () => Promise<void> = async () => {}) {
    await page.getByTestId(`action-${action}`).click();
    await page.getByTestId('action-form').waitFor();
    await fill();
    await page.getByTestId('action-submit').click();
    await expect.poll(() => status(page)).toBe(next);
    await page.getByTestId('action-notice').waitFor();
  }

  it('a member of the public reports from the login page with evidence and gets a ticket and a secret tracking link', async () => {
    reporter = await newPage();
    await reporter.goto(`${server.url}/login`);
    await reporter.getByTestId('login-report-link').click();
    await reporter.getByTestId('report-heading').waitFor();
    expect(new URL(reporter.url()).pathname).toBe('/lapor');

    // Client-side checks before anything is sent.
    await reporter.getByTestId('report-submit').click();
    await reporter.getByTestId('report-name-error').waitFor();
    await reporter.getByTestId('report-email-error').waitFor();

    await reporter.getByTestId('report-name').fill('Siti Rahmawati');
    await reporter.getByTestId('report-email').fill('siti.rahmawati@dinkes.example.go.id');
    await reporter.getByTestId('report-phone').fill('+62 812-3456-7890');
    await reporter.getByTestId('report-organisation').fill('Dinas Kesehatan');
    await reporter.getByTestId('report-unit').fill('Seksi Sistem Informasi Kesehatan');
    await reporter.getByTestId('report-title').fill('Situs dinas disisipi halaman judi online');
    await reporter
      .getByTestId('report-description')
      .fill('Sejak pagi halaman utama situs dinas memuat tautan judi online dan ada halaman baru /slot-gacor.');
    await reporter.getByTestId('report-occurred-at').fill(wibLocal(3 * 3600_000));
    await reporter.getByTestId('report-affected').fill('https://dinkes.example.go.id\nserver web dinkes');
    // Quick picks come from the taxonomy, loaded after the page.
    await reporter.getByTestId('report-pick-web-defacement').check();
    await reporter.getByTestId('report-impact').selectOption('high');
    await reporter.getByTestId('report-observables-toggle').locator('summary').click();
    await reporter.getByTestId('report-obs-add').click();
    await reporter.getByTestId('report-obs-type-0').selectOption('url');
    await reporter.getByTestId('report-obs-value-0').fill('hxxps://dinkes.example[.]go.id/slot-gacor');
    // The form knows the server's limits (GET /public/incidents/form) and stops a file over them before uploading it.
    await expect.poll(() => reporter.getByTestId('report-evidence-hint').innerText()).toMatch(/3 berkas.*64 KB/);
    await reporter
      .getByTestId('report-evidence')
      .setInputFiles({ name: 'rekaman-besar.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(70_000, 1) });
    await reporter.getByTestId('report-evidence-warning').waitFor();
    let uploads = 0;
    reporter.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/public/incidents')) uploads++;
    });
    await reporter.getByTestId('report-submit').click();
    await expect.poll(() => reporter.getByTestId('report-evidence').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(uploads).toBe(0);
    await reporter.getByRole('button', { name: /rekaman-besar\.mp4/ }).click();
    await reporter.getByTestId('report-evidence').setInputFiles(evidence);
    await expect.poll(() => reporter.getByTestId('report-evidence-list').innerText()).toContain(evidence.name);
    expect(await reporter.getByTestId('report-evidence-warning').count()).toBe(0);
    await shot(reporter, 'inc-01-report-form');

    await reporter.getByTestId('report-submit').click();
    await reporter.getByTestId('report-success').waitFor();
    ticket = await reporter.getByTestId('report-ticket').innerText();
    expect(ticket).toMatch(/^INC-\d{4}-\d{6}$/);
    trackingUrl = await reporter.getByTestId('report-tracking-url').inputValue();
    expect(trackingUrl).toMatch(new RegExp(`#ticket=${ticket}&token=[A-Za-z0-9_-]{43}$`));
    expect(await reporter.getByTestId('report-keep-warning').innerText()).toMatch(/rahasia/);
    await shot(reporter, 'inc-02-report-receipt');

    await reporter.getByTestId('report-open-tracking').click();
    await expect.poll(() => reporter.getByTestId('track-status').getAttribute('data-status')).toBe('reported');
    expect(await reporter.getByTestId('track-ticket').innerText()).toBe(ticket);
    expect(await reporter.getByTestId('track-status-label').innerText()).toBe('Laporan diterima');

    // The link from the receipt (the server's own path) leads to the same page.
    await reporter.goto(trackingUrl);
    await expect.poll(() => reporter.getByTestId('track-status').getAttribute('data-status')).toBe('reported');
    expect(new URL(reporter.url()).pathname).toBe('/lacak');
    expect(await reporter.getByTestId('track-milestone').count()).toBe(1);
    await shot(reporter, 'inc-03-tracking-received');
  });

  it('helpdesk finds it in its queue, checks the evidence by SHA-256, validates it, and sees a stale step refused with 409', async () => {
    const page = await staffOn('helpdesk');
    incidentPath = new URL(page.url()).pathname;
    expect(incidentPath).toMatch(/^\/insiden\/[0-9a-f-]{36}$/);
    await page.getByTestId('evidence-row').first().waitFor();
    const row = page.getByTestId('evidence-row').filter({ hasText: evidence.name });
    expect(await row.getByTestId('evidence-sha256').innerText()).toBe(sha256(evidence.buffer));
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('evidence-download').click()]);
    expect(download.suggestedFilename()).toBe(evidence.name);
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(evidence.buffer));
    // Re-hashing the stored bytes: intact, and recorded as a custody event.
    await row.getByTestId('evidence-verify').click();
    await expect.poll(() => row.getByTestId('evidence-verify-result').getAttribute('data-status')).toBe('intact');
    await expect.poll(() => page.getByTestId('timeline').innerText()).toContain('Keutuhan bukti diperiksa');
    await expect
      .poll(() => page.getByTestId('observable-row').first().getAttribute('data-value'))
      .toBe('https://dinkes.example.go.id/slot-gacor');
    // The reporter's phone is masked until the helpdesk asks for it (the server audits the reveal).
    const phone = page.getByTestId('incident-reporter-phone');
    expect(await phone.innerText()).toBe('+62 *********7890');
    await page.getByTestId('incident-reporter-phone-reveal').click();
    await expect.poll(() => phone.getAttribute('data-revealed')).toBe('true');
    expect(await phone.innerText()).toBe('+62 812-3456-7890');
    // Only the helpdesk's steps are offered.
    for (const a of ['validate', 'return_incomplete', 'reject_out_of_scope', 'reclassify']) await page.getByTestId(`action-${a}`).waitFor();
    expect(await page.getByTestId('action-record').count()).toBe(0);
    await page.getByTestId('comment-input').fill(COMMENT);
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => page.getByTestId('timeline').innerText()).toContain(COMMENT);
    await shot(page, 'inc-04-helpdesk-detail');

    // A second tab, opened before the step, goes stale.
    const stale = await page.context().newPage();
    await stale.goto(`${server.url}${incidentPath}`);
    await stale.getByTestId('action-validate').waitFor();

    await step(page, 'validate', 'validated', async () => {
      const dinkes = await page
        .getByTestId('action-field-classification.opdUnitId')
        .locator('option', { hasText: 'Dinas Kesehatan' })
        .getAttribute('value');
      await page.getByTestId('action-field-classification.opdUnitId').selectOption(dinkes!);
      await page.getByTestId('action-field-classification.urgency').selectOption('high');
      await expect.poll(() => page.getByTestId('action-priority-preview').innerText()).toContain('P1');
      await page.getByTestId('action-field-note').fill('Bukti valid; situs milik Dinas Kesehatan.');
    });
    await expect.poll(() => page.getByTestId('incident-priority').getAttribute('data-priority')).toBe('P1');
    expect(await page.getByTestId('incident-opd').innerText()).toBe('Dinas Kesehatan');
    await page.getByTestId('actions-none').waitFor();
    await shot(page, 'inc-05-validated');

    await stale.getByTestId('action-validate').click();
    await stale.getByTestId('action-submit').click();
    await expect.poll(() => stale.getByTestId('action-refused').getAttribute('data-status')).toBe('409');
    expect(await stale.getByTestId('action-error-detail').innerText()).toMatch(/tidak diizinkan/);
    await stale.getByTestId('action-error-allowed').waitFor();
    await expect.poll(() => stale.getByTestId('incident-status').getAttribute('data-status')).toBe('validated');
    await shot(stale, 'inc-06-stale-409');
    await stale.close();
  });

  it('the data team records it and forwards it to analysis', async () => {
    const page = await staffOn('incident.data');
    await step(page, 'record', 'recorded', () => page.getByTestId('action-field-note').fill('Dicatat dalam register insiden.'));
    expect(await page.getByTestId('incident-team').innerText()).toBe('Tim Analisis Insiden');
  });

  it('the analysis team analyses, sends the initial recommendation from a template, and hands over', async () => {
    const page = await staffOn('incident.analyst');
    // A template for defacements first.
    await page.goto(`${server.url}/insiden/templat`);
    await page.getByTestId('templates-create-open').click();
    await page.getByTestId('template-title').fill(TEMPLATE_TITLE);
    await page.getByTestId('template-body-id').fill(TEMPLATE_TEXT);
    await page
      .getByTestId('template-body-en')
      .fill('Keep the access logs, restore the site from a clean backup and change every CMS admin password.');
    await page.getByTestId('template-categories').selectOption(['information-content-security/unauthorised-information-modification']);
    await page.getByTestId('template-submit').click();
    await page.getByTestId(`template-row-${TEMPLATE_TITLE}`).waitFor();

    await page.goto(`${server.url}${incidentPath}`);
    await step(page, 'start_analysis', 'in_analysis');
    expect(await page.getByTestId('action-hand_over').count()).toBe(0);
    await page.getByTestId('actions-hand-over-hint').waitFor();
    expect(await page.getByTestId('incident-assignee-analysis').innerText()).toBe('Demo Tim Analisis Insiden');

    await page.getByTestId('observable-add-type').selectOption('ipv4');
    await page.getByTestId('observable-add-value').fill('203.0.113.7');
    await page.getByTestId('observable-add-submit').click();
    await page.locator('[data-testid="observable-row"][data-value="203.0.113.7"]').waitFor();

    await page.getByTestId('action-send_initial_recommendation').click();
    await page.getByTestId('action-template').selectOption({ label: TEMPLATE_TITLE });
    await expect.poll(() => page.getByTestId('action-field-recommendation').inputValue()).toBe(TEMPLATE_TEXT);
    await page.getByTestId('action-field-recommendation').fill(`${TEMPLATE_TEXT} Nonaktifkan plugin upload sampai ditambal.`);
    await shot(page, 'inc-07-recommendation-form');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('incident-recommendation').waitFor();
    expect(await status(page)).toBe('in_analysis');
    await expect.poll(() => page.getByTestId('incident-sla-recommendation').getAttribute('data-sla')).toBe('met');

    await step(page, 'hand_over', 'in_handling', () =>
      page.getByTestId('action-field-note').fill('Perlu pembersihan server dan koordinasi dengan penyedia hosting.'),
    );
  });

  it('the handling team records its coordination with another CSIRT, exports STIX, and returns the resolution report', async () => {
    const page = await staffOn('incident.handler');
    await step(page, 'record_coordination', 'in_handling', async () => {
      await page.getByTestId('action-field-coordination.partyName').fill('Gov-CSIRT Indonesia (BSSN)');
      await page.getByTestId('action-field-coordination.partyKind').selectOption('csirt');
      await page.getByTestId('action-field-coordination.contact').fill('bantuan70@bssn.go.id');
      await page.getByTestId('action-field-coordination.contactedAt').fill(wibLocal(30 * 60_000));
      await page.getByTestId('action-field-coordination.theirReference').fill('BSSN-2026-0042');
      await page.getByTestId('action-field-coordination.notes').fill('Diminta takedown domain tiruan.');
    });
    await expect.poll(() => page.getByTestId('coordination-row').first().innerText()).toContain('BSSN-2026-0042');
    const [stix] = await Promise.all([page.waitForEvent('download'), page.getByTestId('incident-export-stix').click()]);
    expect(stix.suggestedFilename()).toBe(`${ticket}.stix.json`);
    const bundle = JSON.parse(await readFile((await stix.path())!, 'utf8')) as { type: string; objects: unknown[] };
    expect(bundle.type).toBe('bundle');
    await shot(page, 'inc-08-handling');
    await step(page, 'submit_resolution', 'resolved', () =>
      page
        .getByTestId('action-field-resolutionReport')
        .fill('Halaman sisipan dihapus, plugin upload ditambal, kredensial diganti, pemantauan integritas berkas dipasang.'),
    );
  });

  it('the data team closes the incident and the helpdesk closes the reporter status', async () => {
    const data = await staffOn('incident.data');
    await step(data, 'close', 'closed', () =>
      data.getByTestId('action-field-closureRecord').fill('Insiden ditutup: penyebab plugin upload rentan; pencegahan didokumentasikan.'),
    );
    const helpdesk = await staffOn('helpdesk');
    await step(helpdesk, 'close_reporter_status', 'reporter_closed', () => helpdesk.getByTestId('action-field-message').fill(CLOSING));
    await helpdesk.getByTestId('actions-none').waitFor();
    expect(await helpdesk.getByTestId('timeline-entry').count()).toBeGreaterThanOrEqual(12);
    await shot(helpdesk, 'inc-09-reporter-closed');
  });

  it('the tracking page shows the report completed, with the recommendation and nothing internal', async () => {
    await reporter.getByTestId('track-refresh').click();
    await expect.poll(() => reporter.getByTestId('track-status').getAttribute('data-status')).toBe('reporter_closed');
    await reporter.getByTestId('track-closed').waitFor();
    expect(await reporter.getByTestId('track-status-label').innerText()).toBe('Selesai');
    expect(await reporter.getByTestId('track-recommendation-text').innerText()).toContain(TEMPLATE_TEXT);
    await expect.poll(() => reporter.getByTestId('track-milestone').count()).toBe(9);
    expect(await reporter.getByTestId('track-milestones').innerText()).toContain(CLOSING);
    const text = await reporter.locator('main').innerText();
    for (const secret of [COMMENT, 'BSSN-2026-0042', '203.0.113.7', 'Bukti valid']) expect(text).not.toContain(secret);
    await shot(reporter, 'inc-10-tracking-closed');
  });

  it('the queues and the SOC metrics reflect it; the auditor reads without acting', async () => {
    const helpdesk = staff.get('helpdesk')!;
    await helpdesk.getByTestId('nav-incidents').click();
    await helpdesk.getByTestId('incidents-table').waitFor();
    // Its own queue no longer holds the finished incident; all incidents do.
    await helpdesk.getByTestId('incidents-empty').waitFor();
    await helpdesk.getByTestId('incidents-filter-team').selectOption('all');
    await expect.poll(() => helpdesk.getByTestId(`incident-row-${ticket}`).getAttribute('data-status')).toBe('reporter_closed');
    expect(await helpdesk.getByTestId(`incident-sla-${ticket}`).innerText()).toBe('—');
    await helpdesk.getByTestId('incidents-filter-priority').selectOption('P4');
    await helpdesk.getByTestId('incidents-empty').waitFor();
    expect(await helpdesk.getByTestId(`incident-row-${ticket}`).count()).toBe(0);
    await helpdesk.getByTestId('incidents-filter-reset').click();
    await helpdesk.getByTestId('incidents-search').fill(ticket);
    await helpdesk.getByTestId('incidents-filter-team').selectOption('all');
    await helpdesk.getByTestId('incidents-search-submit').click();
    await expect.poll(() => helpdesk.getByTestId('incidents-table').locator('tbody tr').count()).toBe(1);
    await shot(helpdesk, 'inc-11-queue');

    await helpdesk.getByTestId('nav-incident-metrics').click();
    await expect.poll(() => helpdesk.getByTestId('metrics-total').innerText()).toBe('1');
    expect(await helpdesk.getByTestId('metrics-timeToInitialRecommendation').innerText()).toMatch(/\b1\b/);
    await shot(helpdesk, 'inc-12-metrics');

    const auditor = await newPage();
    await auditor.goto(`${server.url}/login`);
    await auditor.getByTestId('login-username').fill('auditor');
    await auditor.getByTestId('login-password').fill(DEMO_PASSWORD);
    await auditor.getByTestId('login-submit').click();
    await auditor.getByTestId('nav-incidents').click();
    await auditor.getByTestId(`incident-link-${ticket}`).click();
    await auditor.getByTestId('actions-none').waitFor();
    await auditor.getByTestId('evidence-row').first().waitFor();
    expect(await auditor.getByTestId('evidence-download').count()).toBe(0);
    expect(await auditor.getByTestId('comment-input').count()).toBe(0);
    expect(await auditor.getByTestId('incident-export-stix').count()).toBe(0);
  });

  it('the helpdesk records a phone report, returns it as incomplete, and the reporter supplements it through the link', async () => {
    const helpdesk = staff.get('helpdesk')!;
    await helpdesk.getByTestId('nav-incidents').click();
    await helpdesk.getByTestId('incidents-new').click();
    await helpdesk.getByTestId('intake-name').fill('Pak Joko (operator)');
    await helpdesk.getByTestId('intake-organisation').fill('Dinas Kesehatan');
    await helpdesk.getByTestId('intake-channel').selectOption('phone');
    await helpdesk.getByTestId('intake-title').fill('Akun media sosial dinas diambil alih');
    await helpdesk.getByTestId('intake-description').fill('Dilaporkan melalui telepon: kata sandi akun diganti orang lain.');
    await helpdesk.getByTestId('intake-pick-account-takeover').check();
    await helpdesk.getByTestId('intake-urgency').selectOption('high');
    const dinkes = await helpdesk.getByTestId('intake-opd').locator('option', { hasText: 'Dinas Kesehatan' }).getAttribute('value');
    await helpdesk.getByTestId('intake-opd').selectOption(dinkes!);
    await helpdesk.getByTestId('intake-submit').click();
    await helpdesk.getByTestId('intake-success').waitFor();
    const phoneTicket = await helpdesk.getByTestId('intake-ticket').innerText();
    expect(phoneTicket).not.toBe(ticket);
    const link = await helpdesk.getByTestId('intake-tracking-url').inputValue();
    await helpdesk.getByTestId('intake-open-incident').click();
    await expect.poll(() => helpdesk.getByTestId('incident-ticket').innerText()).toBe(phoneTicket);
    expect(await helpdesk.getByTestId('incident-opd').innerText()).toBe('Dinas Kesehatan');
    const ASK = 'Mohon kirim tangkapan layar pesan dari platform media sosial.';
    await step(helpdesk, 'return_incomplete', 'returned_to_reporter', () => helpdesk.getByTestId('action-field-message').fill(ASK));

    const caller = await newPage();
    await caller.goto(link);
    await expect.poll(() => caller.getByTestId('track-status').getAttribute('data-status')).toBe('returned_to_reporter');
    expect(await caller.getByTestId('track-supplement-request').innerText()).toContain(ASK);
    await caller.getByTestId('track-supplement-message').fill('Terlampir tangkapan layar pemberitahuan penggantian kata sandi.');
    const screenshot = { name: 'pemberitahuan.png', mimeType: 'image/png', buffer: randomBytes(800) };
    await caller.getByTestId('track-supplement-evidence').setInputFiles(screenshot);
    await shot(caller, 'inc-13-supplement');
    await caller.getByTestId('track-supplement-submit').click();
    await caller.getByTestId('track-notice').waitFor();
    await expect.poll(() => caller.getByTestId('track-status').getAttribute('data-status')).toBe('reported');
    expect(await caller.getByTestId('track-supplement').count()).toBe(0);

    await helpdesk.getByTestId('incident-refresh').click();
    await expect.poll(() => status(helpdesk)).toBe('reported');
    await expect.poll(() => helpdesk.getByTestId('evidence-row').first().getAttribute('data-sha256')).toBe(sha256(screenshot.buffer));
    await helpdesk.locator('[data-testid="timeline-entry"][data-kind="supplement"]').waitFor();
    await helpdesk.getByTestId('action-validate').waitFor();
  });

  it('kept the browser console free of errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
