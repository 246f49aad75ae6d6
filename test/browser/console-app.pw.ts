import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { DEMO_KEY, tokenOf } from './support';

/**
 * The typed console (apps/console, served at /app/): lists for a shift, the card beside the list,
 * keyboard triage, and what axe finds on each screen.
 */
test.describe.configure({ mode: 'serial' });

const TERRITORY = 'Зерноградский район';
const TERRITORY_ID = 'zernogradsky-district';
let counter = 0;

async function signIn(page: Page, login: string, path = '/app/') {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toBeVisible();
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(login);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

/** Messages nothing in their text can route: they wait in the operator's queue. */
async function queued(request: APIRequestContext, count: number, text: (i: number) => string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request.post('/api/v1/messages', {
      headers: { 'X-Api-Key': DEMO_KEY },
      data: {
        channel: 'pos',
        source: 'console-app-test',
        externalId: `ca-${Date.now()}-${++counter}`,
        text: text(i),
        territory: TERRITORY,
        createdAt: new Date(Date.now() - (count - i) * 1000).toISOString(),
      },
    });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }
  const operator = await tokenOf(request, 'operator');
  await expect
    .poll(
      async () => {
        const statuses = await Promise.all(
          ids.map(async (id) => (await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json()).status),
        );
        return statuses.every((s) => s === 'needs_triage');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return ids;
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('the typed console', () => {
  let ids: string[] = [];

  test('the queue shows each message by its text and says why it waits', async ({ page, request }) => {
    ids = await queued(request, 10, (i) => `Здравствуйте. Прошу разобраться, ситуация повторяется уже ${i + 2} раз, ответа нет.`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'operator', `/app/queue?territoryId=${TERRITORY_ID}`);
    await expect(page.getByRole('link', { name: 'Очередь разбора' })).toHaveAttribute('aria-current', 'page');
    for (const id of ids) await expect(page.locator(`tr[data-id="${id}"]`)).toContainText('Прошу разобраться, ситуация повторяется');
    await expect(page.locator(`tr[data-id="${ids[0]}"] .col-reason`)).not.toBeEmpty();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('keyboard-only triage of ten messages: each action opens the next one', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'operator', `/app/queue?territoryId=${TERRITORY_ID}&sort=due`);
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
    await signIn(page, 'operator', `/app/queue?territoryId=${TERRITORY_ID}&m=${id}`);
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
    await signIn(page, 'operator', `/app/queue?territoryId=${TERRITORY_ID}&m=${id}`);
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
    await signIn(page, 'supervisor', '/app/all');
    await expect(page.locator('tr[data-id]').nth(29)).toBeAttached();
    const boxes = await Promise.all((await page.locator('tr[data-id]').all()).map((row) => row.boundingBox()));
    const visible = boxes.filter((b) => b && b.y + b.height <= page.viewportSize()!.height).length;
    expect(visible).toBeGreaterThanOrEqual(25);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
