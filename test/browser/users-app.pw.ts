import { expect, test } from '@playwright/test';
import { seriousViolations, signInToApp } from './support';

/** The admin's accounts screen in the typed console: create, change, reset a password, disable. */
test.describe.configure({ mode: 'serial' });

const signIn = signInToApp;

test('the admin creates an executor, sees the server’s objections next to the fields, changes and disables the account', async ({ page }) => {
  const login = `ua-${Date.now()}`;
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, 'admin', '/users');
  await expect(page.getByRole('heading', { name: 'Пользователи' })).toBeVisible();
  await page.getByRole('button', { name: 'Новый пользователь' }).click();
  const form = page.getByRole('complementary');
  await form.getByLabel('Логин').fill(login);
  await form.getByLabel('Имя (фамилия, имя, отчество)').fill('Проверкина Анна Сергеевна');
  await form.getByLabel('Пароль (не короче 10 символов)').fill('short');
  await form.getByLabel('Исполнитель').check();
  await form.getByRole('combobox', { name: 'Организация' }).fill('Таганрог');
  await page.keyboard.press('Enter');
  await form.getByRole('button', { name: 'Создать' }).click();
  // The password is refused by the server, and the message stands next to the field.
  await expect(form.locator('#nu-password-error')).toBeVisible();
  await expect(form.getByLabel('Пароль (не короче 10 символов)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Пароль (не короче 10 символов)').fill('достаточно-длинный-пароль');
  await form.getByLabel(/Основание/).fill('Приказ о приёме № 17');
  await form.getByRole('button', { name: 'Создать' }).click();
  const card = page.getByRole('complementary');
  await expect(card.getByRole('heading', { name: /Проверкина Анна Сергеевна/ })).toBeVisible();
  await expect(card).toContainText('Администрация города Таганрога');
  await expect(page.getByRole('row', { name: new RegExp(login) })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await card.getByRole('button', { name: 'Изменить' }).click();
  await card.getByLabel('Руководитель').check();
  await card.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.locator('#eu-reason-error')).toBeVisible();
  await card.getByLabel('Причина изменения').fill('Назначена руководителем');
  await card.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.getByRole('status')).toHaveText('Изменения сохранены');
  await expect(card).toContainText('Исполнитель, Руководитель');

  await card.getByRole('button', { name: 'Отключить' }).click();
  await expect(card.getByRole('status')).toContainText('Пользователь отключён');
  await expect(page.getByRole('row', { name: new RegExp(login) })).toContainText('отключён');
  await expect(card.locator('.history')).toContainText('Создан');
});
