import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { signInToApp } from './support';
import { buildPosExportXlsx, samplePosRow } from '../fixtures/pos-export.fixture';

/** The operators' ПОС import and the admin's tables in the typed console. */
const signIn = signInToApp;

const serious = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);

test('an operator uploads a ПОС export: the counts, the row refused with its reason, the organization missing from the directory', async ({ page }) => {
  const stamp = Date.now();
  const file = await buildPosExportXlsx([
    samplePosRow({ Номер: `${stamp}1`, 'Организация, в которой находится сообщение': 'Администрация города Таганрога' }),
    samplePosRow({ Номер: `${stamp}2`, 'Организация, в которой находится сообщение': `Несуществующее управление ${stamp}` }),
    samplePosRow({ Номер: `${stamp}3`, 'Дата поступления': 'вчера' }),
  ]);
  await signIn(page, 'operator', '/imports');
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.getByLabel('Файл выгрузки из бэк-офиса ПОС (XLSX)')).toBeFocused();
  await page.getByLabel('Файл выгрузки из бэк-офиса ПОС (XLSX)').setInputFiles({
    name: 'pos-export.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: file,
  });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  const result = page.getByRole('region', { name: /Загружено новых/ });
  await expect(result.getByRole('heading', { level: 2 })).toHaveText(/Загружено новых: 2, .*отклонено строк: 1/);
  await expect(result).toContainText(`Несуществующее управление ${stamp}`);
  await expect(result.getByRole('table')).toContainText('Дата поступления');
  expect(await serious(page)).toEqual([]);
});

test('the admin reads the routing rules and the access table, and the dead-letter list with nothing in it', async ({ page }) => {
  await signIn(page, 'admin', '/routes');
  await expect(page.getByRole('region', { name: /Маршрутизация/ })).toContainText('Министерство здравоохранения');
  await page.getByLabel('Отбор').fill('/api/v1/users');
  await expect(
    page
      .getByRole('region', { name: /Доступ/ })
      .locator('tbody tr')
      .first(),
  ).toContainText('Администратор');
  expect(await serious(page)).toEqual([]);
  await page.getByRole('link', { name: 'Сбойные события' }).click();
  await expect(page.getByRole('heading', { name: 'Сбойные события' })).toBeVisible();
  await expect(page.getByText('Записей нет.')).toBeVisible();
  expect(await serious(page)).toEqual([]);
});
