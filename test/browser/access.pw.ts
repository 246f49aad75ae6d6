import { expect, Page, test } from '@playwright/test';
import { APP, routedMessage, seriousViolations, signInToApp, signOutOfApp, tokenOf } from './support';

/** Who sees what: the console asks to sign in, and an organization never sees another's message, in the UI or through the API. */
const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Вход в консоль ЦУР' });
const card = (page: Page) => page.getByRole('complementary', { name: 'Карточка сообщения' });

test.describe('sign-in and access in the console', () => {
  test('the console asks to sign in; a wrong password is refused with a clear message', async ({ page }) => {
    await page.goto(`${APP}queue`);
    await expect(signInHeading(page)).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Логин').fill('operator');
    await page.getByLabel('Пароль').fill('wrong-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByRole('alert')).toHaveText('Неверный логин или пароль');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Пароль').fill('operator');
    await page.getByRole('button', { name: 'Войти' }).click();
    const who = page.getByRole('banner');
    await expect(who).toContainText('Оператор ЦУР (демо)');
    await expect(page.getByRole('link', { name: 'Очередь разбора' })).toHaveAttribute('aria-current', 'page');
    // A reload keeps the session; signing out ends it.
    await page.reload();
    await expect(who).toContainText('Оператор ЦУР (демо)');
    await expect(signInHeading(page)).toHaveCount(0);
    await signOutOfApp(page);
    await page.reload();
    await expect(signInHeading(page)).toBeVisible();
  });

  test('an executor cannot open another organization’s message, in the console or through the API', async ({ page, request }) => {
    const health = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    const roads = await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса.', 'Таганрог');
    expect(health.organization?.id).toBe('min-health');
    expect(roads.organization?.id).toBe('adm-taganrog');

    await signInToApp(page, 'executor2');
    // The header names the user; the organization is on hover.
    await expect(page.getByRole('banner').locator('.who')).toHaveAttribute('title', /Администрация города Таганрога/);
    await expect(page.getByRole('link', { name: 'Входящие' })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator(`tr[data-id="${roads.id}"]`)).toBeVisible();
    await expect(page.locator(`tr[data-id="${health.id}"]`)).toHaveCount(0);
    await page.goto(`${APP}inbox?m=${health.id}`);
    await expect(card(page).getByRole('alert')).toHaveText('Сообщение не найдено');
    await expect(card(page)).not.toContainText('талонов нет');
    await page.goto(`${APP}inbox?m=${roads.id}`);
    await expect(card(page).locator('dl.facts')).toContainText('Администрация города Таганрога');
    // The handling organization sees the applicant in full.
    await expect(card(page).locator('dl.facts')).toContainText('Петров Пётр Петрович');
    expect(await seriousViolations(page)).toEqual([]);

    const token = await tokenOf(request, 'executor2');
    const denied = await request.get(`/api/v1/messages/${health.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(denied.status()).toBe(404);
    const take = await request.post(`/api/v1/messages/${health.id}/take`, { headers: { Authorization: `Bearer ${token}` } });
    expect(take.status()).toBe(404);
    expect((await request.get(`/api/v1/messages/${health.id}`)).status()).toBe(401);
  });

  test('the organizer sees no citizen messages: no such views in the console, 403 from the API', async ({ page, request }) => {
    await signInToApp(page, 'organizer');
    await expect(page.getByRole('link', { name: 'Обсуждения' })).toHaveAttribute('aria-current', 'page');
    const sections = page.getByRole('navigation', { name: 'Разделы' });
    await expect(sections.getByRole('link')).toHaveCount(1);
    await expect(sections.getByRole('link', { name: 'Все сообщения' })).toHaveCount(0);
    await expect(sections.getByRole('link', { name: 'Очередь разбора' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Обсуждения, голосования и опросы' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    // A message list's address opens the organizer's own view instead, with no list in it.
    await page.goto(`${APP}all`);
    await expect(page).toHaveURL(new RegExp(`${APP}organizer`));
    await expect(page.getByRole('table', { name: 'Сообщения' })).toHaveCount(0);
    const token = await tokenOf(request, 'organizer');
    expect((await request.get('/api/v1/messages', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(403);
  });
});
