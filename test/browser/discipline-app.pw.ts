import { expect, test } from '@playwright/test';
import { seriousViolations, signInToApp } from './support';
import type { BreachPage } from '@cur/contracts';

/**
 * «Дисциплина» in the typed console (/discipline): a case opened, its procedure recorded step
 * by step with the limits and warnings the server computes, the server's field errors beside the
 * fields.
 *
 * A real breach of a deadline cannot be made in a browser test's setup: clocks count from the
 * receipt (not from a date the sender gives), the shortest term is hours of working time, and the
 * deadline watch looks once a minute. So the breaches list is answered by the test itself
 * (page.route) with a made-up breach: the form opened from it carries the breach's organization
 * and id to the server, which refuses the unknown id next to the field. The case whose steps are
 * recorded is opened for a fact found otherwise (with its date), entirely on the server.
 */
test.describe.configure({ mode: 'serial' });

// Unique per run, in digits: the layout walk reads every screen for Latin words.
const PERSON = `Сидоров Сидор ${Date.now()}`;
const FAKE_BREACH = '00000000-0000-4000-8000-00000000b001';

const signIn = signInToApp;

/** Today in the region (Moscow), as a date input writes it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
const yesterday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date(Date.now() - 86_400_000));

const breaches: BreachPage = {
  items: [
    {
      id: FAKE_BREACH,
      clockId: '00000000-0000-4000-8000-00000000c001',
      messageId: '00000000-0000-4000-8000-00000000a001',
      kind: 'final_answer',
      title: 'Ответ заявителю',
      policyId: 'pos',
      organization: { id: 'adm-taganrog', name: 'Администрация города Таганрога' },
      dueAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      recordedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      stoppedAt: null,
      lateness: { ms: 3 * 86_400_000, workingMs: 27 * 3600e3, text: '3 рабочих дня рабочего времени', final: false },
    },
  ],
};

test.describe('the discipline registry', () => {
  test('a case opened from a breach: the breach and its organization go to the server, errors stand beside their fields', async ({ page }) => {
    await page.route('**/api/v1/sla/breaches*', (route) => route.fulfill({ json: breaches }));
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'supervisor', '/discipline');
    await expect(page.getByRole('heading', { name: 'Нарушения сроков обсуждений, голосований и опросов' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Дисциплина' })).toHaveAttribute('aria-current', 'page');
    const row = page.locator(`tr[data-breach="${FAKE_BREACH}"]`);
    await expect(row).toContainText('Администрация города Таганрога');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Открыть дело' }).click();
    const form = page.getByRole('form', { name: 'Дело по нарушению срока' });
    await expect(form).toBeVisible();
    await expect(form.getByRole('combobox', { name: 'Организация' })).toHaveValue('Администрация города Таганрога');
    await expect(form.getByLabel('Проступок')).toHaveValue(/Нарушен срок «Ответ заявителю»/);

    // Nothing about the person: the server names each missing field, in Russian, beside it.
    await form.getByRole('button', { name: 'Открыть дело' }).click();
    await expect(form.getByRole('alert')).toContainText('Некорректные данные');
    await expect(form.getByLabel('Работник (ФИО)')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('#c-name-error')).toHaveText('укажите фамилию, имя и отчество');
    await expect(form.locator('#c-position-error')).toHaveText('укажите должность');
    expect(await seriousViolations(page)).toEqual([]);

    // The person given, the made-up breach is refused by its id: it did reach the server.
    await form.getByLabel('Работник (ФИО)').fill(PERSON);
    await form.getByLabel('Должность').fill('главный специалист');
    await form.getByRole('button', { name: 'Открыть дело' }).click();
    await expect(form.locator('.field-error').first()).toContainText(`нет нарушений сроков: ${FAKE_BREACH}`);
    await expect(form.locator('#c-name-error')).toHaveCount(0);
    await page.locator('body').press('Escape');
    await expect(form).toBeHidden();
  });

  test('a supervisor opens a case and records the procedure: limits and warnings come from the server', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'supervisor', '/discipline');
    await page.getByRole('button', { name: 'Новое дело' }).click();
    const form = page.getByRole('form', { name: 'Новое дело' });
    const org = form.getByRole('combobox', { name: 'Организация' });
    await org.fill('Таганрога');
    await page
      .getByRole('option', { name: /Администрация города Таганрога/ })
      .first()
      .click();
    await form.getByLabel('Работник (ФИО)').fill(PERSON);
    await form.getByLabel('Должность').fill('главный специалист');
    await form.getByLabel('Проступок').fill('Ответ на сообщение ПОС дан с опозданием на три рабочих дня');
    await form.getByLabel('Дата проступка').fill(yesterday());
    await form.getByRole('button', { name: 'Открыть дело' }).click();

    // The case page: the warning that no explanation was asked for, the order's last day.
    await expect(page.getByRole('heading', { name: `${PERSON}, главный специалист` })).toBeFocused();
    await expect(page).toHaveURL(/[?&]case=[0-9a-f-]{36}/);
    const findings = page.getByRole('region', { name: 'Предупреждения и нарушения процедуры' });
    await expect(findings).toContainText('Объяснение не запрошено');
    const limits = page.getByRole('table', { name: 'Сроки процедуры' });
    await expect(limits).toContainText('Приказ о применении взыскания');
    await expect(limits).toContainText('идёт');
    await expect(page.locator('ol.history')).toContainText('Дело открыто');
    await expect(page.locator('ol.history')).toContainText('Контролёр (демо)');
    expect(await seriousViolations(page)).toEqual([]);

    const steps = page.getByRole('group', { name: 'Шаги процедуры' });
    // Only what the procedure allows now: no acquaintance before an order.
    await expect(steps.getByRole('button', { name: 'Ознакомлен с приказом' })).toHaveCount(0);

    await steps.getByRole('button', { name: 'Запросить объяснение' }).click();
    await page.getByRole('form', { name: 'Запросить объяснение' }).getByRole('button', { name: 'Запросить объяснение' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Записано: Запросить объяснение' })).toBeVisible();
    await expect(limits).toContainText('Письменное объяснение');
    await expect(findings).toHaveCount(0);

    await steps.getByRole('button', { name: 'Объяснение получено' }).click();
    const explanation = page.getByRole('form', { name: 'Объяснение получено' });
    await explanation.getByLabel('Суть объяснения').fill('Не успел из-за большого числа обращений');
    await explanation.getByRole('button', { name: 'Объяснение получено' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Записано: Объяснение получено' })).toBeVisible();
    await expect(limits.locator('tr', { hasText: 'Письменное объяснение' })).toContainText('соблюдён');

    // The order: empty fields are named by the server beside them.
    await steps.getByRole('button', { name: 'Приказ о взыскании' }).click();
    const order = page.getByRole('form', { name: 'Приказ о взыскании' });
    await order.getByRole('button', { name: 'Приказ о взыскании' }).click();
    await expect(order.locator('#s-measure-error')).toHaveText('выберите взыскание');
    await expect(order.locator('#s-number-error')).toHaveText('укажите номер приказа');
    await expect(order.locator('#s-date-error')).toHaveText('укажите существующую дату (ГГГГ-ММ-ДД)');
    await expect(order.getByLabel('Взыскание')).toHaveAttribute('aria-invalid', 'true');
    expect(await seriousViolations(page)).toEqual([]);
    await order.getByLabel('Взыскание').selectOption({ label: 'Замечание' });
    await order.getByLabel('Номер приказа').fill('17-к');
    await order.getByLabel('Дата приказа').fill(today());
    await order.getByRole('button', { name: 'Приказ о взыскании' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Записано: Приказ о взыскании' })).toBeVisible();
    await expect(page.locator('dl.facts')).toContainText('Взыскание применено');
    await expect(page.locator('dl.facts')).toContainText('№ 17-к');
    await expect(limits).toContainText('Ознакомление с приказом под подпись');
    await expect(steps.getByRole('button', { name: 'Приказ о взыскании' })).toHaveCount(0);

    await steps.getByRole('button', { name: 'Ознакомлен с приказом' }).click();
    await page.getByRole('form', { name: 'Ознакомлен с приказом' }).getByRole('button', { name: 'Ознакомлен с приказом' }).click();
    await expect(limits.locator('tr', { hasText: 'Ознакомление с приказом' })).toContainText('соблюдён');
    await expect(page.getByText('Процедура завершена: шагов больше нет.')).toBeVisible();
    await expect(page.locator('ol.history li')).toHaveCount(5);

    // Back in the registry the case stands with its state; the filter keeps it in the address.
    await page.getByRole('button', { name: '← Все дела' }).click();
    await page.getByLabel('Состояние').selectOption('measure_applied');
    await expect(page).toHaveURL(/status=measure_applied/);
    await expect(page.locator('tr', { hasText: PERSON })).toContainText('Взыскание применено');
    await page.getByLabel('Состояние').selectOption('open');
    await expect(page.locator('tr', { hasText: PERSON })).toHaveCount(0);
  });
});
