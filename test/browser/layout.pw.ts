import { expect, test } from '@playwright/test';
import { APP, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * Every view of every demo role at 1366×768: nothing wider than the screen (the page never scrolls
 * sideways, every menu item is on screen), no serious or critical accessibility issue, and no code
 * or English word on it — only Russian (file formats excepted; logins, as a login is what a person
 * types to sign in, so the users' table and the notices name accounts by it; and what a screen marks
 * as code on purpose: an API path, a key of the region's file).
 */
const ROLES = ['operator', 'supervisor', 'executor1', 'head1', 'organizer', 'admin'];
/** Latin words a Russian screen may show besides logins: file formats and «API». */
const ALLOWED = new Set(['API', 'XLSX', 'PDF', 'CSV', 'JSON', 'SMS']);

for (const login of ROLES)
  test(`${login}: every view fits 1366×768, passes axe and speaks Russian`, async ({ page, request }) => {
    test.setTimeout(120_000);
    const token = await tokenOf(request, login);
    // Every account's login (other tests make accounts too): the admin's list of them.
    const admin = { Authorization: `Bearer ${await tokenOf(request, 'admin')}` };
    const logins = new Set<string>(((await (await request.get('/api/v1/users', { headers: admin })).json()) as { login: string }[]).map((u) => u.login));
    const me = await (await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(me.views.length).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInToApp(page, login);
    for (const view of me.views as string[]) {
      await page.goto(`${APP}${view}`);
      await expect(page.getByRole('link', { name: /./ }).and(page.locator('[aria-current="page"]'))).toHaveAttribute('href', `${APP}${view}`);
      await expect(page.locator('.splash')).toHaveCount(0);
      // Whatever the view loads first has come (no «Загрузка…» left).
      await expect(page.locator('main')).not.toContainText('Загрузка');
      const widths = await page.evaluate<{ page: number; screen: number; menu: number }>(
        `({ page: document.documentElement.scrollWidth, screen: window.innerWidth, menu: document.querySelector('nav').scrollWidth - document.querySelector('nav').clientWidth })`,
      );
      expect(widths.page, `${view}: the page is wider than the screen`).toBeLessThanOrEqual(widths.screen);
      expect(widths.menu, `${view}: the menu is cut`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), view).toEqual([]);
      // Identifiers shown on purpose (an API path, a key of the region's file) are marked as code.
      const text = await page.evaluate<string>(
        `(() => { const copy = document.body.cloneNode(true); copy.querySelectorAll('code, [translate="no"]').forEach((e) => e.remove()); document.body.append(copy); copy.hidden = false; const t = copy.innerText; copy.remove(); return t; })()`,
      );
      const latin = [...new Set(text.match(/[A-Za-z][A-Za-z0-9_.-]{2,}/g) ?? [])].filter((w) => !ALLOWED.has(w) && !logins.has(w));
      expect(latin, `${view}: Latin words on the screen`).toEqual([]);
    }
  });
