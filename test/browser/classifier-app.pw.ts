import { expect, test } from '@playwright/test';
import { seriousViolations, signInToApp } from './support';

/** Classifier versions in the typed console: the admin retrains, compares two versions, and activates one with a reason. */
const signIn = signInToApp;

test('the admin retrains the ПОС model, compares the two versions and puts one in force with a reason', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, 'admin', '/classifier');
  const rows = page.locator('table.versions tbody tr');
  await expect(rows.filter({ hasText: 'действует' })).toHaveCount(1, { timeout: 120_000 });
  const before = await rows.count();
  await page.getByRole('button', { name: 'Переобучить' }).click();
  await page.getByLabel('Зачем переобучить (необязательно)').fill('Проверка экрана');
  await page.getByRole('form', { name: 'Решение по версии' }).getByRole('button', { name: 'Переобучить' }).click();
  await expect(page.getByRole('status')).toHaveText('Модель переобучена', { timeout: 120_000 });
  await expect(rows).toHaveCount(before + 1);

  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  const compare = page.getByRole('region', { name: /Сравнение: версия/ });
  await expect(compare.getByRole('rowheader', { name: 'Макро-F1' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const notActive = rows.filter({ hasNot: page.getByText('действует', { exact: true }) }).first();
  const version = (await notActive.locator('td').nth(1).textContent())!.trim().split(' ')[0];
  await notActive.getByRole('button', { name: 'Ввести в действие' }).click();
  await page.getByRole('form', { name: 'Решение по версии' }).getByRole('button', { name: 'Ввести в действие' }).click();
  await expect(page.getByLabel('Почему вводится эта версия')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Почему вводится эта версия').fill('Сравнили вручную');
  await page.getByRole('form', { name: 'Решение по версии' }).getByRole('button', { name: 'Ввести в действие' }).click();
  await expect(page.getByRole('status')).toHaveText('Версия введена в действие');
  await expect(rows.filter({ hasText: 'действует' }).locator('td').nth(1)).toContainText(version);
  await expect(page.getByRole('region', { name: 'История версий' })).toContainText('Сравнили вручную');
});
