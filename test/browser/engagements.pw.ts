import { expect, test } from '@playwright/test';
import { APP, DEMO_KEY, seriousViolations, signInToApp, signOutOfApp, tokenOf } from './support';

/**
 * The organizer's budget vote in the console, from draft to decision (issue 14): the server's
 * objection to publishing shown next to the options, options added, published; citizens' ballots
 * arrive through the portal's key (a second from one citizen refused), the card counts them and
 * draws the chart; closed early with a reason, the result published, the decision recorded; a
 * supervisor reads it all with nothing to do.
 */
test('an organizer runs a budget vote from draft to decision; a supervisor reads it; anyone reads the public result', async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'organizer', `${APP}organizer`);
  await expect(page.getByRole('heading', { name: 'Обсуждения, голосования и опросы' })).toBeVisible();

  // A draft with one option: it is saved, but the server refuses to publish it.
  await page.getByRole('button', { name: 'Создать' }).click();
  const form = page.getByRole('form', { name: 'Новое' });
  await form.getByLabel('Название', { exact: true }).fill('Что благоустроить во дворах в 2027 году');
  await form.getByLabel('Тема (из утверждённого перечня)').selectOption({ label: 'Инициативное бюджетирование' });
  await form.getByLabel('Добавить муниципальное образование').fill('Таганрог');
  await form.getByRole('option', { name: 'Таганрог' }).click();
  await expect(form.getByRole('list', { name: 'Выбранные территории' })).toContainText('Таганрог');
  await form.getByLabel('Сколько вариантов можно выбрать').fill('2');
  await form.getByLabel('Бюджетное голосование (у вариантов есть стоимость)').check();
  await form.getByLabel('Бюджет, ₽').fill('1000000');
  await form.getByLabel('Распределить не меньше, % бюджета (необязательно)').fill('50');
  await form.getByLabel('Вариант № 1: название').fill('Сквер на Петровской');
  await form.getByLabel('Вариант № 1: стоимость, ₽').fill('600000');
  await form.getByRole('button', { name: 'Удалить вариант № 2' }).click();
  await expect(form.getByLabel('Вариант № 2: название')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await form.getByRole('button', { name: 'Создать черновик' }).click();

  const card = page.getByRole('complementary', { name: 'Что благоустроить во дворах в 2027 году' });
  await expect(card.getByRole('status').first()).toHaveText('Черновик создан');
  await expect(page).toHaveURL(/[?&]e=[0-9a-f-]{36}/);
  const id = new URL(page.url()).searchParams.get('e')!;
  await expect(page.getByRole('table', { name: 'Обсуждения, голосования и опросы' })).toContainText('Что благоустроить во дворах в 2027 году');

  await card.getByRole('button', { name: 'Опубликовать' }).click();
  const edit = card.getByRole('form', { name: 'Изменение' });
  await expect(edit.getByRole('alert')).toContainText('Перед публикацией исправьте поля');
  // The objection sits next to the options it is about, and the options' list points at it.
  await expect(edit.locator('#ee-options-error')).toContainText('не меньше 2 вариантов');
  await expect(edit.getByRole('list', { name: 'Варианты' })).toHaveAttribute('aria-describedby', 'ee-options-error');
  expect(await seriousViolations(page)).toEqual([]);

  await edit.getByRole('button', { name: 'Добавить вариант' }).click();
  await edit.getByRole('button', { name: 'Добавить вариант' }).click();
  await edit.getByLabel('Вариант № 2: название').fill('Освещение набережной');
  await edit.getByLabel('Вариант № 2: стоимость, ₽').fill('300000');
  await edit.getByLabel('Вариант № 3: название').fill('Детская площадка');
  await edit.getByLabel('Вариант № 3: стоимость, ₽').fill('400000');
  // Reordered: the playground goes second.
  await edit.getByRole('button', { name: 'Поднять вариант № 3' }).click();
  await expect(edit.getByLabel('Вариант № 2: название')).toHaveValue('Детская площадка');
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Изменения сохранены');
  await card.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Опубликовано: приём идёт');
  await expect(card.getByRole('group', { name: 'Выберите до 2 вариантов на сумму не больше 1 000 000 ₽' })).toBeVisible();

  // Citizens' ballots through the portal's key; a second from the same citizen is refused and not counted.
  const organizer = { Authorization: `Bearer ${await tokenOf(request, 'organizer')}` };
  const vote = await (await request.get(`/api/v1/engagements/${id}`, { headers: organizer })).json();
  const [park, playground, lights] = vote.options.map((o: { id: string }) => o.id);
  const ballot = (citizenId: string, optionIds: string[]) =>
    request.post(`/api/v1/engagements/${id}/ballots`, { headers: { 'X-Api-Key': DEMO_KEY }, data: { citizenId, optionIds } });
  expect((await ballot('bt-citizen-1', [park, playground])).status()).toBe(201);
  expect((await ballot('bt-citizen-2', [playground, lights])).status()).toBe(201);
  expect((await ballot('bt-citizen-3', [playground, lights])).status()).toBe(201);
  expect((await ballot('bt-citizen-1', [lights, playground])).status()).toBe(409);

  await page.reload();
  await expect(card.getByText('Всего голосов: 3')).toBeVisible();
  const results = card.getByRole('table', { name: 'Голоса по вариантам' });
  const votes = (title: string) =>
    results
      .getByRole('row', { name: new RegExp(title) })
      .getByRole('cell')
      .last();
  await expect(votes('Сквер на Петровской')).toHaveText('1');
  await expect(votes('Детская площадка')).toHaveText('3');
  await expect(votes('Освещение набережной')).toHaveText('2');
  await expect(card.locator('#eng-votes-chart svg')).toBeVisible();
  await expect(card.locator('#eng-hours-chart svg')).toBeVisible();
  await expect(card.getByRole('img', { name: 'Голоса по вариантам' })).toBeVisible();
  // The list, the card and its charts side by side at 1366×768: nothing scrolls sideways.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
  expect(await seriousViolations(page)).toEqual([]);

  // Closed early: a reason is required, and the server's word for it stands next to the field.
  await card.getByRole('button', { name: 'Завершить досрочно' }).click();
  const closing = card.getByRole('form', { name: 'Досрочное завершение' });
  await closing.getByRole('button', { name: 'Завершить' }).click();
  await expect(closing.locator('#ec-reason-error')).toBeVisible();
  await closing.getByLabel('Причина досрочного завершения').fill('Средства перераспределены решением думы');
  await closing.getByRole('button', { name: 'Завершить' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Завершено досрочно');
  // Closing starts the result's term (order No. 733, item 4): the card says by when.
  await expect(card).toContainText(/итоги — до \d\d\.\d\d\.\d{4}/);
  await expect(card).toContainText('досрочно: Средства перераспределены решением думы');
  expect((await ballot('bt-citizen-4', [park])).status()).toBe(409);

  await card.getByRole('button', { name: 'Опубликовать итоги' }).click();
  const result = card.getByRole('form', { name: 'Публикация итогов' });
  await result.getByLabel('Итоги словами (необязательно)').fill('Больше всего голосов у детской площадки');
  await result.getByRole('button', { name: 'Опубликовать итоги' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Итоги опубликованы');

  await card.getByRole('button', { name: 'Записать решение' }).click();
  const decision = card.getByRole('form', { name: 'Решение по итогам' });
  await decision.getByLabel('Что сделано по итогам').fill('Площадка включена в план благоустройства');
  await decision.getByLabel('Документ (номер и дата)').fill('Постановление № 123 от 20.12.2026');
  await decision.getByRole('button', { name: 'Записать решение' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Решение записано');
  await expect(card).toContainText('Постановление № 123 от 20.12.2026');
  await expect(card.getByRole('group', { name: 'Действия' })).toHaveCount(0);
  // The results as a file for the organizer.
  const [file] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Скачать итоги XLSX' }).click()]);
  expect(file.suggestedFilename()).toBe(`engagement-${id.slice(0, 8)}-results.xlsx`);
  const history = card.getByRole('region', { name: 'История' });
  await expect(history).toContainText('Организатор обсуждений (демо)');
  for (const step of ['Создано', 'Изменено', 'Опубликовано', 'Завершено досрочно — Средства перераспределены', 'Итоги опубликованы', 'Решение записано'])
    await expect(history).toContainText(step);
  expect(await seriousViolations(page)).toEqual([]);

  // A supervisor reads every engagement: the same card, the counts and the chart, no action and no «Создать».
  await signOutOfApp(page);
  await signInToApp(page, 'supervisor', `${APP}organizer?e=${id}`);
  const seen = page.getByRole('complementary', { name: 'Что благоустроить во дворах в 2027 году' });
  await expect(seen).toContainText('Решение принято');
  await expect(seen.getByText('Всего голосов: 3')).toBeVisible();
  await expect(seen.locator('#eng-votes-chart svg')).toBeVisible();
  await expect(seen.getByRole('group', { name: 'Действия' })).toHaveCount(0);
  await expect(seen.getByRole('button', { name: /Изменить|Опубликовать|Завершить|Записать/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Создать' })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  // The public page of the result: anyone, without signing in (a browser of its own), sees the counts and the decision.
  await expect(seen.getByRole('link', { name: 'Публичная страница итогов' })).toHaveAttribute('href', `/results/${id}`);
  const anyone = await (await browser.newContext()).newPage();
  await anyone.goto(`/results/${id}`);
  await expect(anyone.getByRole('heading', { level: 1, name: 'Что благоустроить во дворах в 2027 году' })).toBeVisible();
  await expect(anyone.getByRole('heading', { name: 'Вход в консоль ЦУР' })).toHaveCount(0);
  await expect(anyone.getByRole('region', { name: 'Голоса по вариантам' })).toBeVisible();
  await expect(anyone.getByRole('region', { name: 'Что сделано по итогам' })).toContainText('Постановление № 123 от 20.12.2026');
  await expect(anyone.locator('main')).toContainText('Участников: 3');
  expect(await seriousViolations(anyone)).toEqual([]);
});

/**
 * A survey in the console: its questions' editor with «показывать, если», the server's objection
 * next to the question it names, and the citizen's preview asking the follow-up only after «Нет».
 */
test('an organizer builds a survey with branching; the preview asks the follow-up only after «Нет»', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'organizer', `${APP}organizer?e=new`);
  const form = page.getByRole('form', { name: 'Новое' });
  await form.getByLabel('Вид').selectOption({ label: 'Опрос' });
  await form.getByLabel('Название', { exact: true }).fill('Качество уборки дворов');
  const q1 = form.getByRole('group', { name: 'Вопрос № 1', exact: true });
  await q1.getByLabel('Текст вопроса').fill('Довольны ли вы уборкой?');
  await q1.getByLabel('Вопрос № 1, вариант ответа № 1').fill('Да');
  await q1.getByLabel('Вопрос № 1, вариант ответа № 2').fill('Нет');
  await form.getByRole('button', { name: 'Добавить вопрос' }).click();
  const q2 = form.getByRole('group', { name: 'Вопрос № 2', exact: true });
  await q2.getByLabel('Текст вопроса').fill('Что не так?');
  await q2.getByLabel('Как отвечают').selectOption({ label: 'свободный ответ' });
  await q2.getByLabel('Показывать, если в вопросе').selectOption({ label: '№ 1 «Довольны ли вы уборкой?»' });
  await q2.getByRole('group', { name: 'выбран ответ' }).getByLabel('Нет').check();
  // A third question with a single choice: saved as a draft, refused at publishing.
  await form.getByRole('button', { name: 'Добавить вопрос' }).click();
  const q3 = form.getByRole('group', { name: 'Вопрос № 3', exact: true });
  await q3.getByLabel('Текст вопроса').fill('Как часто убирают?');
  await q3.getByLabel('Вопрос № 3, вариант ответа № 1').fill('Ежедневно');
  await q3.getByRole('button', { name: 'Удалить вариант ответа вопроса № 3 № 2' }).click();
  await form.getByRole('button', { name: 'Создать черновик' }).click();

  const card = page.getByRole('complementary', { name: 'Качество уборки дворов' });
  await expect(card.getByRole('status').first()).toHaveText('Черновик создан');
  await card.getByRole('button', { name: 'Опубликовать' }).click();
  const edit = card.getByRole('form', { name: 'Изменение' });
  await expect(edit.locator('#ee-q2-choices-error')).toContainText('не меньше 2 вариантов ответа');
  await expect(edit.locator('#ee-q0-choices-error')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await edit.getByRole('group', { name: 'Вопрос № 3', exact: true }).getByLabel('Как отвечают').selectOption({ label: 'оценка от 1 до 5' });
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Изменения сохранены');
  await card.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Опубликовано: приём идёт');

  const preview = card.getByRole('region', { name: 'Что видит гражданин' });
  await expect(preview.getByRole('group', { name: /Довольны ли вы уборкой/ })).toBeVisible();
  await expect(preview.getByRole('group', { name: /Что не так/ })).toHaveCount(0);
  await expect(preview).toContainText('Скрыто вопросов: 1');
  await preview.getByRole('radio', { name: 'Нет' }).check();
  await expect(preview.getByRole('group', { name: /Что не так/ })).toContainText('Показывается, если в вопросе № 1 выбран ответ «Нет»');
  await preview.getByRole('radio', { name: 'Да' }).check();
  await expect(preview.getByRole('group', { name: /Что не так/ })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('an organizer puts a draft document up for discussion: its sections in the preview, no ballots counted; a citizen’s comment is hidden with a reason', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInToApp(page, 'organizer', `${APP}organizer?e=new`);
  const form = page.getByRole('form', { name: 'Новое' });
  await form.getByLabel('Вид').selectOption({ label: 'Обсуждение проекта документа' });
  await form.getByLabel('Название', { exact: true }).fill('Проект правил благоустройства');
  await form.getByLabel('Название документа').fill('Правила благоустройства');
  const first = form.getByRole('group', { name: 'Раздел № 1', exact: true });
  await first.getByLabel('Заголовок раздела').fill('Общие положения');
  await first.getByLabel('Текст раздела').fill('Правила устанавливают требования к содержанию дворов.');
  await form.getByRole('button', { name: 'Добавить раздел' }).click();
  const second = form.getByRole('group', { name: 'Раздел № 2', exact: true });
  await second.getByLabel('Заголовок раздела').fill('Уборка территорий');
  await second.getByLabel('Текст раздела').fill('Дворы убираются ежедневно.');
  await second.getByRole('button', { name: 'Поднять раздел № 2' }).click();
  await expect(form.getByRole('group', { name: 'Раздел № 1', exact: true }).getByLabel('Заголовок раздела')).toHaveValue('Уборка территорий');
  await form.getByRole('button', { name: 'Создать черновик' }).click();

  const card = page.getByRole('complementary', { name: 'Проект правил благоустройства' });
  await card.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(card.getByRole('status').first()).toHaveText('Опубликовано: приём идёт');
  const preview = card.getByRole('region', { name: 'Что видит гражданин' });
  await expect(preview).toContainText('Правила благоустройства · редакция 1');
  await expect(preview.locator('summary')).toHaveText(['1. Уборка территорий', '2. Общие положения']);
  // A discussion takes comments, not ballots: no participation block.
  await expect(card.getByRole('region', { name: 'Участие' })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  // A citizen's comment on a section arrives through the portal; the organizer hides it, with a reason.
  const id = new URL(page.url()).searchParams.get('e')!;
  expect((await request.get(`/api/v1/public/engagements/${id}`)).status()).toBe(404); // no result yet: nothing public
  const organizer = { Authorization: `Bearer ${await tokenOf(request, 'organizer')}` };
  const sections = (await (await request.get(`/api/v1/engagements/${id}`, { headers: organizer })).json()).document.sections as { id: string; title: string }[];
  const comment = await request.post(`/api/v1/engagements/${id}/comments`, {
    headers: { 'X-Api-Key': DEMO_KEY },
    data: {
      citizenId: 'browser-citizen-1',
      sectionId: sections.find((x) => x.title === 'Уборка территорий')!.id,
      text: 'Предлагаю убирать дворы дважды в день.',
    },
  });
  expect(comment.status()).toBe(201);
  await page.reload();
  const comments = card.getByRole('region', { name: 'Комментарии' });
  await expect(comments).toContainText('Участник 1');
  await expect(comments).toContainText('раздел «Уборка территорий»');
  await expect(comments).not.toContainText('browser-citizen-1');
  await comments.getByRole('button', { name: 'Скрыть' }).click();
  const hide = comments.getByRole('form', { name: 'Скрыть комментарий' });
  await hide.getByRole('button', { name: 'Скрыть' }).click();
  await expect(hide.locator('.field-error')).toContainText(/[а-я]/);
  await hide.getByLabel('Причина').fill('Оскорбительное выражение');
  await hide.getByRole('button', { name: 'Скрыть' }).click();
  await expect(comments).toContainText('скрыт: Оскорбительное выражение');
  await expect(card.getByRole('region', { name: 'История' })).toContainText('Комментарий скрыт — Оскорбительное выражение');
  expect(await seriousViolations(page)).toEqual([]);
});
