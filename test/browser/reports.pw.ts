import { readFile } from 'node:fs/promises';
import { Download, expect, Locator, Page, test } from '@playwright/test';
import { Workbook } from 'exceljs';
import { COUNTED_FIGURES } from '../../libs/contracts/src/http/monthly-report';
import { FIGURE_TITLES, SECTION_SHEET_NAMES, TOTALS_TITLE } from '../../libs/reporting/src/render/figures';
import { policyViolations, routedMessage, seriousViolations, signInToApp, tokenOf } from './support';

/**
 * «Сводки» in the typed console (order No. 733, item 4): a supervisor generates the current month's
 * summary of the region and downloads it as XLSX, PDF and CSV, whose totals are the figures on its
 * cards; a card opens the messages it counts, as many as it says; a head generates and approves
 * its organization's summary (the server says who may approve); an executor has no such view.
 */
test.describe.configure({ mode: 'serial' });

const SECTIONS = ['pos', 'social', 'appeals'] as const;
/** The counted figures: each is a list of messages. */
const COUNTED = COUNTED_FIGURES;

/** The month now in Moscow, the region's zone: what the month picker shows by default. */
function moscowMonth(shift = 0): { year: number; month: number; value: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit' }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  const index = Number(parts.year) * 12 + Number(parts.month) - 1 + shift;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, value: `${year}-${String(month).padStart(2, '0')}` };
}

async function openSummaries(page: Page, login: string): Promise<void> {
  await signInToApp(page, login, '/reports');
  await expect(page.getByRole('link', { name: 'Сводки' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('#r-list-title')).toHaveText(/^Сводки за /);
}

/** Presses «Сформировать» and returns what the server answered (201 {id, version}). */
async function generate(page: Page): Promise<{ id: string; version: number }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/reports/monthly'),
    page.getByRole('button', { name: 'Сформировать' }).click(),
  ]);
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; version: number };
}

