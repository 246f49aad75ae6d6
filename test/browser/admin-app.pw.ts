import { expect, test } from '@playwright/test';
import { seriousViolations, signInToApp } from './support';
import { buildPosExportXlsx, samplePosRow } from '../fixtures/pos-export.fixture';

/** The operators' ПОС import and the admin's tables in the typed console. */
const signIn = signInToApp;

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
  expect(await seriousViolations(page)).toEqual([]);
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
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Сбойные события' }).click();
  await expect(page.getByRole('heading', { name: 'Сбойные события' })).toBeVisible();
  await expect(page.getByText('Записей нет.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the admin replays a dead letter with a reason (the server’s answers stubbed: the embedded product has no failing consumer to make one; the API is tested in dead-letters.int-spec)', async ({
  page,
}) => {
  const letter = {
    id: '6f1d2c3b-0a9e-4c5d-8e7f-1a2b3c4d5e6f',
    topic: 'message.received',
    key: '0b6f1c1e-8a4e-4a57-9d1b-3c2f0e7a9d10',
    consumer: 'triage',
    partition: 0,
    offset: '42',
    error: 'нет связи с базой данных',
    attempts: 5,
    deadLetteredAt: new Date().toISOString(),
    correlationId: '2a7d9e44-51c3-4f0b-9a6e-8c1d2b3e4f50',
    payload: null,
    payloadWithheld: 'содержимое не по договору топика',
    replayable: true,
    replay: null,
  };
  let replayed: { reason?: string } | null = null;
  await page.route('**/api/v1/dead-letters?*', (route) =>
    route.fulfill({
      json: { items: [replayed ? { ...letter, replay: { at: new Date().toISOString(), by: 'admin', reason: replayed.reason } } : letter], nextCursor: null },
    }),
  );
  await page.route(`**/api/v1/dead-letters/${letter.id}/replay`, async (route) => {
    const body = route.request().postDataJSON() as { reason?: string };
    if (!body.reason)
      return route.fulfill({
        status: 400,
        json: { statusCode: 400, message: 'Проверьте поля', errors: [{ field: 'reason', message: 'Причина: не может быть пустым' }] },
      });
    replayed = body;
    return route.fulfill({ json: { id: letter.id, replayed: true } });
  });
  await signIn(page, 'admin', '/deadletters');
  const row = page.locator('tbody tr', { hasText: 'нет связи с базой данных' });
  await expect(row).toContainText('message.received');
  // Its log lines are found by it.
  await expect(row).toContainText('корреляция 2a7d9e44-51c3-4f0b-9a6e-8c1d2b3e4f50');
  await row.getByRole('button', { name: 'Отправить повторно' }).click();
  const form = page.getByRole('form', { name: 'Повторная отправка' });
  await form.getByRole('button', { name: 'Отправить повторно' }).click();
  await expect(form.locator('.field-error')).toHaveText('Причина: не может быть пустым');
  await form.getByLabel('Почему отправить повторно').fill('База снова доступна');
  await form.getByRole('button', { name: 'Отправить повторно' }).click();
  await expect(page.getByRole('status')).toHaveText('Событие отправлено повторно');
  expect(replayed).toEqual({ reason: 'База снова доступна' });
  await expect(row).toContainText('База снова доступна');
  expect(await seriousViolations(page)).toEqual([]);
});
