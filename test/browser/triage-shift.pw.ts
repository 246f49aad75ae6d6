import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { APP, DEMO_KEY, signInToApp, tokenOf } from './support';

/**
 * The issue's «done when»: a queue of 50 mixed messages triaged with the keyboard alone — four kinds
 * of category, and for some a different organization than the route's — each action opening the
 * next message, until the queue is empty; then every message is where the operator sent it.
 */
const TERRITORY = 'Гуково';
const TERRITORY_ID = 'gukovo';
const N = 50;

interface Plan {
  category: string;
  code: string;
  /** Typed into «Организация (o)»; otherwise the routing rule decides. */
  organization?: { typed: string; id: string };
}
const PLANS: Plan[] = [
  { category: 'Медицина', code: 'pos.medicine' },
  { category: 'Образование', code: 'pos.education' },
  { category: 'Автомобильные дороги', code: 'pos.roads', organization: { typed: 'Администрация города Таганрога', id: 'adm-taganrog' } },
  { category: 'Мусор', code: 'pos.waste' },
];

async function queue(request: APIRequestContext): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const res = await request.post('/api/v1/messages', {
      headers: { 'X-Api-Key': DEMO_KEY },
      data: {
        channel: 'pos',
        source: 'triage-shift-test',
        externalId: `shift-${Date.now()}-${i}`,
        // Nothing in the text routes it: each waits for the operator.
        text: `Здравствуйте. Обращаюсь повторно (${i + 1}), вопрос так и не решён, прошу принять меры.`,
        territory: TERRITORY,
        createdAt: new Date(Date.now() - (N - i) * 1000).toISOString(),
      },
    });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }
  const operator = { Authorization: `Bearer ${await tokenOf(request, 'operator')}` };
  await expect
    .poll(
      async () => (await Promise.all(ids.map(async (id) => (await (await request.get(`/api/v1/messages/${id}`, { headers: operator })).json()).status))).join(),
      {
        timeout: 90_000,
      },
    )
    .toBe(ids.map(() => 'needs_triage').join());
  return ids;
}

/** Tab until `target` has the focus (the keyboard's own way from one field to the next). */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>) {
  for (let i = 0; i < 5; i++) {
    if (await target.evaluate((e) => (e as unknown as { matches(selector: string): boolean }).matches(':focus'))) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a shift’s queue of 50 mixed messages triaged with the keyboard alone', async ({ page, request }) => {
  test.setTimeout(240_000);
  const ids = await queue(request);
  const plans = new Map(ids.map((id, i) => [id, PLANS[i % PLANS.length]]));
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'operator', `${APP}queue?territoryId=${TERRITORY_ID}&sort=due`);
  await expect(page.locator('tr[data-id]').first()).toBeVisible();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  const card = page.getByRole('complementary', { name: 'Карточка сообщения' });
  const done = new Set<string>();
  for (let step = 0; step < N; step++) {
    await expect(page).toHaveURL(/[?&]m=/);
    const id = new URL(page.url()).searchParams.get('m')!;
    const plan = plans.get(id);
    expect(plan, `step ${step}: the card opened a message of this queue`).toBeDefined();
    expect(done.has(id), `step ${step}: a message opened twice`).toBe(false);
    await expect(card.getByRole('heading', { level: 2 })).toBeFocused();
    await page.keyboard.press('c');
    await expect(card.getByRole('combobox', { name: 'Категория (c)' })).toBeFocused();
    await page.keyboard.type(plan!.category);
    await page.keyboard.press('Enter');
    if (plan!.organization) {
      await tabTo(page, card.getByRole('combobox', { name: 'Организация (o)' }));
      await page.keyboard.type(plan!.organization.typed);
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Enter');
    done.add(id);
    if (step < N - 1) await expect(page).not.toHaveURL(new RegExp(`m=${id}`));
  }
  await expect(page).not.toHaveURL(/m=/);
  await expect(page.locator('tr[data-id]')).toHaveCount(0);
  expect(done.size).toBe(N);

  const operator = { Authorization: `Bearer ${await tokenOf(request, 'operator')}` };
  for (const id of ids) {
    const m = await (await request.get(`/api/v1/messages/${id}`, { headers: operator })).json();
    const plan = plans.get(id)!;
    expect(m.category?.code, id).toBe(plan.code);
    expect(m.status, id).toBe('assigned');
    if (plan.organization) expect(m.organization?.id, id).toBe(plan.organization.id);
    expect(m.history.some((h: { actor: string }) => h.actor === 'operator')).toBe(true);
  }
});