async function downloadFrom(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

test.describe('the summaries («Сводки»)', () => {
  test.beforeAll(async ({ request }) => {
    // This month has messages: roads in Taganrog, and a clinic's one answered by Minzdrav's head.
    await routedMessage(request, 'Огромная яма на дороге по улице Петровской, машины пробивают колёса.', 'Таганрог');
    const health = await routedMessage(request, 'В поликлинике невозможно записаться к терапевту, талонов нет уже месяц.', 'Ростов-на-Дону');
    expect(health.organization?.id).toBe('min-health');
    const head = await tokenOf(request, 'head1');
    const answered = await request.post(`/api/v1/messages/${health.id}/answer`, {
      headers: { Authorization: `Bearer ${head}` },
      data: { text: 'Запись к терапевту открыта, талоны выдаются ежедневно с 8:00.' },
    });
    expect(answered.status()).toBe(200);
  });

  test('a supervisor generates the month’s region summary; its XLSX, PDF and CSV carry the cards’ figures; a card lists as many messages as it says', async ({
    page,
    request,
  }) => {
    const violations = policyViolations(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    await openSummaries(page, 'supervisor');
    const now = moscowMonth();
    await expect(page.locator('#r-month')).toHaveValue(now.value);
    await expect(page.getByRole('combobox', { name: 'Организация' })).toHaveValue('');
    expect(await seriousViolations(page)).toEqual([]);

    const made = await generate(page);
    const row = page.locator(`#r-reports tr[data-id="${made.id}"]`);
    await expect(row).toContainText('Ростовская область');
    await expect(row.locator('.chip')).toHaveText('Сформирована');
    await expect(row.locator('td').nth(1)).toHaveText(String(made.version));
    await expect(page.locator('#r-result')).toHaveText(`Сформирована версия ${made.version}`);
    // The next step has the focus: the new summary's «Открыть».
    await expect(row.locator('button[data-act="open"]')).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(page.locator('#r-summary-title')).toBeFocused();
    await expect(page.locator('#r-summary-title')).toContainText(`версия ${made.version}`);
    // The open summary is in the address: a reload shows it again.
    expect(new URL(page.url()).searchParams.get('open')).toBe(made.id);
    expect(await seriousViolations(page)).toEqual([]);

    // The cards are the summary's totals as the API states them.
    const token = await tokenOf(request, 'supervisor');
    const summary = await (await request.get(`/api/v1/reports/monthly/${made.id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    const cards: Record<string, Record<string, number>> = {};
    for (const key of SECTIONS) {
      cards[key] = {};
      const totals = summary.sections.find((s: { key: string }) => s.key === key).totals;
      for (const figure of COUNTED) {
        const text = await page.locator(`[data-card="${key}-${figure}"] .figure`).textContent();
        cards[key][figure] = Number(text);
        expect(cards[key][figure], `${key}.${figure}`).toBe(totals[figure]);
      }
    }
    expect(cards.pos.received).toBeGreaterThanOrEqual(2);
    expect(cards.pos.answered).toBeGreaterThanOrEqual(1);

    const files = row.locator('.files button');
    const stem = `svodka-${now.value}-region-v${made.version}`;
    const xlsx = await downloadFrom(page, files.filter({ hasText: 'XLSX' }));
    expect(xlsx.name).toBe(`${stem}.xlsx`);
    const book = new Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    for (const key of SECTIONS) {
      const sheet = book.getWorksheet(SECTION_SHEET_NAMES[key]);
      expect(sheet, SECTION_SHEET_NAMES[key]).toBeDefined();
      const rows: unknown[][] = [];
      sheet!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      const header = rows.find((r) => r[0] === 'Организация')!;
      const totals = rows.filter((r) => r[0] === TOTALS_TITLE);
      // «Итого» under the organizations and under the categories: both are the section's totals.
      expect(totals).toHaveLength(2);
      for (const figure of COUNTED) {
        const column = header.indexOf(FIGURE_TITLES[figure]);
        expect(column, `the column «${FIGURE_TITLES[figure]}»`).toBeGreaterThan(0);
        for (const line of totals) expect(line[column], `${key}.${figure} in XLSX`).toBe(cards[key][figure]);
      }
    }

    const pdf = await downloadFrom(page, files.filter({ hasText: 'PDF' }));
    expect(pdf.name).toBe(`${stem}.pdf`);
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');

    const csv = await downloadFrom(page, files.filter({ hasText: 'CSV' }));
    expect(csv.name).toBe(`${stem}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.toString('utf8', 3)).toMatch(/^Раздел;Группа;/);
    await expect(page.locator('#r-list-status')).toHaveText(`Скачан файл ${stem}.csv`);

    // A card opens, from the keyboard, the messages it counts: as many as its figure; no personal data; Esc closes the list.
    const card = page.locator('[data-card="pos-received"]');
    await card.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#r-drill-title')).toBeFocused();
    await expect(page.locator('#r-drill-total')).toHaveText(String(cards.pos.received));
    await expect(page.locator('#r-drill-rows tbody tr')).toHaveCount(Math.min(cards.pos.received, 100));
    await expect(page.locator('#r-drill')).not.toContainText('Петров');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('body').press('Escape');
    await expect(page.locator('#r-drill')).toBeHidden();
    await expect(card).toBeFocused();
    // Esc closed the list only: the summary stays open.
    await expect(page.locator('#r-summary-title')).toBeVisible();

    // So does a number of the organizations' table: Minzdrav's answers.
    const answeredByHealth = page.locator('[data-section="pos"] table[data-table="organizations"] tr[data-organization="min-health"] td').nth(1);
    const n = (await answeredByHealth.textContent())!.trim();
    expect(Number(n)).toBeGreaterThanOrEqual(1);
    await answeredByHealth.locator('button').click();
    await expect(page.locator('#r-drill-total')).toHaveText(n);
    await expect(page.locator('#r-drill-rows tbody tr')).toHaveCount(Number(n));
    await page.locator('#r-drill').getByRole('button', { name: 'Закрыть', exact: true }).click();
    await expect(page.locator('#r-drill')).toBeHidden();

    // The rest of the summary: discipline, the engagements' note, its history.
    await expect(page.locator('#r-discipline-title')).toBeVisible();
    // The engagements with a step this month, as the snapshot lists them (other tests may have run some), or the note that there were none.
    const engagements = page.locator('section[aria-labelledby="r-engagements-title"]');
    if (summary.engagements.items.length) {
      await expect(engagements.locator('tbody tr')).toHaveCount(summary.engagements.items.length);
      for (const item of summary.engagements.items) await expect(engagements).toContainText(item.title);
    } else await expect(page.locator('#r-engagements-note')).toContainText('Обсуждения, голосования и опросы');
    await expect(page.locator('#r-history')).toContainText(`Сформирована (версия ${made.version})`);
    // People by name, the login on hover.
    await expect(page.locator('#r-history [title="supervisor"]').first()).not.toHaveText('supervisor');
    // Esc, with no list open, closes the summary; the focus goes back to what opened it.
    await page.locator('body').press('Escape');
    await expect(page.locator('#r-summary')).toHaveCount(0);
    expect(violations).toEqual([]);
  });

  test('a supervisor generates one organization’s summary, chosen by typing part of its name', async ({ page }) => {
    await openSummaries(page, 'supervisor');
    const picker = page.getByRole('combobox', { name: 'Организация' });
    await picker.fill('здравоохр');
    await page
      .getByRole('option', { name: /Министерство здравоохранения/ })
      .first()
      .click();
    await expect(picker).toHaveValue(/Министерство здравоохранения/);
    const made = await generate(page);
    await expect(page.locator(`#r-reports tr[data-id="${made.id}"]`)).toContainText('Министерство здравоохранения');
    // Not the supervisor's to approve: the organization's head approves it.
    await expect(page.locator(`#r-reports tr[data-id="${made.id}"]`).getByRole('button', { name: /^Утвердить/ })).toHaveCount(0);
  });

  test('a month not begun yet: the server’s refusal is shown next to the month, in Russian', async ({ page }) => {
    await openSummaries(page, 'supervisor');
    await page.locator('#r-month').fill(moscowMonth(1).value);
    await page.getByRole('button', { name: 'Сформировать' }).click();
    await expect(page.locator('#r-month-error')).toContainText('месяц ещё не начался');
    await expect(page.locator('#r-month')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#r-month')).toBeFocused();
  });

  test('a head generates and approves its organization’s summary and sees «Утверждена»; a supervisor is not offered it', async ({ page }) => {
    await openSummaries(page, 'head1');
    await expect(page.getByRole('combobox', { name: 'Организация' })).toHaveCount(0);
    await expect(page.locator('#r-form')).toContainText('Организация: Министерство здравоохранения');
    const made = await generate(page);
    // A head sees its own organization's summaries only, not the region's.
    await expect(page.locator('#r-reports tbody tr').first()).toBeVisible();
    await expect(page.locator('#r-reports tbody tr', { hasText: 'Ростовская область' })).toHaveCount(0);
    const row = page.locator(`#r-reports tr[data-id="${made.id}"]`);
    await expect(row).toContainText('Министерство здравоохранения');

    await row.getByRole('button', { name: /^Утвердить/ }).click();
    await expect(page.locator('#r-approve-reason')).toBeFocused();
    // Esc closes the form only; focus goes back to «Утвердить».
    await page.keyboard.press('Escape');
    await expect(page.locator('#r-approve-form')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await expect(row.getByRole('button', { name: /^Утвердить/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.locator('#r-approve-reason').fill('Проверено руководителем');
    const [approved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/reports/monthly/${made.id}/approval`)),
      page.keyboard.press('Enter'),
    ]);
    expect(approved.status()).toBe(200);
    // This month's summary is not due yet: approved in time.
    expect((await approved.json()).late).toBeNull();
    await expect(row.locator('.chip')).toHaveText('Утверждена');
    await expect(row.getByRole('button', { name: /^Утвердить/ })).toHaveCount(0);
    await expect(page.locator('#r-list-status')).toHaveText('Сводка утверждена');
    await expect(row.locator('button[data-act="open"]')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#r-summary-status')).toHaveText('Утверждена');
    await expect(page.locator('#r-history')).toContainText('Утверждена');
    await expect(page.locator('#r-history')).toContainText('Проверено руководителем');
    await expect(page.locator('#r-history')).toContainText('Утверждена');

    // The supervisor sees it, approved, with nothing to approve; the region's own summary is the supervisor's to approve.
    await page.getByRole('button', { name: 'Выйти' }).click();
    await expect(page.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toBeVisible();
    await openSummaries(page, 'supervisor');
    const seen = page.locator(`#r-reports tr[data-id="${made.id}"]`);
    await expect(seen.locator('.chip')).toHaveText('Утверждена');
    await expect(seen.getByRole('button', { name: /^Утвердить/ })).toHaveCount(0);
    await expect(
      page
        .locator('#r-reports tbody tr', { hasText: 'Ростовская область' })
        .getByRole('button', { name: /^Утвердить/ })
        .first(),
    ).toBeVisible();
  });

  test('a late approval says by how much, in office hours (the server’s answer stubbed: this month is never late)', async ({ page }) => {
    await openSummaries(page, 'supervisor');
    const region = page.locator('#r-reports tbody tr', { hasText: 'Ростовская область' }).first();
    const id = await region.getAttribute('data-id');
    await page.route(`**/api/v1/reports/monthly/${id}/approval`, (route) =>
      route.fulfill({
        status: 200,
        json: { id, status: 'approved', late: { breachId: '00000000-0000-4000-8000-000000000000', latenessWorkingMs: 3.5 * 3600e3 } },
      }),
    );
    await region.getByRole('button', { name: /^Утвердить/ }).click();
    await page.getByRole('button', { name: /^Утвердить версию/ }).click();
    await expect(page.locator('#r-list-status')).toHaveText('Утверждена с опозданием: 3,5 ч рабочего времени');
    await expect(page.locator(`#r-reports tr[data-id="${id}"] [data-note]`)).toHaveText('Утверждена с опозданием: 3,5 ч рабочего времени');
  });

  test('the league table: month or quarter, by peer group; its CSV and XLSX', async ({ page }) => {
    await openSummaries(page, 'supervisor');
    const now = moscowMonth();
    await expect(page.locator('#r-ratings h4').first()).toHaveText('Органы исполнительной власти');
    expect(await seriousViolations(page)).toEqual([]);
    await expect(page.locator('#r-ratings table').first()).toContainText('Министерство здравоохранения');
    await page.getByRole('radio', { name: 'квартал' }).check();
    await expect(page.locator('#r-ratings-scope')).toContainText(`квартал ${now.year}`);
    expect(new URL(page.url()).searchParams.get('rp')).toBe('quarter');
    const quarter = Math.ceil(now.month / 3);
    const csv = await downloadFrom(page, page.getByRole('button', { name: 'Скачать рейтинг CSV' }));
    expect(csv.name).toBe(`ratings-${now.year}-q${quarter}-all.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const xlsx = await downloadFrom(page, page.getByRole('button', { name: 'Скачать рейтинг XLSX' }));
    expect(xlsx.name).toBe(`ratings-${now.year}-q${quarter}-all.xlsx`);
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  test('an executor has no «Сводки», in the console or through the API', async ({ page, request }) => {
    await signInToApp(page, 'executor1');
    await expect(page.getByRole('link', { name: 'Входящие' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Сводки' })).toHaveCount(0);
    // Typed in the address, the view is not there either.
    await page.goto('/reports');
    await expect(page.locator('#r-form')).toHaveCount(0);
    const token = await tokenOf(request, 'executor1');
    expect((await request.get('/api/v1/reports/monthly', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(403);
  });
});
