import { expect, test } from '@playwright/test';
import { routedMessage, signInAs } from './support';

/** One sign-in for the whole browser: the refresh cookie opens new tabs, and signing out in one tab signs out all. */
test.describe('sessions across tabs', () => {
  test('a message link opened in a new tab opens without signing in; signing out in one tab asks the other to sign in at its next action', async ({
    context,
    request,
  }) => {
    const message = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    const first = await context.newPage();
    await signInAs(first, 'operator');

    const second = await context.newPage();
    await second.goto(`/#/messages/${message.id}`);
    await expect(second.locator('#user-name')).toContainText('Оператор ЦУР');
    await expect(second.locator('#detail h2')).toBeVisible();
    await expect(second.locator('#detail')).toContainText('талонов нет уже месяц');
    await expect(second.getByRole('heading', { name: 'Вход в систему' })).toBeHidden();
    // The refresh token is out of every script's reach: not in document.cookie, not in storage.
    expect(await second.evaluate<string>('document.cookie')).not.toContain('cur_refresh');
    expect(await second.evaluate<string>('JSON.stringify({ ...sessionStorage, ...localStorage })')).not.toMatch(/[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}/);

    await first.getByRole('button', { name: 'Выйти' }).click();
    await expect(first.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
    // The other tab still shows what it had; its next request finds the session over and asks to sign in.
    await second.locator('body').press('r');
    await expect(second.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
    // And a tab opened now has no session to take.
    const third = await context.newPage();
    await third.goto(`/#/messages/${message.id}`);
    await expect(third.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
  });

  test('several tabs opened at once each get a session, and it lives on (no refresh taken for a stolen copy)', async ({ context, request }) => {
    const message = await routedMessage(request, 'Во дворе дома не вывозят мусор уже неделю, контейнеры переполнены.', 'Таганрог');
    const first = await context.newPage();
    await signInAs(first, 'operator');
    const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
    await Promise.all(tabs.map((tab) => tab.goto(`/#/messages/${message.id}`)));
    for (const tab of tabs) await expect(tab.locator('#detail')).toContainText('не вывозят мусор');
    // Still signed in everywhere: a reload of the first tab gets a session from the cookie.
    await first.reload();
    await expect(first.locator('#user-name')).toContainText('Оператор ЦУР');
  });
});
