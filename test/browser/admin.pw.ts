import { expect, test } from '@playwright/test';
import { signInAs } from './support';

/** The admin's flow: a user created in the console signs in with its role; disabled, it is signed out. */
test('the admin creates an executor, who signs in to its inbox; disabled, the executor is signed out', async ({ browser }) => {
  const admin = await browser.newPage();
  await signInAs(admin, 'admin');
  await expect(admin.getByRole('tab', { name: 'Пользователи' })).toHaveAttribute('aria-selected', 'true');
  await expect(admin.locator('#users')).toContainText('executor1');
  const login = `azov.exec.${Date.now() % 100000}`;
  await admin.locator('#u-login').fill(login);
  await admin.locator('#u-name').fill('Исполнитель Азова');
  await admin.locator('#u-password').fill('short');
  await admin.locator('input[name="u-role"][value="executor"]').check();
  await admin.getByRole('button', { name: 'Создать' }).click();
  await expect(admin.locator('#u-result')).toContainText('password');
  await expect(admin.locator('#u-result')).toContainText('organizationId');
  // An executor reads personal data: the grant needs a reason, which the user's history keeps.
  await expect(admin.locator('#u-result')).toContainText('reason');
  await admin.locator('#u-password').fill('a-long-enough-password');
  await admin.locator('#u-org').selectOption('adm-azov');
  await admin.locator('#u-reason').fill('Принят на работу в администрацию Азова');
  await admin.getByRole('button', { name: 'Создать' }).click();
  await expect(admin.locator('#u-result')).toHaveText(`Создан пользователь ${login}`);
  await expect(admin.locator(`#users tr[data-login="${login}"]`)).toContainText('Администрация города Азова');

  const executor = await browser.newPage();
  await signInAs(executor, login, 'a-long-enough-password');
  await expect(executor.getByRole('tab', { name: 'Входящие' })).toHaveAttribute('aria-selected', 'true');
  await expect(executor.locator('#user-org')).toHaveText('Администрация города Азова');

  await admin.locator(`#users tr[data-login="${login}"] button.user-toggle`).click();
  await expect(admin.locator(`#users tr[data-login="${login}"]`)).toContainText('нет');
  // Disabling ends the user's sessions: the next request asks to sign in.
  await executor.locator('body').press('r');
  await expect(executor.getByRole('heading', { name: 'Вход в систему' })).toBeVisible();
});
