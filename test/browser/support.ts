import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Page } from '@playwright/test';

export const DEMO_KEY = 'demo-intake-key';
/** Where the console is served: every console address in the tests is built from it (`${APP}queue`). */
export const APP = '/';
let counter = 0;

/** An access token of a demo user, for API checks. */
export async function tokenOf(request: APIRequestContext, login: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { login, password: login } });
  expect(res.status()).toBe(200);
  return (await res.json()).accessToken;
}

/** Posts a message through the intake API and waits until triage has routed it; returns the message as the operator sees it. */
export async function routedMessage(
  request: APIRequestContext,
  text: string,
  territory: string,
): Promise<{ id: string; organization: { id: string } | null; status: string }> {
  const res = await request.post('/api/v1/messages', {
    headers: { 'X-Api-Key': DEMO_KEY },
    data: {
      channel: 'pos',
      source: 'browser-test',
      externalId: `bt-${Date.now()}-${++counter}`,
      text,
      territory,
      createdAt: new Date().toISOString(),
      applicant: { name: 'Петров Пётр Петрович', phone: '+79005554433' },
    },
  });
  expect(res.status()).toBe(201);
  const { id } = await res.json();
  const operator = await tokenOf(request, 'operator');
  let message: any;
  await expect
    .poll(
      async () => {
        message = await (await request.get(`/api/v1/messages/${id}`, { headers: { Authorization: `Bearer ${operator}` } })).json();
        return message.status;
      },
      { timeout: 60_000 },
    )
    .not.toBe('new');
  return message;
}

/** Signs a user in to the console (`APP`) at an address of it (a demo user's password = its login). */
export async function signInToApp(page: Page, login: string, path = APP, password = login): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toBeVisible();
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

/** Signs out with the console's button; the console reloads itself into the sign-in form. */
export async function signOutOfApp(page: Page): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Выйти' }).click()]);
  await expect(page.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toBeVisible();
}

/** What axe finds serious or critical on the screen now (a test expects none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Every message the browser prints about a resource, script or style the content security policy refused. */
export function policyViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}
