import { APIRequestContext, expect, test } from '@playwright/test';
import type { AtRiskPage } from '@cur/contracts';
import { routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * «Контроль сроков» in the typed console (/control): the figures, the weekly chart (ECharts,
 * loaded with the view) and its drill into the week's breaches, the at-risk list and a message
 * opened from it.
 *
 * What real data can and cannot show here: an answer given on time is made through the API in
 * seconds, so the figures and the chart are the server's own. A clock at risk needs 75% of its
 * term to pass (hours of working time at the least: clocks count from the receipt, never from a
 * date the sender gives), and the deadline watch looks once a minute; so the at-risk list is
 * answered by the browser test itself (page.route) with a real message's id, and the card that
 * opens from it is the server's.
 */
test.describe.configure({ mode: 'serial' });

const signIn = signInToApp;

/** A health message answered on time: taken and drafted by the ministry's executor, approved by its head. */
async function answeredOnTime(request: APIRequestContext): Promise<string> {
  const m = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц. Контроль сроков.', 'Ростов-на-Дону');
  expect(m.organization?.id).toBe('min-health');
  const executor = { Authorization: `Bearer ${await tokenOf(request, 'executor1')}` };
  const head = { Authorization: `Bearer ${await tokenOf(request, 'head1')}` };
  expect((await request.post(`/api/v1/messages/${m.id}/take`, { headers: executor, data: {} })).status()).toBe(200);
  expect(
    (await request.post(`/api/v1/messages/${m.id}/answer-draft`, { headers: executor, data: { text: 'Запись к терапевту открыта с 8:00.' } })).status(),
  ).toBe(200);
  expect((await request.post(`/api/v1/messages/${m.id}/answer-approval`, { headers: head, data: {} })).status()).toBe(200);
  return m.id;
}

function atRisk(messageId: string): AtRiskPage {
  return {
    items: [
      {
        clockId: '00000000-0000-4000-8000-0000000000c1',
        messageId,
        kind: 'final_answer',
        title: 'Ответ заявителю',
        organization: { id: 'min-health', name: 'Министерство здравоохранения Ростовской области' },
        dueAt: new Date(Date.now() + 2 * 3600e3).toISOString(),
        fractionPassed: 0.9,
        timeLeft: { ms: 2 * 3600e3, workingMs: 2 * 3600e3, text: '2 ч рабочего времени' },
      },
    ],
  };
}

test.describe('the deadlines view', () => {
  let answered: string;
  let open: string;

  test.beforeAll(async ({ request }) => {
    answered = await answeredOnTime(request);
    open = (await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса. Контроль сроков.', 'Таганрог')).id;
  });

  test('figures and the weekly chart come from the server; a week drills into its breaches', async ({ page }) => {
    expect(answered).toBeTruthy();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'supervisor', '/control');
    await expect(page.getByRole('link', { name: 'Контроль сроков' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Контроль сроков', level: 1 })).toBeVisible();
    const onTime = page.locator('.figure-card', { hasText: 'В срок' });
    await expect(onTime.locator('.figure-value')).not.toHaveText('—');
    await expect(onTime).toContainText(/\d+ из \d+ ответов/);
    // The chart is ECharts' SVG, loaded with the view; its labels are Russian.
    const chart = page.getByRole('img', { name: 'Доля ответов в срок по неделям' });
    await expect(chart.locator('svg')).toBeVisible();
    await expect(chart).toContainText('в срок');
    await expect(
      page.getByRole('table', { name: 'По организациям' }).or(page.locator('table').filter({ hasText: 'Министерство здравоохранения' })),
    ).toContainText('Министерство здравоохранения');
    // The engagements' results and decisions due are in the same view (order No. 733, item 4).
    await expect(page.getByRole('heading', { name: 'Сроки обсуждений, голосований и опросов' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // A click on the week's bar drills into the breaches due that week; Esc goes back to all.
    // The axis pointer's shade lies over the bar in the DOM; ECharts hit-tests by position, so the click goes to the bar.
    await chart.locator('svg path[fill="#2e7d32"]').first().click({ force: true });
    await expect(page).toHaveURL(/[?&]week=\d{4}-\d{2}-\d{2}/);
    await expect(page.getByRole('heading', { name: /Нарушения сроков, срок — неделя с/ })).toBeVisible();
    await page.locator('body').press('Escape');
    await expect(page).not.toHaveURL(/week=/);
    // The same drill by keyboard: the week buttons under the chart.
    await page.getByRole('group', { name: 'Нарушения по неделям' }).getByRole('button').last().click();
    await expect(page).toHaveURL(/[?&]week=/);
    await page.getByRole('button', { name: 'Все нарушения' }).click();
    await expect(page.getByRole('heading', { name: 'Нарушения сроков', exact: true })).toBeVisible();
  });

  test('a message at risk opens its card from the list', async ({ page }) => {
    await page.route('**/api/v1/sla/at-risk*', (route) => route.fulfill({ json: atRisk(open) }));
    await signIn(page, 'supervisor', '/control');
    const row = page.locator(`tr[data-id="${open}"]`);
    await expect(row).toContainText('Ответ заявителю');
    await expect(row).toContainText('2 ч рабочего времени');
    await expect(row).toContainText('90%');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/all\\?m=${open}$`));
    await expect(page.getByRole('complementary', { name: 'Карточка сообщения' })).toContainText('Огромная яма на дороге');
  });

  test('an agency head opens a message in the inbox, the first list the server gives the role', async ({ page }) => {
    await page.route('**/api/v1/sla/at-risk*', (route) => route.fulfill({ json: atRisk(answered) }));
    await signIn(page, 'head1', '/control');
    await expect(page.locator('.figure-card', { hasText: 'В срок' }).locator('.figure-value')).not.toHaveText('—');
    const link = page.locator(`tr[data-id="${answered}"]`).getByRole('link');
    await expect(link).toHaveAttribute('href', `/inbox?m=${answered}`);
    await link.click();
    await expect(page.getByRole('complementary', { name: 'Карточка сообщения' })).toContainText('В поликлинике невозможно записаться');
  });

  test('an unknown organization in the address is refused by the server, said in Russian', async ({ page }) => {
    await signIn(page, 'supervisor', '/control?organizationId=nobody');
    // Not the first alert: the page's notices (a month's summaries late past the 3rd) are alerts too.
    await expect(page.getByRole('alert').filter({ hasText: 'Неизвестная организация' }).first()).toBeVisible();
  });
});
