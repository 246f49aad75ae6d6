import { expect, test } from '@playwright/test';
import { routedMessage, signInAs, tokenOf } from './support';

/** Who sees what: the console asks to sign in, and an organization never sees another's message, in the UI or through the API. */
test.describe('sign-in and access in the console', () => {
  test('the console asks to sign in; a wrong password is refused with a clear message', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
    await page.getByLabel('Логин').fill('operator');
    await page.getByLabel('Пароль').fill('wrong-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByRole('alert')).toHaveText('Неверный логин или пароль');
    await page.getByLabel('Пароль').fill('operator');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.locator('#user-name')).toContainText('Оператор ЦУР');
    // A reload keeps the session; signing out ends it.
    await page.reload();
    await expect(page.locator('#user-name')).toContainText('Оператор ЦУР');
    await page.getByRole('button', { name: 'Выйти' }).click();
    await expect(page.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
  });

  test('an executor cannot open another organization’s message, in the console or through the API', async ({ page, request }) => {
    const health = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    const roads = await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса.', 'Таганрог');
    expect(health.organization?.id).toBe('min-health');
    expect(roads.organization?.id).toBe('adm-taganrog');

    await signInAs(page, 'executor2');
    await expect(page.locator('#user-org')).toHaveText('Администрация города Таганрога');
    await expect(page.locator(`tr[data-id="${roads.id}"]`)).toBeVisible();
    await expect(page.locator(`tr[data-id="${health.id}"]`)).toHaveCount(0);
    await page.goto(`/#/messages/${health.id}`);
    await expect(page.locator('#detail')).toContainText('Сообщение не найдено');
    await page.goto(`/#/messages/${roads.id}`);
    await expect(page.locator('#detail')).toContainText('Администрация города Таганрога');
    // The handling organization sees the applicant in full.
    await expect(page.locator('#detail')).toContainText('Петров Пётр Петрович');

    const token = await tokenOf(request, 'executor2');
    const denied = await request.get(`/api/v1/messages/${health.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(denied.status()).toBe(404);
    const take = await request.post(`/api/v1/messages/${health.id}/take`, { headers: { Authorization: `Bearer ${token}` } });
    expect(take.status()).toBe(404);
    expect((await request.get(`/api/v1/messages/${health.id}`)).status()).toBe(401);
  });

  test('the organizer sees no citizen messages: no such views in the console, 403 from the API', async ({ page, request }) => {
    await signInAs(page, 'organizer');
    await expect(page.getByRole('tab', { name: 'Обсуждения' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Все сообщения' })).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Очередь разбора' })).toHaveCount(0);
    const token = await tokenOf(request, 'organizer');
    expect((await request.get('/api/v1/messages', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(403);
  });
});
