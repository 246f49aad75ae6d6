import { expect, test } from '@playwright/test';
import { APP, policyViolations, seriousViolations, signInToApp, signOutOfApp } from './support';

/**
 * The content security policy is strict about scripts and framing yet lets the screens work: the
 * console (its own scripts, loaded in parts; ECharts' SVG with inline styles; React's `style`
 * attributes) and Swagger UI at /api/docs.
 */
test('the console and the API docs work under the content security policy, nothing refused', async ({ page }) => {
  const violations = policyViolations(page);
  const console = await page.goto(APP);
  expect(console!.headers()['content-security-policy']).toContain("script-src 'self'");
  // A deep link is the same page under the same policy.
  const deep = await page.request.get(`${APP}control?week=2026-01-05`);
  expect(deep.status()).toBe(200);
  expect(deep.headers()['content-security-policy']).toContain("script-src 'self'");

  await signInToApp(page, 'supervisor', `${APP}control`);
  // The deadlines view with its chart (a part loaded on demand, ECharts' SVG), then «Мониторинг»'s charts.
  await expect(page.locator('.figure-card').first()).toBeVisible();
  await expect(page.getByRole('img', { name: 'Доля ответов в срок по неделям' }).or(page.getByText('За период ответов не было.'))).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Мониторинг' }).click();
  await expect(page.locator('#m-volume svg').first()).toBeVisible();
  await signOutOfApp(page);
  await signInToApp(page, 'admin', `${APP}users`); // the users view: its own style sheet, loaded with it
  await expect(page.getByRole('row', { name: /executor1/ })).toBeVisible();

  const docs = await page.goto('/api/docs');
  expect(docs!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.locator('.swagger-ui .info .title')).toContainText('ЦУР: API');
  await expect(page.locator('.swagger-ui .opblock-summary-path', { hasText: '/api/v1/auth/login' })).toBeVisible();
  expect(violations).toEqual([]);
});
