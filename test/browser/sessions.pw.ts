import { expect, Page, test } from '@playwright/test';
import { APP, routedMessage, seriousViolations, signInToApp, signOutOfApp } from './support';

/** One sign-in for the whole browser: the refresh cookie opens new tabs, and signing out in one tab signs out all. */
const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Вход в консоль ЦУР' });
const card = (page: Page) => page.getByRole('complementary', { name: 'Карточка сообщения' });

test.describe('sessions across tabs', () => {
  test('a message link opened in a new tab opens without signing in; signing out in one tab asks the other to sign in at its next action', async ({
    context,
    request,
  }) => {
    const message = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    const first = await context.newPage();
    await signInToApp(first, 'operator');

    const second = await context.newPage();
    await second.goto(`${APP}all?m=${message.id}`);
    await expect(second.getByRole('banner')).toContainText('Оператор ЦУР (демо)');
    await expect(card(second)).toContainText('талонов нет уже месяц');
    await expect(signInHeading(second)).toHaveCount(0);
    expect(await seriousViolations(second)).toEqual([]);
    // The refresh token is out of every script's reach: not in document.cookie, not in storage.
    expect(await second.evaluate<string>('document.cookie')).not.toContain('cur_refresh');
    expect(await second.evaluate<string>('JSON.stringify({ ...sessionStorage, ...localStorage })')).not.toMatch(/[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}/);

    await signOutOfApp(first);
    // The other tab still shows what it had; its next request finds the session over and asks to sign in.
    await expect(card(second)).toContainText('талонов нет уже месяц');
    await second.getByRole('link', { name: 'Очередь разбора' }).click();
    await expect(signInHeading(second)).toBeVisible();
    // And a tab opened now has no session to take.
    const third = await context.newPage();
    await third.goto(`${APP}all?m=${message.id}`);
    await expect(signInHeading(third)).toBeVisible();
    await expect(card(third)).toHaveCount(0);
  });

  test('several tabs opened at once each get a session, and it lives on (no refresh taken for a stolen copy)', async ({ context, request }) => {
    const message = await routedMessage(request, 'Во дворе дома не вывозят мусор уже неделю, контейнеры переполнены.', 'Таганрог');
    const first = await context.newPage();
    await signInToApp(first, 'operator');
    const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
    await Promise.all(tabs.map((tab) => tab.goto(`${APP}all?m=${message.id}`)));
    for (const tab of tabs) await expect(card(tab)).toContainText('не вывозят мусор');
    // Still signed in everywhere: a reload of the first tab gets a session from the cookie.
    await first.reload();
    await expect(first.getByRole('banner')).toContainText('Оператор ЦУР (демо)');
    await expect(signInHeading(first)).toHaveCount(0);
  });
});
