import { expect, Page, test } from '@playwright/test';
import { signInAs } from './support';

/** Every message the browser prints about a refused resource, script or style. */
function policyViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}

/**
 * The content security policy is strict about scripts and framing yet lets the screens work: the
 * console (inline `style=` attributes, inline SVG, its own script) and Swagger UI at /api/docs.
 */
test('the console and the API docs work under the content security policy, nothing refused', async ({ page }) => {
  const violations = policyViolations(page);
  const console = await page.goto('/');
  expect(console!.headers()['content-security-policy']).toContain("script-src 'self'");
  await signInAs(page, 'supervisor');
  // The supervisor's notices and the deadlines view with its chart: HTML strings with inline styles and SVG.
  await page.getByRole('tab', { name: 'Контроль сроков' }).click();
  await expect(page.locator('#control-view [data-figure]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Выйти' }).click();
  await signInAs(page, 'admin'); // the users view: inline-styled labels
  await expect(page.locator('#users')).toContainText('executor1');

  const docs = await page.goto('/api/docs');
  expect(docs!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.locator('.swagger-ui .info .title')).toContainText('ЦУР: API');
  await expect(page.locator('.swagger-ui .opblock-summary-path', { hasText: '/api/v1/auth/login' })).toBeVisible();
  expect(violations).toEqual([]);
});
