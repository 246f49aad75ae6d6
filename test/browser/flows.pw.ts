import { expect, Page, test } from '@playwright/test';
import { DEMO_KEY, signInAs, tokenOf } from './support';

/**
 * Each role's main flow in the console: the operator triages a message from the queue, the
 * executor takes it and drafts the answer, the head approves it, and the supervisor's on-time
 * figure counts one more answer given in time.
 */
test.describe.configure({ mode: 'serial' });

test.describe('a message through every role', () => {
  let id: string;
  let answeredBefore = 0;

  const onTime = async (page: Page) => {
    await page.getByRole('tab', { name: 'Контроль сроков' }).click();
    const note = page.locator('[data-figure="on-time"] .muted');
    await expect(note).toBeVisible();
    const match = /(\d+) из (\d+)/.exec((await note.textContent()) ?? '');
    return { met: Number(match?.[1]), total: Number(match?.[2]) };
  };

  test('the supervisor notes the on-time figure', async ({ page }) => {
    await signInAs(page, 'supervisor');
    answeredBefore = (await onTime(page)).met;
    await expect(page.locator('svg[aria-label="Доля ответов в срок по неделям"], .chart .muted').first()).toBeVisible();
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
      },
    });
    id = (await res.json()).id;
    const operator = await tokenOf(request, 'operator');
    await expect
      .poll(async () => (await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json()).status, {
        timeout: 60_000,
      })
      .toBe('needs_triage');

    await signInAs(page, 'operator');
    await expect(page.getByRole('tab', { name: 'Очередь разбора' })).toHaveAttribute('aria-selected', 'true');
    const row = page.locator(`tr[data-id="${id}"]`);
    await expect(row).toBeVisible();
    // The keyboard: j selects the first row, Enter opens it.
    await page.locator('body').press('j');
    await expect(page.locator('tr.row.selected')).toHaveCount(1);
    const firstId = await page.locator('tr.row.selected').getAttribute('data-id');
    await page.locator('body').press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/messages/${firstId}$`));
    await expect(page.locator('#detail h2')).toBeVisible();
    await row.click();
    await expect(page).toHaveURL(new RegExp(`#/messages/${id}$`));
    await expect(page.locator('#detail')).toContainText('Прошу разобраться');
    await page.locator('#a-category').selectOption('pos.medicine');
    await page.locator('#a-organization').selectOption('min-health');
    await page.locator('#a-text').fill('Жалоба на поликлинику');
    await page.locator('button.act[data-act="category"]', { hasText: 'Назначить' }).click();
    await expect(page.locator('#detail h2 .chip')).toHaveText('Назначен исполнитель');
    await expect(page.locator('#detail')).toContainText('Министерство здравоохранения');
    await expect(page.locator('#detail table.history')).toContainText('Категория выбрана оператором');
  });

  test('the executor takes it and sends a draft for approval; a direct answer is not offered', async ({ page }) => {
    await signInAs(page, 'executor1');
    await expect(page.getByRole('tab', { name: 'Входящие' })).toHaveAttribute('aria-selected', 'true');
    await page.goto(`/#/messages/${id}`);
    await expect(page.locator('#detail')).toContainText('Прошу разобраться');
    await expect(page.locator('button.act[data-act="answer"]')).toHaveCount(0);
    await page.locator('body').press('t');
    await expect(page.locator('#detail h2 .chip')).toHaveText('В работе');
    await page.locator('#a-text').fill('Запись к терапевту открыта, талоны выдаются ежедневно с 8:00.');
    await page.locator('button.act[data-act="answer-draft"]').click();
    await expect(page.locator('#detail h2 .chip')).toHaveText('На согласовании');
  });

  test('the head reads the draft and approves it: the answer is sent', async ({ page }) => {
    await signInAs(page, 'head1');
    await page.goto(`/#/messages/${id}`);
    await expect(page.locator('#detail')).toContainText('Запись к терапевту открыта');
    await page.locator('button.act[data-act="answer-approval"]').click();
    await expect(page.locator('#detail h2 .chip')).toHaveText('Ответ отправлен');
    await expect(page.locator('#detail table.history')).toContainText('Ответ отправлен');
  });

  test('the supervisor sees one more answer given on time, and can drill down to it', async ({ page }) => {
    await signInAs(page, 'supervisor');
    await expect.poll(async () => (await onTime(page)).met, { timeout: 20_000 }).toBe(answeredBefore + 1);
    await page.goto(`/#/messages/${id}`);
    await expect(page.locator('#detail table.clocks')).toContainText('соблюдён');
    // Personal data stays masked for the supervisor; the history shows who did what.
    await expect(page.locator('#detail table.history')).toContainText('head1');
    await expect(page.locator('#detail')).toContainText('Доступ к персональным данным');
  });
});
