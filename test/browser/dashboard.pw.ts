import { expect, test } from '@playwright/test';
import { APP, routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * A head's dashboards. «Мониторинг» (the cards as the API counts them, the ECharts charts, a card or
 * a cell opening the list it counts, a head limited to its organization) is monitoring-app.pw.ts;
 * the supervisor's «Контроль сроков» is control-app.pw.ts. What is left here: the head's own
 * deadlines view, its weekly chart drawn by ECharts over its organization's answers only.
 */
test('a head’s «Контроль сроков»: its organization’s figures, and the weekly chart drawn by ECharts', async ({ page, request }) => {
  // This week has answers: one by the ministry's head, and one of Taganrog's (not the head's to see).
  const health = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
  const roads = await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса.', 'Таганрог');
  expect(health.organization?.id).toBe('min-health');
  expect(roads.organization?.id).toBe('adm-taganrog');
  // Taganrog has no head among the demo users: the admin makes one, who answers there.
  const taganrogHead = { login: `tg.head.${Date.now() % 100000}`, password: 'a-long-enough-password' };
  const created = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${await tokenOf(request, 'admin')}` },
    data: {
      ...taganrogHead,
      displayName: 'Руководитель Таганрога',
      roles: ['head'],
      organizationId: 'adm-taganrog',
      reason: 'Назначен руководителем',
    },
  });
  expect(created.status()).toBe(201);
  const tokenFor = async (login: string, password = login) =>
    (await (await request.post('/api/v1/auth/login', { data: { login, password } })).json()).accessToken as string;
  const answer = async (token: string, id: string) =>
    expect(
      (
        await request.post(`/api/v1/messages/${id}/answer`, { headers: { Authorization: `Bearer ${token}` }, data: { text: 'Ответ дан, вопрос решён.' } })
      ).status(),
    ).toBe(200);
  await answer(await tokenFor('head1'), health.id);
  await answer(await tokenFor(taganrogHead.login, taganrogHead.password), roads.id);
  // The supervisor's figures have both organizations; the head's screen has its own only.
  const summary = await (await request.get('/api/v1/sla/summary', { headers: { Authorization: `Bearer ${await tokenOf(request, 'supervisor')}` } })).json();
  expect(summary.byOrganization.map((o: { organization: { id: string } }) => o.organization.id)).toEqual(
    expect.arrayContaining(['min-health', 'adm-taganrog']),
  );

  await signInToApp(page, 'head1', `${APP}control`);
  await expect(page.getByRole('link', { name: 'Контроль сроков' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.figure-card', { hasText: 'В срок' }).locator('.figure-value')).not.toHaveText('—');
  const chart = page.getByRole('img', { name: 'Доля ответов в срок по неделям' });
  await expect(chart.locator('svg')).toBeVisible();
  await expect(chart).toContainText('в срок');
  await expect(page.getByRole('main')).toContainText('Министерство здравоохранения');
  await expect(page.getByRole('main')).not.toContainText('Администрация города Таганрога');
  expect(await seriousViolations(page)).toEqual([]);
});
