import { expect, Page, test } from '@playwright/test';
import { routedMessage, signInAs, tokenOf } from './support';

/**
 * The monitoring dashboard in the console: a supervisor opens «Мониторинг», the charts are drawn
 * by ECharts, a figure opens the list of the messages it counts (as long as the figure), and the
 * deadlines view's weekly chart is drawn by ECharts too; no content security policy violation.
 */
test.describe.configure({ mode: 'serial' });

function policyViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}

test.describe('the monitoring dashboard', () => {
  test.beforeAll(async ({ request }) => {
    // This month has messages: two for Taganrog's roads, one for Minzdrav answered by its head (an answer this week).
    await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса.', 'Таганрог');
    await routedMessage(request, 'На улице Чехова разбит асфальт, ямы на проезжей части после зимы.', 'Таганрог');
    const health = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    expect(health.organization?.id).toBe('min-health');
    const head = await tokenOf(request, 'head1');
    const answered = await request.post(`/api/v1/messages/${health.id}/answer`, {
      headers: { Authorization: `Bearer ${head}` },
      data: { text: 'Запись к терапевту открыта, талоны выдаются ежедневно с 8:00.' },
    });
    expect(answered.status()).toBe(200);
  });

  test('a supervisor opens «Мониторинг»: the month’s cards and the charts, drawn by ECharts', async ({ page, request }) => {
    const violations = policyViolations(page);
    await signInAs(page, 'supervisor');
    await page.getByRole('tab', { name: 'Мониторинг' }).click();
    await expect(page.locator('#m-scope')).toContainText('Ростовская область');
    const token = await tokenOf(request, 'supervisor');
    const dashboard = await (await request.get('/api/v1/reports/dashboard', { headers: { Authorization: `Bearer ${token}` } })).json();
    // The month picker shows the current month; the cards show the API's figures.
    await expect(page.locator('#m-month')).toHaveValue(`${dashboard.year}-${String(dashboard.month).padStart(2, '0')}`);
    await expect(page.locator('[data-card="pos-received"] .figure')).toHaveText(String(dashboard.totals.pos.received));
    await expect(page.locator('[data-card="pos-answered"] .figure')).toHaveText(String(dashboard.totals.pos.answered));
    expect(dashboard.totals.pos.received).toBeGreaterThanOrEqual(3);
    for (const id of ['m-volume', 'm-categories', 'm-weekly', 'm-heatmap', 'm-organizations'])
      await expect(page.locator(`#${id}`).locator('svg, canvas').first()).toBeVisible();
    // The league table lands separately: its panel either shows it or says it will come.
    await expect(page.locator('#m-ratings')).toContainText(/Рейтинг будет доступен позже|Место/);
    expect(violations).toEqual([]);
  });

  test('a card opens, from the keyboard, the list of the messages it counts: as long as its figure; Esc closes it', async ({ page }) => {
    await signInAs(page, 'supervisor');
    await page.getByRole('tab', { name: 'Мониторинг' }).click();
    const card = page.locator('[data-card="pos-received"]');
    await expect(card.locator('.figure')).toHaveText(/^\d+$/);
    const figure = Number(await card.locator('.figure').textContent());
    await card.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#m-drill')).toBeVisible();
    await expect(page.locator('#m-drill-title')).toBeFocused();
    await expect(page.locator('#m-drill-total')).toHaveText(String(figure));
    await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Math.min(figure, 100));
    // A row opens the message card; the list has no personal data.
    await expect(page.locator('#m-drill')).not.toContainText('Петров');
    const first = page.locator('#m-drill-rows tbody tr').first();
    const id = await first.getAttribute('data-id');
    await first.locator('a.link').click();
    await expect(page).toHaveURL(new RegExp(`#/messages/${id}$`));
    await expect(page.locator('#detail h2')).toBeVisible();
    await page.locator('body').press('Escape');
    await expect(page.locator('#m-drill')).toBeHidden();
    await expect(card).toBeFocused();

    // The on-time card: its list is the answers given on time, as many as it says.
    const onTime = page.locator('[data-card="pos-answeredOnTime"]');
    const note = (await onTime.locator('.muted').textContent()) ?? '';
    const met = Number(/(\d+) из/.exec(note)?.[1]);
    await onTime.click();
    await expect(page.locator('#m-drill-total')).toHaveText(String(met));
    await page.getByRole('button', { name: 'Закрыть' }).click();
    await expect(page.locator('#m-drill')).toBeHidden();
  });

  test('a heat-map cell and a day of the volume chart open lists as long as their numbers', async ({ page }) => {
    await signInAs(page, 'supervisor');
    await page.getByRole('tab', { name: 'Мониторинг' }).click();
    for (const id of ['m-heatmap', 'm-volume']) {
      const panel = page.locator('.chart', { has: page.locator(`#${id}`) });
      await panel.locator('summary').click();
      const cell = panel.locator('button.num').first();
      await expect(cell).toBeVisible();
      const n = (await cell.textContent())?.trim();
      await cell.click();
      await expect(page.locator('#m-drill-total')).toHaveText(n!);
      await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Number(n));
      await page.locator('body').press('Escape');
      await expect(page.locator('#m-drill')).toBeHidden();
    }
  });

  test('a head sees its own organization only; the deadlines view’s weekly chart is drawn by ECharts', async ({ page }) => {
    await signInAs(page, 'head1');
    await page.getByRole('tab', { name: 'Мониторинг' }).click();
    await expect(page.locator('#m-scope')).toContainText('Министерство здравоохранения');
    await expect(page.locator('#m-org')).toHaveCount(0);
    await expect(page.locator('[data-card="pos-answered"] .figure')).not.toHaveText('0');
    await page.getByRole('tab', { name: 'Контроль сроков' }).click();
    await expect(page.locator('#control-weekly').locator('svg, canvas').first()).toBeVisible();
    await expect(page.locator('#control-weekly')).toHaveAttribute('aria-label', 'Доля ответов в срок по неделям');
  });
});
