import { expect, Page, test } from '@playwright/test';
import { APP, DEMO_KEY, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * Each role's main flow in the console: the operator triages a message from the queue, the
 * executor takes it and drafts the answer, the head reads the draft and approves it, and the
 * supervisor's on-time figure counts one more answer given in time, down to the message itself.
 */
test.describe.configure({ mode: 'serial' });

const card = (page: Page) => page.getByRole('complementary', { name: 'Карточка сообщения' });
/** The status a card shows (the chip of its first line). */
const cardStatus = (page: Page) => card(page).locator('.meta .chip').first();

test.describe('a message through every role', () => {
  let id: string;
  let answeredBefore = 0;

  /** «В срок» of «Контроль сроков»: «N из M ответов», read afresh from the server. */
  const onTime = async (page: Page) => {
    await page.goto(`${APP}control`);
    const note = page.locator('.figure-card', { hasText: 'В срок' });
    await expect(note).toContainText(/\d+ из \d+ ответов/);
    const match = /(\d+) из (\d+) ответов/.exec((await note.textContent()) ?? '');
    return { met: Number(match?.[1]), total: Number(match?.[2]) };
  };

  test('the supervisor notes the on-time figure', async ({ page }) => {
    await signInToApp(page, 'supervisor', `${APP}control`);
    answeredBefore = (await onTime(page)).met;
    await expect(page.getByRole('img', { name: 'Доля ответов в срок по неделям' }).or(page.getByText('За период ответов не было.'))).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the operator triages it from the queue: category and organization chosen, the message routed', async ({ page, request }) => {
    const res = await request.post('/api/v1/messages', {
      headers: { 'X-Api-Key': DEMO_KEY },
      data: {
        channel: 'pos',
        source: 'browser-flow',
        externalId: `flow-${Date.now()}`,
        text: 'Здравствуйте. Прошу разобраться, ситуация повторяется.',
        createdAt: new Date().toISOString(),
        applicant: { name: 'Петров Пётр Петрович', phone: '+79005554433' },
      },
    });
    expect(res.status()).toBe(201);
    id = (await res.json()).id;
    const operator = await tokenOf(request, 'operator');
    await expect
      .poll(async () => (await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json()).status, {
        timeout: 60_000,
      })
      .toBe('needs_triage');

    await signInToApp(page, 'operator');
    // The operator's first view is the queue.
    await expect(page).toHaveURL(new RegExp(`${APP}queue`));
    await expect(page.getByRole('link', { name: 'Очередь разбора' })).toHaveAttribute('aria-current', 'page');
    const row = page.locator(`tr[data-id="${id}"]`);
    await expect(row).toBeVisible();
    // The keyboard: j selects the first row, Enter opens its card.
    await page.keyboard.press('j');
    await expect(page.locator('tr[data-id][aria-selected="true"]')).toHaveCount(1);
    const firstId = await page.locator('tr[data-id][aria-selected="true"]').getAttribute('data-id');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`m=${firstId}`));
    await expect(card(page).getByRole('heading', { level: 2 })).toBeFocused();
    await row.click();
    await expect(page).toHaveURL(new RegExp(`m=${id}`));
    await expect(card(page)).toContainText('Прошу разобраться');
    expect(await seriousViolations(page)).toEqual([]);

    const triage = card(page).getByRole('form', { name: 'Категория и организация' });
    await triage.getByRole('combobox', { name: 'Категория (c)' }).fill('Медицина');
    await page.keyboard.press('Enter');
    await expect(triage.getByRole('combobox', { name: 'Категория (c)' })).toHaveValue('Медицина');
    await triage.getByRole('combobox', { name: 'Организация (o)' }).fill('Министерство здравоохранения');
    await page.getByRole('option', { name: 'Министерство здравоохранения Ростовской области', exact: true }).click();
    await triage.getByRole('button', { name: 'Назначить' }).click();
    // Triaged, it leaves the queue; the card moves on.
    await expect(row).toHaveCount(0);
    await expect(page).not.toHaveURL(new RegExp(`m=${id}`));

    await page.goto(`${APP}all?m=${id}`);
    await expect(card(page).getByRole('heading', { level: 2 })).toHaveText('Медицина');
    await expect(cardStatus(page)).toHaveText('Назначен исполнитель');
    await expect(card(page).locator('dl.facts')).toContainText('Министерство здравоохранения Ростовской области');
    await expect(card(page).locator('ol.history')).toContainText('Выбраны категория и организация');
    await expect(card(page).locator('ol.history')).toContainText('Оператор ЦУР (демо)');
  });

  test('the executor takes it and sends a draft for approval; a direct answer is not offered', async ({ page }) => {
    await signInToApp(page, 'executor1');
    await expect(page.getByRole('link', { name: 'Входящие' })).toHaveAttribute('aria-current', 'page');
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.click();
    await expect(card(page)).toContainText('Прошу разобраться');
    const actions = card(page).getByRole('group', { name: 'Другие действия' });
    await expect(actions.getByRole('button', { name: 'Взять в работу' })).toBeVisible();
    await expect(card(page).getByRole('button', { name: 'Отправить ответ' })).toHaveCount(0);
    await actions.getByRole('button', { name: 'Взять в работу' }).click();
    await expect(row.locator('.col-status')).toHaveText('В работе');

    // The action moved the card on: back to the message to draft the answer.
    await row.click();
    await expect(cardStatus(page)).toHaveText('В работе');
    await expect(card(page).getByRole('button', { name: 'Отправить ответ' })).toHaveCount(0);
    await actions.getByRole('button', { name: 'На согласование' }).click();
    const draft = card(page).getByRole('form', { name: 'На согласование' });
    await draft.getByLabel('Проект ответа').fill('Запись к терапевту открыта, талоны выдаются ежедневно с 8:00.');
    expect(await seriousViolations(page)).toEqual([]);
    await draft.getByRole('button', { name: 'На согласование' }).click();
    await expect(row.locator('.col-status')).toHaveText('На согласовании');
  });

  test('the head reads the draft and approves it: the answer is sent', async ({ page }) => {
    await signInToApp(page, 'head1', `${APP}inbox?m=${id}`);
    await expect(cardStatus(page)).toHaveText('На согласовании');
    const draft = card(page).getByRole('region', { name: /Проект ответа/ });
    await expect(draft).toContainText('Запись к терапевту открыта');
    await expect(draft).toContainText('Исполнитель Минздрава (демо)');
    expect(await seriousViolations(page)).toEqual([]);
    await card(page).getByRole('group', { name: 'Другие действия' }).getByRole('button', { name: 'Согласовать и отправить' }).click();
    await card(page).getByRole('form', { name: 'Согласовать и отправить' }).getByRole('button', { name: 'Согласовать и отправить' }).click();
    // An answered message leaves the inbox (open messages only); its card is in the history of it.
    await expect(page.locator(`tr[data-id="${id}"]`)).toHaveCount(0);
    await page.goto(`${APP}inbox?m=${id}`);
    await expect(cardStatus(page)).toHaveText('Ответ отправлен');
    await expect(card(page).locator('ol.history')).toContainText('Ответ отправлен');
  });

  test('the supervisor sees one more answer given on time, and can drill down to it', async ({ page }) => {
    await signInToApp(page, 'supervisor', `${APP}control`);
    await expect.poll(async () => (await onTime(page)).met, { timeout: 20_000 }).toBe(answeredBefore + 1);

    // «Мониторинг»: the on-time card lists the answers it counts; this one among them.
    await page.getByRole('link', { name: 'Мониторинг' }).click();
    await page.locator('[data-card="pos-answeredOnTime"]').click();
    const listed = page.locator(`#m-drill-rows tr[data-id="${id}"]`);
    await expect(listed).toBeVisible();
    await listed.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`${APP}all\\?m=${id}$`));
    await expect(cardStatus(page)).toHaveText('Ответ отправлен');
    const clocks = card(page).getByRole('table', { name: /Сроки/ });
    await expect(clocks.getByRole('row', { name: /Ответ заявителю/ })).toContainText('Соблюдён');
    // Personal data stays masked for the supervisor; the history shows who did what, and the answer sent.
    await expect(card(page).locator('dl.facts')).toContainText('персональные данные скрыты');
    const history = card(page).locator('ol.history').first();
    await expect(history.locator('li', { hasText: 'Ответ отправлен' })).toContainText('Руководитель Минздрава (демо)');
    await history.locator('li', { hasText: 'Ответ отправлен' }).locator('summary', { hasText: 'Текст' }).click();
    await expect(history.locator('li', { hasText: 'Ответ отправлен' })).toContainText('талоны выдаются ежедневно');
    // Whoever was shown the applicant's data is on record for the supervisor: the executor and the head who handled it.
    const shown = card(page).getByRole('region', { name: 'Доступ к персональным данным' });
    await expect(shown).toContainText('Исполнитель Минздрава (демо)');
    await expect(shown).toContainText('Руководитель Минздрава (демо)');
    await expect(shown).not.toContainText('Контролёр');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
