import { APIRequestContext, expect, test } from '@playwright/test';
import { DEMO_KEY, routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * The typed console (apps/console, served at /): lists for a shift, the card beside the list,
 * keyboard triage, and what axe finds on each screen.
 */
test.describe.configure({ mode: 'serial' });

const TERRITORY = 'Зерноградский район';
const TERRITORY_ID = 'zernogradsky-district';
const OTHER_TERRITORY = 'Сальский район';
const OTHER_TERRITORY_ID = 'salsky-district';
const BULK_TERRITORY = 'Азов';
const BULK_TERRITORY_ID = 'azov';
const MERGE_TERRITORY = 'Батайск';
const MERGE_TERRITORY_ID = 'bataysk';
let counter = 0;

const signIn = signInToApp;

/** Messages posted through the intake, once triage has decided on them (routed or queued). */
async function posted(
  request: APIRequestContext,
  count: number,
  text: (i: number) => string,
  territory = TERRITORY,
  externalId?: (i: number) => string,
): Promise<{ ids: string[]; statuses: string[] }> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request.post('/api/v1/messages', {
      headers: { 'X-Api-Key': DEMO_KEY },
      data: {
        channel: 'pos',
        source: 'console-app-test',
        externalId: externalId?.(i) ?? `ca-${Date.now()}-${++counter}`,
        text: text(i),
        territory,
        createdAt: new Date(Date.now() - (count - i) * 1000).toISOString(),
      },
    });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }
  const operator = await tokenOf(request, 'operator');
  let statuses: string[] = [];
  await expect
    .poll(
      async () => {
        statuses = await Promise.all(
          ids.map(async (id) => (await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json()).status),
        );
        return statuses.every((s) => s !== 'new');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return { ids, statuses };
}

/** Messages nothing in their text can route: they wait in the operator's queue. */
async function queued(request: APIRequestContext, count: number, text: (i: number) => string, territory = TERRITORY): Promise<string[]> {
  const { ids, statuses } = await posted(request, count, text, territory);
  expect(statuses).toEqual(ids.map(() => 'needs_triage'));
  return ids;
}

test.describe('the typed console', () => {
  let ids: string[] = [];

  test('the queue shows each message by its text and says why it waits', async ({ page, request }) => {
    ids = await queued(request, 10, (i) => `Здравствуйте. Прошу разобраться, ситуация повторяется уже ${i + 2} раз, ответа нет.`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'operator', `/queue?territoryId=${TERRITORY_ID}`);
    await expect(page.getByRole('link', { name: 'Очередь разбора' })).toHaveAttribute('aria-current', 'page');
    for (const id of ids) await expect(page.locator(`tr[data-id="${id}"]`)).toContainText('Прошу разобраться, ситуация повторяется');
    await expect(page.locator(`tr[data-id="${ids[0]}"] .col-reason`)).not.toBeEmpty();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('keyboard-only triage of ten messages: each action opens the next one', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'operator', `/queue?territoryId=${TERRITORY_ID}&sort=due`);
    await expect(page.locator('tr[data-id]')).toHaveCount(10);
    const order = await Promise.all((await page.locator('tr[data-id]').all()).map(async (row) => (await row.getAttribute('data-id'))!));
    expect([...order].sort()).toEqual([...ids].sort());
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    for (const id of order) {
      const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
      await expect(page).toHaveURL(new RegExp(`m=${id}`));
      await expect(card.getByRole('heading', { level: 2 })).toBeFocused();
      await page.keyboard.press('c');
      await expect(card.getByRole('combobox', { name: 'Категория (c)' })).toBeFocused();
      await page.keyboard.type('Медицина');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      if (id !== order[order.length - 1]) await expect(page).not.toHaveURL(new RegExp(`m=${id}`));
    }
    await expect(page).not.toHaveURL(/m=/);
    await expect(page.locator('tr[data-id]')).toHaveCount(0);
  });

  test('the history of a triaged message names the operator’s choice', async ({ request }) => {
    const operator = await tokenOf(request, 'operator');
    for (const id of ids) {
      const m = await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json();
      expect(m.category?.code).toBe('pos.medicine');
      expect(m.organization?.id).toBe('min-health');
      expect(m.history.some((h: { actor: string }) => h.actor === 'operator')).toBe(true);
    }
  });

  test('at 1366×768 the card never covers the list: the status column ends where the card begins', async ({ page, request }) => {
    const [id] = await queued(request, 1, () => 'Прошу проверить, ситуация не меняется, а письма остаются без ответа.');
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'operator', `/queue?territoryId=${TERRITORY_ID}&m=${id}`);
    const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
    await expect(card).toContainText('письма остаются без ответа');
    const status = await page.locator(`tr[data-id="${id}"] td.col-status`).boundingBox();
    const cardBox = await card.boundingBox();
    expect(status && cardBox).toBeTruthy();
    expect(status!.x + status!.width).toBeLessThanOrEqual(cardBox!.x + 1);
    const chip = await page.locator(`tr[data-id="${id}"] td.col-status .chip`).boundingBox();
    expect(chip!.x + chip!.width).toBeLessThanOrEqual(status!.x + status!.width);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('Esc closes the topmost layer only: the help first, then the card', async ({ page, request }) => {
    const [id] = await queued(request, 1, () => 'Прошу ответить, обращение без ответа уже давно.');
    await signIn(page, 'operator', `/queue?territoryId=${TERRITORY_ID}&m=${id}`);
    const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
    await expect(card).toBeVisible();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Клавиши' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(card).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(card).toHaveCount(0);
  });

  test('at 1440×900 more than 25 rows fit on the screen', async ({ page, request }) => {
    for (let i = 0; i < 30; i++) {
      const res = await request.post('/api/v1/messages', {
        headers: { 'X-Api-Key': DEMO_KEY },
        data: {
          channel: 'pos',
          source: 'console-app-test',
          externalId: `rows-${Date.now()}-${i}`,
          text: `Строка списка ${i}`,
          createdAt: new Date().toISOString(),
        },
      });
      expect(res.status()).toBe(201);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'supervisor', '/all');
    await expect(page.locator('tr[data-id]').nth(29)).toBeAttached();
    const boxes = await Promise.all((await page.locator('tr[data-id]').all()).map((row) => row.boundingBox()));
    // Rows whole on screen above the list's footer (not under it).
    const footer = (await page.locator('.list-status').boundingBox())!;
    const visible = boxes.filter((b) => b && b.y + b.height <= footer.y).length;
    expect(visible).toBeGreaterThanOrEqual(25);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('search finds a message by a phrase of its text (matches marked) and by its portal number', async ({ page, request }) => {
    const number = `77${Date.now()}`;
    const {
      ids: [id],
    } = await posted(
      request,
      1,
      () => 'Во дворе дома сломали качели, дети качаются на обломках металлической конструкции.',
      OTHER_TERRITORY,
      () => number,
    );
    await signIn(page, 'operator', '/all');
    await page.getByRole('searchbox', { name: 'Поиск' }).fill('сломанные качели');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/q=/);
    const row = page.locator(`tr[data-id="${id}"]`);
    await expect(row).toBeVisible();
    await expect(row.locator('mark').first()).toBeVisible();
    await page.getByRole('searchbox', { name: 'Поиск' }).fill(number);
    await page.keyboard.press('Enter');
    await expect(page.locator('tr[data-id]')).toHaveCount(1);
    await expect(row).toBeVisible();
    // The search is in the address: the same link opens the same result in a new tab of this session.
    const tab = await page.context().newPage();
    await tab.goto(page.url());
    await expect(tab.locator(`tr[data-id="${id}"]`)).toBeVisible();
    await expect(tab.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toHaveCount(0);
    await tab.close();
  });

  test('a message link opened in a new tab shows the card without signing in again', async ({ page, request }) => {
    const {
      ids: [id],
    } = await posted(request, 1, () => 'Проверка ссылки на сообщение в новой вкладке: фонарь не горит.', OTHER_TERRITORY);
    await signIn(page, 'operator', '/queue');
    const tab = await page.context().newPage();
    await tab.goto(`/all?m=${id}`);
    await expect(tab.getByRole('complementary', { name: 'Карточка сообщения' })).toContainText('фонарь не горит');
    await expect(tab.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toHaveCount(0);
  });

  test('the selection and the open card stay on their message while new messages arrive', async ({ page, request }) => {
    const { ids } = await posted(request, 3, (i) => `Сообщение для проверки выбора номер ${i}: не убирают снег во дворе.`, OTHER_TERRITORY);
    await signIn(page, 'operator', `/all?territoryId=${OTHER_TERRITORY_ID}`);
    await page.locator(`tr[data-id="${ids[1]}"]`).click();
    await expect(page).toHaveURL(new RegExp(`m=${ids[1]}`));
    const { ids: more } = await posted(request, 2, (i) => `Новое сообщение во время работы ${i}: не убирают снег во дворе.`, OTHER_TERRITORY);
    // The live stream brings them in without a reload.
    for (const id of more) await expect(page.locator(`tr[data-id="${id}"]`)).toBeVisible();
    await expect(page.locator('tr[aria-selected="true"]')).toHaveAttribute('data-id', ids[1]);
    await expect(page).toHaveURL(new RegExp(`m=${ids[1]}`));
    await page.keyboard.press('j');
    await expect(page.locator('tr[aria-selected="true"]')).not.toHaveAttribute('data-id', ids[1]);
  });

  test('bulk: three marked messages get one category, each with its own history entry', async ({ page, request }) => {
    const ids = await queued(request, 3, (i) => `Массовый разбор ${i}: прошу помочь, вопрос без ответа.`, BULK_TERRITORY);
    await signIn(page, 'operator', `/queue?territoryId=${BULK_TERRITORY_ID}`);
    for (const id of ids) {
      await page.locator(`tr[data-id="${id}"]`).click();
      await page.keyboard.press('x');
    }
    const bar = page.getByRole('form', { name: 'Действие с отмеченными: 3' });
    await expect(bar).toBeVisible();
    await bar.getByRole('combobox', { name: 'Категория' }).fill('Медицина');
    await page.keyboard.press('Enter');
    await bar.getByLabel('Причина (запишется в историю каждого)').fill('Жалобы на поликлинику');
    await bar.getByRole('button', { name: 'Выполнить' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Выполнено' })).toHaveText(/Выполнено: 3 из 3/);
    const operator = await tokenOf(request, 'operator');
    for (const id of ids) {
      const m = await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json();
      expect(m.category?.code).toBe('pos.medicine');
      expect(m.history.filter((h: { reason: string | null }) => h.reason === 'Жалобы на поликлинику')).toHaveLength(1);
    }
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('a duplicate is merged from the card’s suggestions: the two texts side by side, then Enter', async ({ page, request }) => {
    const {
      ids: [first],
    } = await posted(request, 1, () => 'У дома номер 12 по улице Садовой прорвало трубу, вода заливает подвал и двор.', MERGE_TERRITORY);
    const {
      ids: [second],
    } = await posted(request, 1, () => 'У дома номер 12 по улице Садовой прорвало трубу, вода заливает подвал!', MERGE_TERRITORY);
    await signIn(page, 'operator', `/all?territoryId=${MERGE_TERRITORY_ID}&m=${second}`);
    const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
    await expect(card.getByRole('region', { name: /Похожие сообщения/ })).toBeVisible();
    await card.getByRole('heading', { level: 2 }).focus();
    await page.keyboard.press('m');
    const merge = card.getByRole('form', { name: 'Объединение дублей' });
    await expect(merge).toContainText('вода заливает подвал и двор');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect(page).not.toHaveURL(new RegExp(`m=${second}`));
    const operator = await tokenOf(request, 'operator');
    const merged = await (await request.get(`/api/v1/messages/${second}`, { headers: { Authorization: `Bearer ${operator}` } })).json();
    expect(merged.duplicateOf).toBe(first);
  });

  test('a user keeps the filters on screen as a named view and opens it again from the list', async ({ page }) => {
    const name = `Азов — просроченные ${Date.now()}`;
    await signIn(page, 'operator', `/all?territoryId=${BULK_TERRITORY_ID}&overdue=true`);
    await page.getByRole('button', { name: 'Сохранить фильтры' }).click();
    await page.getByLabel('Название вида').fill(name);
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await expect(page.getByLabel('Мои виды').locator('option', { hasText: name })).toHaveCount(1);
    await page.goto('/all');
    await page.getByLabel('Мои виды').selectOption({ label: name });
    await expect(page).toHaveURL(new RegExp(`territoryId=${BULK_TERRITORY_ID}`));
    await expect(page).toHaveURL(/overdue=true/);
  });

  test('an executor answers from a template of the message’s category', async ({ page, request }) => {
    const admin = await tokenOf(request, 'admin');
    const title = `Запись к врачу ${Date.now()}`;
    const created = await request.post('/api/v1/answer-templates', {
      headers: { Authorization: `Bearer ${admin}` },
      data: { categoryCode: 'pos.medicine', title, body: 'Запись к терапевту открыта через портал и по телефону регистратуры.', reason: 'Частый вопрос' },
    });
    expect(created.status()).toBe(201);
    const message = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    expect(message.organization?.id).toBe('min-health');
    await signIn(page, 'executor1', `/inbox?m=${message.id}`);
    const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
    await card
      .getByRole('button', { name: /На согласование|Отправить ответ/ })
      .first()
      .click();
    await card.getByLabel('Шаблон ответа').selectOption({ label: title });
    await expect(card.getByRole('textbox', { name: /Проект ответа|Текст ответа заявителю/ })).toHaveValue(
      'Запись к терапевту открыта через портал и по телефону регистратуры.',
    );
    expect(await seriousViolations(page)).toEqual([]);
  });
});
