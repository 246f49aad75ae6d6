import { expect, Page, test } from '@playwright/test';
import { APP, routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * An extension of the answer term in the console: the executor asks for it in the card («Запросить
 * продление»), the head decides it there («Решить по продлению»): a refusal needs a reason (the
 * server's words next to the field), an approval moves the term.
 */
const card = (page: Page) => page.getByRole('complementary', { name: 'Карточка сообщения' });

test('the executor asks to extend the term; the head refuses without a reason, then approves, and the term moves', async ({ page, browser, request }) => {
  const message = await routedMessage(request, 'В поликлинике нет записи к кардиологу на два месяца вперёд, просим помочь.', 'Ростов-на-Дону');
  expect(message.organization?.id).toBe('min-health');

  await signInToApp(page, 'executor1', `${APP}inbox?m=${message.id}`);
  await card(page).getByRole('button', { name: 'Запросить продление' }).click();
  await page.getByLabel('Продлить на').fill('5');
  await page.getByLabel('Обоснование продления').fill('Нужен ответ главного врача поликлиники');
  await card(page).getByRole('button', { name: 'Запросить продление' }).last().click();
  const supervisor = { Authorization: `Bearer ${await tokenOf(request, 'supervisor')}` };
  const extensions = async () => (await (await request.get(`/api/v1/messages/${message.id}/extensions`, { headers: supervisor })).json()).items;
  await expect.poll(async () => (await extensions()).map((x: { status: string }) => x.status)).toEqual(['pending']);
  const before = (await extensions())[0].previousDueAt;

  const head = await (await browser.newContext()).newPage();
  await signInToApp(head, 'head1', `${APP}inbox?m=${message.id}`);
  await card(head).getByRole('button', { name: 'Решить по продлению' }).click();
  const request5 = card(head).getByRole('form', { name: /Продление на 5 рабочих дн/ });
  await expect(request5).toContainText('Нужен ответ главного врача поликлиники');
  await expect(request5).toContainText('просит');
  expect(await seriousViolations(head)).toEqual([]);

  // A refusal needs a reason: the server's words, in Russian, next to the field.
  await request5.getByRole('button', { name: 'Отклонить' }).click();
  await expect(request5.locator('.field-error')).toContainText(/[а-я]/);
  await expect(request5.getByLabel(/Комментарий к решению/)).toHaveAttribute('aria-invalid', 'true');

  await request5.getByLabel(/Комментарий к решению/).fill('Согласовано');
  await request5.getByRole('button', { name: 'Одобрить продление' }).click();
  await expect(card(head).getByRole('status')).toHaveText('Продление одобрено');
  const [decided] = await extensions();
  expect(decided).toMatchObject({ status: 'approved', decisionReason: 'Согласовано' });
  expect(new Date(decided.newDueAt).getTime()).toBeGreaterThan(new Date(before).getTime());
  // Nothing waits any more: the head is not offered the decision again.
  await expect(card(head).getByRole('button', { name: 'Решить по продлению' })).toHaveCount(0);
});
