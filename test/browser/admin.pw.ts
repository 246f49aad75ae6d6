import { expect, test } from '@playwright/test';
import { APP, seriousViolations, signInToApp } from './support';

/**
 * The admin's flow end to end: a user created in the console signs in with its role and lands in
 * its inbox; disabled, it is signed out at its next action. (The account screen's own details —
 * editing, roles, objections next to each field — are users-app.pw.ts.)
 */
test('the admin creates an executor, who signs in to its inbox; disabled, the executor is signed out', async ({ page: admin, browser }) => {
  await signInToApp(admin, 'admin', `${APP}users`);
  await expect(admin.getByRole('link', { name: 'Пользователи' })).toHaveAttribute('aria-current', 'page');
  await expect(admin.getByRole('row', { name: /executor1/ })).toBeVisible();
  const login = `azov.exec.${Date.now() % 100000}`;
  const ofLogin = new RegExp(login.replaceAll('.', '\\.'));
  await admin.getByRole('button', { name: 'Новый пользователь' }).click();
  const form = admin.getByRole('complementary', { name: 'Новый пользователь' });
  await form.getByLabel('Логин').fill(login);
  await form.getByLabel('Имя (фамилия, имя, отчество)').fill('Исполнитель Азова');
  await form.getByLabel('Пароль (не короче 10 символов)').fill('short');
  await form.getByLabel('Исполнитель').check();
  await form.getByRole('button', { name: 'Создать' }).click();
  // The server refuses the short password, an executor without an organization, and a grant of
  // personal data without a reason (the user's history keeps it): each beside its field.
  await expect(form.getByLabel('Пароль (не короче 10 символов)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#nu-password-error')).toBeVisible();
  await expect(form.getByRole('combobox', { name: 'Организация' })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel(/Основание/)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#nu-reason-error')).toBeVisible();
  expect(await seriousViolations(admin)).toEqual([]);

  await form.getByLabel('Пароль (не короче 10 символов)').fill('a-long-enough-password');
  await form.getByRole('combobox', { name: 'Организация' }).fill('Азова');
  await admin.getByRole('option', { name: 'Администрация города Азова', exact: true }).click();
  await form.getByLabel(/Основание/).fill('Принят на работу в администрацию Азова');
  await form.getByRole('button', { name: 'Создать' }).click();
  const card = admin.getByRole('complementary');
  await expect(card.getByRole('heading', { name: new RegExp(`Исполнитель Азова ${ofLogin.source}`) })).toBeVisible();
  await expect(admin.getByRole('row', { name: ofLogin })).toContainText('Администрация города Азова');

  // Another browser (its own cookies): the executor's session is not the admin's.
  const elsewhere = await browser.newContext();
  const executor = await elsewhere.newPage();
  await signInToApp(executor, login, APP, 'a-long-enough-password');
  await expect(executor.getByRole('link', { name: 'Входящие' })).toHaveAttribute('aria-current', 'page');
  await expect(executor.getByRole('banner').locator('.who')).toHaveAttribute('title', /Администрация города Азова/);
  // The inbox has loaded (else its first load, landing after the disabling, would be the «next action»).
  await expect(executor.locator('.list-status [role="status"]')).toHaveText(/^Показано \d+/);

  await card.getByRole('button', { name: 'Отключить' }).click();
  await expect(card.getByRole('status')).toContainText('Пользователь отключён');
  await expect(admin.getByRole('row', { name: ofLogin })).toContainText('отключён');
  // Disabling ends the user's sessions: the next request (a filter of the inbox) asks to sign in.
  // A click, not check(): check() would wait to see the box ticked, and the sign-in form replaces it.
  await executor.getByRole('checkbox', { name: 'Мои', exact: true }).click();
  await expect(executor.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toBeVisible();
  await elsewhere.close();
});
