import { expect, test } from '@playwright/test';
import { routedMessage, seriousViolations, signInToApp } from './support';

/** The admin's answer templates in the typed console, and what those who answer are offered from them. */
test.describe.configure({ mode: 'serial' });

test('the admin creates a template for a category (the server’s objection first), edits it, and an executor is offered the edited text', async ({
  page,
  browser,
  request,
}) => {
  const stamp = Date.now();
  const title = `Запись к врачу ${stamp}`;
  const edited = `Запись к терапевту открыта через портал госуслуг и по телефону регистратуры (${stamp}).`;
  const message = (await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону')) as Awaited<
    ReturnType<typeof routedMessage>
  > & { category: { code: string; name: string } | null };
  expect(message.organization?.id).toBe('min-health');
  expect(message.category?.code).toBe('pos.medicine');
  const category = message.category!.name;

  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'admin', '/templates');
  await expect(page.getByRole('heading', { name: 'Шаблоны ответов' })).toBeVisible();
  await page.getByRole('button', { name: 'Новый шаблон' }).click();
  const card = page.getByRole('complementary');
  await card.getByRole('combobox', { name: 'Для какой категории' }).fill(category);
  await card
    .getByRole('option')
    .filter({ has: page.getByText(category, { exact: true }) })
    .filter({ hasText: 'Рубрикатор ПОС' })
    .click();
  await card.getByLabel(/^Заголовок/).fill(title);
  await card.getByRole('button', { name: 'Создать' }).click();
  // The text is empty: the server refuses it, and its words stand next to the field.
  await expect(card.locator('#nt-body-error')).toHaveText('Текст: не может быть пустым');
  await expect(card.getByLabel('Текст ответа')).toHaveAttribute('aria-invalid', 'true');
  expect(await seriousViolations(page)).toEqual([]);

  await card.getByLabel('Текст ответа').fill('Запись к терапевту открыта.');
  await card.getByRole('button', { name: 'Создать' }).click();
  await expect(card.getByRole('heading', { name: title })).toBeVisible();
  await expect(card.getByRole('status')).toHaveText('Шаблон создан');
  await expect(card.locator('.meta')).toContainText(`${category} · версия 1`);
  const group = page.locator('tbody').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${category} ·`) }) });
  await expect(group.getByRole('row', { name: new RegExp(title) })).toBeVisible();

  await card.getByRole('button', { name: 'Изменить' }).click();
  await card.getByLabel('Текст ответа').fill(edited);
  await card.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.locator('#et-reason-error')).toHaveText('Причина: не может быть пустым');
  await card.getByLabel('Причина изменения').fill('Добавлен портал госуслуг');
  await card.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.getByRole('status')).toHaveText('Изменения сохранены');
  await expect(card.locator('.template-body')).toHaveText(edited);
  await expect(card.locator('.meta')).toContainText('версия 2');
  const history = card.locator('.template-history');
  await expect(history.locator('> li').first()).toContainText('Изменён — Добавлен портал госуслуг');
  await history.getByText('Изменено: текст').click();
  await expect(history).toContainText('было: Запись к терапевту открыта.');
  await expect(history.locator('> li').last()).toContainText('Создан');
  expect(await seriousViolations(page)).toEqual([]);

  // Those who answer: the executor of the message's organization, in another browser.
  const executor = await browser.newContext();
  try {
    const answerer = await executor.newPage();
    await answerer.setViewportSize({ width: 1366, height: 768 });
    await signInToApp(answerer, 'executor1', `/inbox?m=${message.id}`);
    await expect(answerer.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Шаблоны ответов' })).toHaveCount(0);
    const messageCard = answerer.getByRole('complementary', { name: 'Карточка сообщения' });
    await messageCard
      .getByRole('button', { name: /На согласование|Отправить ответ/ })
      .first()
      .click();
    await messageCard.getByLabel('Шаблон ответа').selectOption({ label: title });
    await expect(messageCard.getByRole('textbox', { name: /Проект ответа|Текст ответа заявителю/ })).toHaveValue(edited);
    expect(await seriousViolations(answerer)).toEqual([]);
  } finally {
    await executor.close();
  }
});

test('the admin removes a template with a reason: it leaves the list and keeps its history', async ({ page }) => {
  const title = `Вывоз мусора ${Date.now()}`;
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'admin', '/templates?template=new');
  const card = page.getByRole('complementary');
  await card.getByLabel(/^Заголовок/).fill(title);
  await card.getByLabel('Текст ответа').fill('Контейнеры вывезены.');
  await card.getByRole('button', { name: 'Создать' }).click();
  await expect(card.getByRole('heading', { name: title })).toBeVisible();
  // No category chosen: the template is offered with every message.
  await expect(card.locator('.meta')).toContainText('Для всех категорий');
  await expect(page.locator('tbody').first().getByRole('rowheader')).toContainText('Для всех категорий');

  await card.getByRole('button', { name: 'Удалить' }).click();
  await card.getByRole('button', { name: 'Удалить шаблон' }).click();
  await expect(card.locator('#rt-reason-error')).toHaveText('Причина: не может быть пустым');
  expect(await seriousViolations(page)).toEqual([]);
  await card.getByLabel('Причина удаления').fill('Площадки перешли к регоператору');
  await card.getByRole('button', { name: 'Удалить шаблон' }).click();
  await expect(card.getByRole('status')).toContainText('Шаблон удалён');
  await expect(card.locator('.meta')).toContainText('удалён');
  await expect(card.getByRole('button', { name: 'Изменить' })).toHaveCount(0);
  await expect(card.locator('.template-history > li').first()).toContainText('Удалён — Площадки перешли к регоператору');
  await expect(page.getByRole('row', { name: new RegExp(title) })).toHaveCount(0);
});

test('an operator has no answer templates view: not in the menu, and its address opens the operator’s own first view', async ({ page }) => {
  await signInToApp(page, 'operator', '/templates');
  await expect(page).toHaveURL(/\/queue/);
  const menu = page.getByRole('navigation', { name: 'Разделы' });
  await expect(menu.getByRole('link', { name: 'Очередь разбора' })).toBeVisible();
  await expect(menu.getByRole('link', { name: 'Шаблоны ответов' })).toHaveCount(0);
});
