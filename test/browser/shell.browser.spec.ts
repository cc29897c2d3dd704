import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, shot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'Sandi#Demo2026';

describe('web shell in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_LOGIN_PER_MINUTE: '200' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'id-ID' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    return page;
  }

  async function login(page: Page, username: string, password = DEMO_PASSWORD) {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  it('prints the demo logins on first start', () => {
    expect(server.output()).toContain('Demo data seeded');
    expect(server.output()).toMatch(/admin\s+Administrator/);
  });

  it('admin: refuses a wrong password, signs in, switches language, manages users and units, sees the audit chain verified', async () => {
    const page = await newPage();
    await login(page, 'admin', 'wrong-password');
    await expect.poll(() => page.getByTestId('login-error').isVisible()).toBe(true);
    expect(await page.getByTestId('login-error').innerText()).toMatch(/salah/i);
    await shot(page, '01-login-error');

    await login(page, 'admin');
    await page.getByTestId('home-welcome').waitFor();
    await expect.poll(() => page.getByTestId('home-roles').innerText()).toContain('Administrator');
    for (const id of ['users', 'units', 'audit', 'mailbox', 'jobs']) await page.getByTestId(`nav-${id}`).waitFor();
    await shot(page, '02-home-admin-id');

    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('nav-users').innerText()).toBe('Users');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot(page, '03-home-admin-en');
    await page.getByTestId('lang-id').click();
    await expect.poll(() => page.getByTestId('nav-users').innerText()).toBe('Pengguna');

    // Units: a new OPD under the regional government, with a position.
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-row-DISKOMINFO').waitFor();
    await page.getByTestId('units-create-open').click();
    await page.getByTestId('unit-form-code').fill('DISPERINDAG');
    await page.getByTestId('unit-form-name').fill('Dinas Perindustrian dan Perdagangan');
    await page.getByTestId('unit-form-kind').selectOption('dinas');
    const parentValue = await page
      .getByTestId('unit-form-parent')
      .locator('option', { hasText: 'Pemerintah Kabupaten Contoh' })
      .getAttribute('value');
    await page.getByTestId('unit-form-parent').selectOption(parentValue!);
    await page.getByTestId('unit-form-submit').click();
    await page.getByTestId('unit-row-DISPERINDAG').waitFor();
    expect(Number(await page.getByTestId('unit-row-DISPERINDAG').getAttribute('data-depth'))).toBe(1);
    await page.getByTestId('unit-positions-DISPERINDAG').click();
    await page.getByTestId('position-form-title').fill('Kepala Dinas');
    await page.getByTestId('position-form-submit').click();
    await expect.poll(() => page.getByTestId('positions-table').innerText()).toContain('Kepala Dinas');
    await shot(page, '04-units');

    // Users: create a helpdesk officer in the new unit.
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('users-create-open').click();
    await page.getByTestId('user-form-username').fill('siti.rahma');
    await page.getByTestId('user-form-fullname').fill('Siti Rahma');
    await page.getByTestId('user-form-email').fill('siti.rahma@example.go.id');
    const unitValue = await page.getByTestId('user-form-unit').locator('option', { hasText: 'Dinas Perindustrian' }).getAttribute('value');
    await page.getByTestId('user-form-unit').selectOption(unitValue!);
    await page.getByTestId('user-form-role-helpdesk').check();
    await page.getByTestId('user-form-password').fill('short');
    await page.getByTestId('user-form-submit').click();
    await expect.poll(() => page.getByTestId('user-form-error').isVisible()).toBe(true);
    await shot(page, '05-user-form-policy-error');
    await page.getByTestId('user-form-password').fill('Sementara#2026x');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('user-row-siti.rahma').waitFor();
    await page.getByTestId('users-search').fill('siti');
    await page.getByTestId('users-search-submit').click();
    await expect.poll(() => page.getByTestId('users-table').locator('tbody tr').count()).toBe(1);
    await shot(page, '06-users');

    // Audit trail: the changes are there and the chain verifies.
    await page.getByTestId('nav-audit').click();
    await expect.poll(() => page.getByTestId('audit-verify-status').getAttribute('data-state')).toBe('ok');
    await expect.poll(() => page.getByTestId('audit-table').innerText()).toContain('user.created');
    await expect.poll(() => page.getByTestId('audit-table').innerText()).toContain('org.unit_created');
    await shot(page, '07-audit');

    await page.getByTestId('nav-mailbox').click();
    await page.getByTestId('mailbox-refresh').waitFor();
    await shot(page, '08-mailbox');
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('jobs-refresh').waitFor();
    await shot(page, '09-jobs');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('new user: must replace the temporary password before anything else', async () => {
    const page = await newPage();
    await login(page, 'siti.rahma', 'Sementara#2026x');
    await page.getByTestId('password-current').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.getByTestId('password-current').fill('Sementara#2026x');
    await page.getByTestId('password-new').fill('Helpdesk-Baru#2026');
    await page.getByTestId('password-confirm').fill('Helpdesk-Baru#2026');
    await page.getByTestId('password-submit').click();
    // A forced change leads straight on to the home page.
    await page.getByTestId('home-welcome').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await shot(page, '10-password-changed');
    await expect.poll(() => page.getByTestId('home-roles').innerText()).toContain('Helpdesk');
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
  });

  it('auditor: reads the audit trail, cannot open the admin pages', async () => {
    const page = await newPage();
    await login(page, 'auditor');
    await page.getByTestId('home-welcome').waitFor();
    await page.getByTestId('nav-audit').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('forbidden').waitFor();
    await shot(page, '11-auditor-forbidden');
    await page.goto(`${server.url}/audit`);
    await expect.poll(() => page.getByTestId('audit-verify-status').getAttribute('data-state')).toBe('ok');
  });

  it('kept the browser console free of errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
