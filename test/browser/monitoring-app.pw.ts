import { expect, Page, test } from '@playwright/test';
import { policyViolations, routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * «Мониторинг» in the typed console (apps/console, /monitoring): the month's cards show the
 * API's figures, the charts are drawn by ECharts, and a card, a table's number or a chart's cell
 * opens the list of the messages it counts, as long as the figure; a head sees its own organization.
 */
test.describe.configure({ mode: 'serial' });

const signIn = (page: Page, login: string, path = '/monitoring') => signInToApp(page, login, path);

const drill = (page: Page) => page.locator('#m-drill');

test.describe('«Мониторинг» in the typed console', () => {
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

  test('a supervisor sees the month’s cards as the API counts them, the charts drawn by ECharts, the league table', async ({ page, request }) => {
    const violations = policyViolations(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'supervisor');
    await expect(page.getByRole('link', { name: 'Мониторинг' })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('#m-scope')).toContainText('Ростовская область');
    const token = await tokenOf(request, 'supervisor');
    const dashboard = await (await request.get('/api/v1/reports/dashboard', { headers: { Authorization: `Bearer ${token}` } })).json();
    await expect(page.getByLabel('Месяц', { exact: true })).toHaveValue(`${dashboard.year}-${String(dashboard.month).padStart(2, '0')}`);
    expect(dashboard.totals.pos.received).toBeGreaterThanOrEqual(3);
    for (const section of ['pos', 'social', 'appeals'])
      for (const figure of ['received', 'answered', 'openOverdue'])
        await expect(page.locator(`[data-card="${section}-${figure}"] .figure`)).toHaveText(String(dashboard.totals[section][figure]));
    for (const id of ['m-volume', 'm-categories', 'm-weekly', 'm-heatmap', 'm-organizations']) {
      await expect(page.locator(`#${id} svg`).first()).toBeVisible();
      await expect(page.locator(`#${id}`)).toHaveAttribute('role', 'img');
      await expect(page.locator(`#${id}`)).toHaveAttribute('aria-label', /.+/);
    }
    // Axis labels are Russian: the categories' names on the top-categories chart.
    await expect(page.locator('#m-categories svg')).toContainText(dashboard.topCategories[0].categoryName.slice(0, 10));
    await expect(page.locator('#m-ratings')).toContainText(/Рейтинг будет доступен позже|Место/);
    // The organization picker is offered to a supervisor.
    await expect(page.getByRole('combobox', { name: 'Организация' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
  });

  test('a card opens, from the keyboard, the list of the messages it counts: as long as its figure; Esc closes it and focus goes back', async ({ page }) => {
    await signIn(page, 'supervisor');
    const card = page.locator('[data-card="pos-received"]');
    await expect(card.locator('.figure')).toHaveText(/^\d+$/);
    const figure = Number(await card.locator('.figure').textContent());
    await card.focus();
    await page.keyboard.press('Enter');
    await expect(drill(page)).toBeVisible();
    await expect(page.locator('#m-drill-title')).toBeFocused();
    await expect(page.locator('#m-drill-total')).toHaveText(String(figure));
    await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Math.min(figure, 100));
    // The list has no personal data; it is in the address, so a reload shows it again.
    await expect(drill(page)).not.toContainText('Петров');
    expect(new URL(page.url()).searchParams.get('drill')).toContain('figure=received');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(drill(page)).toHaveCount(0);
    await expect(card).toBeFocused();

    // The on-time card: its list is the answers given on time, as many as it says.
    const onTime = page.locator('[data-card="pos-answeredOnTime"]');
    const met = Number(/(\d+) из/.exec((await onTime.locator('.note').textContent()) ?? '')?.[1]);
    await onTime.click();
    await expect(page.locator('#m-drill-total')).toHaveText(String(met));
    await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(met);
    await drill(page).getByRole('button', { name: 'Закрыть' }).click();
    await expect(drill(page)).toHaveCount(0);
  });

  test('a row of a list opens the message in «Все сообщения»', async ({ page }) => {
    await signIn(page, 'supervisor');
    await page.locator('[data-card="pos-received"]').click();
    const first = page.locator('#m-drill-rows tbody tr').first();
    const id = await first.getAttribute('data-id');
    await first.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/all\\?m=${id}$`));
    await expect(page.getByRole('link', { name: 'Все сообщения' })).toHaveAttribute('aria-current', 'page');
  });

  test('a table’s numbers, a heat-map cell and a bar open lists as long as their numbers', async ({ page }) => {
    await signIn(page, 'supervisor');
    for (const name of ['Категории × территории', 'Поступление по дням и каналам', 'Ответы в срок по организациям']) {
      const panel = page.getByRole('region', { name });
      await panel.locator('summary').click();
      const cell = panel.locator('button.num').first();
      await expect(cell).toBeVisible();
      const n = (await cell.textContent())?.trim();
      await cell.click();
      await expect(page.locator('#m-drill-total')).toHaveText(n!);
      await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Number(n));
      await page.keyboard.press('Escape');
      await expect(drill(page)).toHaveCount(0);
    }
    // The heat map's cells carry their numbers as labels: a click on one opens its list.
    const label = page.locator('#m-heatmap svg text').filter({ hasText: /^\d+$/ }).first();
    const n = (await label.textContent())!.trim();
    await label.click();
    await expect(drill(page)).toBeVisible();
    await expect(page.locator('#m-drill-title')).toContainText(': поступило');
    await expect(page.locator('#m-drill-total')).toHaveText(n);
    await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Number(n));
    await page.keyboard.press('Escape');

    // The tallest bar of the volume chart (today's ПОС): a click opens that day's list, as long as the table's number of that day.
    let bar: { x: number; y: number; height: number } | null = null;
    // The chart on screen first: a click lands where the bar is drawn.
    await page.locator('#m-volume').scrollIntoViewIfNeeded();
    for (const path of await page.locator('#m-volume svg path').all()) {
      if (!/#2457c5|rgb\(36,\s*87,\s*197\)/i.test((await path.getAttribute('fill')) ?? '')) continue;
      const box = await path.boundingBox();
      if (box && (!bar || box.height > bar.height)) bar = { x: box.x + box.width / 2, y: box.y + box.height / 2, height: box.height };
    }
    expect(bar).not.toBeNull();
    await page.mouse.click(bar!.x, bar!.y);
    await expect(page.locator('#m-drill-title')).toHaveText(/^ПОС: поступило (\d\d\.\d\d\.\d{4}): \d+$/);
    const day = /(\d\d\.\d\d\.\d{4})/.exec((await page.locator('#m-drill-title').textContent())!)![1];
    const volume = page.getByRole('region', { name: 'Поступление по дням и каналам' });
    const posOfDay = (await volume
      .locator('tr', { has: page.getByRole('cell', { name: day, exact: true }) })
      .locator('td')
      .nth(1)
      .textContent())!.trim();
    await expect(page.locator('#m-drill-total')).toHaveText(posOfDay);
    await expect(page.locator('#m-drill-rows tbody tr')).toHaveCount(Number(posOfDay));
  });

  test('a head sees its own organization only', async ({ page }) => {
    await signIn(page, 'head1');
    await expect(page.locator('#m-scope')).toContainText('Министерство здравоохранения');
    await expect(page.getByRole('combobox', { name: 'Организация' })).toHaveCount(0);
    await expect(page.locator('[data-card="pos-answered"] .figure')).not.toHaveText('0');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
