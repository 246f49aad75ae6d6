import 'reflect-metadata';
import { inflateRawSync } from 'node:zlib';
import { Workbook } from 'exceljs';
import { Client } from 'pg';
import { EngagementsModule, EngagementWatch } from '@cur/engagements';
import { RunningService } from '@cur/runtime';
import { API_KEY, getJson, postJson } from './support/http';
import { ReportTestService, startReportService } from './support/report-service';
import { ManualClock } from './support/sla-service';

/**
 * Comments on engagements, their reports and moderation, and the results as files (issue 14), on
 * PostgreSQL with a clock the test moves: comments only while the engagement is open and only on
 * its own sections and comments; one report per citizen per comment under concurrent requests, and
 * the region's number of them hides a comment; organizers hide and show with a reason in the
 * history; the files count what `GET /results` counts and hold nothing of who.
 */
describe('engagements: comments, moderation and result files', () => {
  const clock = new ManualClock(new Date('2026-12-01T10:00:00+03:00'));
  let env: ReportTestService;
  let service: RunningService;
  let db: Client;
  let organizer: Record<string, string>;
  let organizerLogin: string;
  const url = (path = '') => `${service.url}/api/v1/engagements${path}`;
  const portal = { 'X-Api-Key': API_KEY };
  const comment = (id: string, body: object) => postJson(url(`/${id}/comments`), body, portal);
  const report = (id: string, commentId: string, body: object) => postJson(url(`/${id}/comments/${commentId}/reports`), body, portal);
  const fields = (body: any) => [...new Set((body.errors ?? []).map((e: { field: string }) => e.field))];
  /** The comment with this id anywhere in a thread. */
  const inThread = (items: any[], id: string): any => {
    for (const item of items) {
      const found = item.id === id ? item : inThread(item.replies, id);
      if (found) return found;
    }
    return undefined;
  };
  /** Every citizen id this test sends: none may appear in anything read back. */
  const citizens = new Set<string>();
  const as = (citizenId: string) => {
    citizens.add(citizenId);
    return citizenId;
  };

  const window = { opensAt: '2026-12-02T09:00:00+03:00', closesAt: '2026-12-09T18:00:00+03:00' };
  let discussion: string;
  let vote: string;
  let survey: string;

  const create = async (body: object) => {
    const created = await postJson(url(), { theme: 'municipal-acts', ...window, ...body }, organizer);
    expect(created.status).toBe(201);
    expect((await postJson(url(`/${created.body.id}/publish`), {}, organizer)).status).toBe(200);
    return created.body.id as string;
  };

  beforeAll(async () => {
    env = await startReportService('engcomments', clock, [EngagementsModule], { CUR_ENGAGEMENT_WATCH_INTERVAL_MS: '3600000' });
    service = env.service;
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    organizer = await env.as('organizer', 'cur-rostov');
    organizerLogin = (await getJson(`${service.url}/api/v1/auth/me`, organizer)).body.login;
    discussion = await create({
      kind: 'discussion',
      title: 'Проект правил благоустройства',
      document: {
        title: 'Правила благоустройства',
        sections: [
          { id: 'general', title: 'Общие положения', text: 'Текст раздела.' },
          { id: 'greenery', title: 'Озеленение', text: 'Текст раздела.' },
        ],
      },
    });
    vote = await create({
      kind: 'vote',
      title: 'Что благоустроить в 2027 году',
      theme: 'budget',
      maxChoices: 2,
      options: [
        { id: 'park', title: 'Сквер на Петровской' },
        { id: 'playground', title: 'Детская площадка' },
        { id: 'lights', title: 'Освещение набережной' },
      ],
    });
    survey = await create({
      kind: 'survey',
      title: 'Качество уборки улиц',
      questions: [
        {
          id: 'satisfied',
          type: 'single',
          title: 'Довольны ли вы уборкой?',
          required: true,
          choices: [
            { id: 'yes', title: 'Да' },
            { id: 'no', title: 'Нет' },
          ],
        },
        { id: 'score', type: 'scale', title: 'Оценка', required: false },
        { id: 'why', type: 'text', title: 'Что улучшить?', required: false, maxLength: 500 },
      ],
    });
  });

  afterAll(async () => {
    await db?.end();
    await env?.stop();
  });

  describe('comments', () => {
    let root: string;
    let reply: string;

    it('are refused before the engagement opens (409), and nothing is stored', async () => {
      const early = await comment(discussion, { citizenId: as('citizen-a'), sectionId: 'general', text: 'Рано' });
      expect(early.status).toBe(409);
      expect((await db.query(`SELECT count(*)::int AS n FROM engagement_comment`)).rows[0].n).toBe(0);
    });

    it('are taken on a section while open, replies thread under it at any depth, and a reply keeps its parent’s section', async () => {
      clock.set('2026-12-03T12:10:00+03:00');
      const first = await comment(discussion, { citizenId: as('citizen-a'), sectionId: 'general', text: 'Предлагаю уточнить пункт 2.' });
      expect(first.status).toBe(201);
      expect(Object.keys(first.body)).toEqual(['id']);
      root = first.body.id;
      const second = await comment(discussion, { citizenId: as('citizen-b'), parentId: root, text: 'Согласен.' });
      expect(second.status).toBe(201);
      reply = second.body.id;
      const third = await comment(discussion, { citizenId: as('citizen-a'), parentId: reply, text: 'Спасибо.' });
      expect(third.status).toBe(201);
      // A vote and a survey take comments as a whole, without a section.
      expect((await comment(vote, { citizenId: as('citizen-c'), text: 'Нужна ещё площадка в Северном.' })).status).toBe(201);
      const list = await getJson(url(`/${discussion}/comments`), organizer);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 3, hidden: 0 });
      expect(list.body.items).toHaveLength(1);
      const [top] = list.body.items;
      expect(top).toMatchObject({ id: root, sectionId: 'general', sectionTitle: 'Общие положения', parentId: null, status: 'visible', reports: 0 });
      expect(top.replies[0]).toMatchObject({ id: reply, sectionId: 'general', parentId: root });
      expect(top.replies[0].replies[0]).toMatchObject({ parentId: reply, text: 'Спасибо.' });
      // One author's comments are told together, without the id: the same label.
      expect(top.author).toBe(top.replies[0].replies[0].author);
      expect(top.author).not.toBe(top.replies[0].author);
      for (const id of citizens) expect(JSON.stringify(list.body)).not.toContain(id);
    });

    it('are refused naming the field: an unknown section, a section on a vote, a foreign or unknown parent, an empty, too long or NUL text; without the key 401', async () => {
      const before = (await db.query(`SELECT count(*)::int AS n FROM engagement_comment`)).rows[0].n;
      const unknown = await comment(discussion, { citizenId: as('citizen-d'), sectionId: 'transport', text: 'Текст' });
      expect([unknown.status, fields(unknown.body)]).toEqual([400, ['sectionId']]);
      const onVote = await comment(vote, { citizenId: as('citizen-d'), sectionId: 'general', text: 'Текст' });
      expect([onVote.status, fields(onVote.body)]).toEqual([400, ['sectionId']]);
      const otherSection = await comment(discussion, { citizenId: as('citizen-d'), sectionId: 'greenery', parentId: root, text: 'Текст' });
      expect([otherSection.status, fields(otherSection.body)]).toEqual([400, ['sectionId']]);
      const voteComment = (await getJson(url(`/${vote}/comments`), organizer)).body.items[0].id;
      const foreign = await comment(discussion, { citizenId: as('citizen-d'), parentId: voteComment, text: 'Текст' });
      expect([foreign.status, fields(foreign.body)]).toEqual([400, ['parentId']]);
      const missing = await comment(discussion, { citizenId: as('citizen-d'), parentId: '00000000-0000-4000-8000-000000000000', text: 'Текст' });
      expect([missing.status, fields(missing.body)]).toEqual([400, ['parentId']]);
      const notId = await comment(discussion, { citizenId: as('citizen-d'), parentId: 'abc', text: 'Текст' });
      expect([notId.status, fields(notId.body)]).toEqual([400, ['parentId']]);
      for (const text of ['', '   ', 'а'.repeat(5001), 'до\u0000после']) {
        const refused = await comment(discussion, { citizenId: as('citizen-d'), sectionId: 'general', text });
        expect([text.length, refused.status, fields(refused.body)]).toEqual([text.length, 400, ['text']]);
      }
      clock.set('2026-12-03T12:20:00+03:00');
      expect((await comment(discussion, { citizenId: as('citizen-d'), sectionId: 'general', text: 'а'.repeat(5000) })).status).toBe(201);
      expect((await postJson(url(`/${discussion}/comments`), { citizenId: 'x', text: 'Текст' }, {})).status).toBe(401);
      expect((await postJson(url(`/${discussion}/comments/${root}/reports`), { citizenId: 'x' }, {})).status).toBe(401);
      expect((await db.query(`SELECT count(*)::int AS n FROM engagement_comment`)).rows[0].n).toBe(before + 1);
    });

    it('are hidden by the region’s number of reports (3), a citizen counted once even when sending 10 at once; the history says so', async () => {
      const sent = await Promise.all(Array.from({ length: 10 }, () => report(discussion, reply, { citizenId: as('reporter-1'), reason: 'Оскорбление' })));
      expect(sent.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(sent.filter((r) => r.body.counted)).toHaveLength(1);
      const moderated = async () => inThread((await getJson(url(`/${discussion}/comments`), organizer)).body.items, reply);
      expect(await moderated()).toMatchObject({ status: 'visible', reports: 1 });
      expect((await report(discussion, reply, { citizenId: as('reporter-2') })).body).toEqual({ counted: true, hidden: false });
      expect((await report(discussion, reply, { citizenId: as('reporter-2') })).body).toEqual({ counted: false, hidden: false });
      clock.set('2026-12-03T12:30:00+03:00');
      expect((await report(discussion, reply, { citizenId: as('reporter-3') })).body).toEqual({ counted: true, hidden: true });
      expect(await moderated()).toMatchObject({
        status: 'hidden',
        statusTitle: 'Скрыт',
        reports: 3,
        hiddenReason: 'скрыт по жалобам',
        hiddenBy: 'system:engagements',
        hiddenAt: '2026-12-03T12:30:00+03:00',
      });
      // A fourth report counts, and hides nothing again.
      expect((await report(discussion, reply, { citizenId: as('reporter-4') })).body).toEqual({ counted: true, hidden: true });
      const history = (await getJson(url(`/${discussion}/history`), organizer)).body.items.filter((e: any) => e.type.startsWith('comment-'));
      expect(history).toEqual([
        {
          type: 'comment-hidden',
          typeTitle: 'Комментарий скрыт',
          actor: 'system:engagements',
          reason: 'скрыт по жалобам',
          data: { commentId: reply, reports: 3 },
          at: '2026-12-03T12:30:00+03:00',
        },
      ]);
      // An unknown comment: 404.
      expect((await report(discussion, '00000000-0000-4000-8000-000000000000', { citizenId: 'reporter-1' })).status).toBe(404);
    });

    it('are shown and hidden by the organizer with a reason, each in the history with who and why; others get 404 or 403', async () => {
      clock.set('2026-12-03T13:00:00+03:00');
      const shown = await postJson(url(`/${discussion}/comments/${reply}/show`), { reason: 'Жалобы не подтвердились' }, organizer);
      expect(shown.status).toBe(200);
      expect(inThread(shown.body.items, reply)).toMatchObject({ status: 'visible', hiddenReason: null, hiddenBy: null, reports: 4 });
      expect((await postJson(url(`/${discussion}/comments/${reply}/show`), { reason: 'Ещё раз' }, organizer)).status).toBe(409);
      const noReason = await postJson(url(`/${discussion}/comments/${root}/hide`), {}, organizer);
      expect([noReason.status, fields(noReason.body)]).toEqual([400, ['reason']]);
      clock.set('2026-12-03T13:05:00+03:00');
      const hidden = await postJson(url(`/${discussion}/comments/${root}/hide`), { reason: 'Реклама' }, organizer);
      expect(hidden.status).toBe(200);
      expect(inThread(hidden.body.items, root)).toMatchObject({
        id: root,
        status: 'hidden',
        hiddenReason: 'Реклама',
        hiddenBy: organizerLogin,
        hiddenAt: '2026-12-03T13:05:00+03:00',
      });
      // Another report past the threshold leaves a comment the organizer showed as it is.
      expect((await report(discussion, reply, { citizenId: as('reporter-5') })).body).toEqual({ counted: true, hidden: false });
      const history = (await getJson(url(`/${discussion}/history`), organizer)).body;
      expect(history.items.filter((e: any) => e.type.startsWith('comment-')).slice(1)).toEqual([
        {
          type: 'comment-shown',
          typeTitle: 'Комментарий показан',
          actor: organizerLogin,
          reason: 'Жалобы не подтвердились',
          data: { commentId: reply },
          at: '2026-12-03T13:00:00+03:00',
        },
        {
          type: 'comment-hidden',
          typeTitle: 'Комментарий скрыт',
          actor: organizerLogin,
          reason: 'Реклама',
          data: { commentId: root },
          at: '2026-12-03T13:05:00+03:00',
        },
      ]);
      expect(history.people[organizerLogin]).toBeDefined();

      const stranger = await env.as('organizer', 'min-health');
      expect((await getJson(url(`/${discussion}/comments`), stranger)).status).toBe(404);
      expect((await postJson(url(`/${discussion}/comments/${root}/show`), { reason: 'Чужое' }, stranger)).status).toBe(404);
      const supervisor = await env.as('supervisor', 'cur-rostov');
      expect((await getJson(url(`/${discussion}/comments`), supervisor)).body.total).toBe(4);
      expect((await postJson(url(`/${discussion}/comments/${root}/show`), { reason: 'Надзор' }, supervisor)).status).toBe(403);
      expect((await getJson(url(`/${discussion}/comments`), await env.as('operator', 'cur-rostov'))).status).toBe(403);
      // Nothing changed by the refusals.
      expect(inThread((await getJson(url(`/${discussion}/comments`), organizer)).body.items, root).status).toBe('hidden');
    });
  });

  describe('result files', () => {
    const ballot = (id: string, body: object) => postJson(url(`/${id}/ballots`), body, portal);

    beforeAll(async () => {
      clock.set('2026-12-04T10:15:00+03:00');
      expect((await ballot(vote, { citizenId: as('voter-1'), optionIds: ['park', 'playground'] })).status).toBe(201);
      expect((await ballot(vote, { citizenId: as('voter-2'), optionIds: ['playground'] })).status).toBe(201);
      // A voter who also comments: the two hashes of one citizen must differ (checked at the end).
      expect((await comment(vote, { citizenId: 'voter-2', text: 'Проголосовал за площадку.' })).status).toBe(201);
      expect(
        (await ballot(survey, { citizenId: as('voter-1'), answers: { satisfied: 'no', score: 2, why: 'Чаще вывозить мусор; и мыть остановки' } })).status,
      ).toBe(201);
      expect((await ballot(survey, { citizenId: as('voter-3'), answers: { satisfied: 'yes', score: 5 } })).status).toBe(201);
      clock.set('2026-12-04T15:40:00+03:00');
      expect((await ballot(vote, { citizenId: as('voter-3'), optionIds: ['playground', 'lights'] })).status).toBe(201);
      expect((await ballot(survey, { citizenId: as('voter-2'), answers: { satisfied: 'no', why: '=HYPERLINK("x")' } })).status).toBe(201);
      expect((await ballot(survey, { citizenId: as('voter-4'), answers: { satisfied: 'no', score: 2, why: 'Брать «обратную связь»' } })).status).toBe(201);
    });

    const download = async (id: string, format: string, headers = organizer) => {
      const res = await fetch(url(`/${id}/results/file?format=${format}`), { headers });
      return { res, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    /** RFC 4180 with `;`: fields, quotes doubled inside quotes. */
    const parseCsv = (text: string): string[][] => {
      const rows: string[][] = [];
      let row: string[] = [];
      let field = '';
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted && c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = !quoted;
        else if (!quoted && c === ';') {
          row.push(field);
          field = '';
        } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
          row.push(field);
          rows.push(row);
          row = [];
          field = '';
          i++;
        } else field += c;
      }
      return rows;
    };
    /** The text of every part of a zip (an XLSX), from its central directory, inflated: what a search of the file really sees. */
    const unzipText = (zip: Buffer): string => {
      const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      let at = zip.readUInt32LE(end + 16);
      const parts: string[] = [];
      for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
        const method = zip.readUInt16LE(at + 10);
        const size = zip.readUInt32LE(at + 20);
        const nameLength = zip.readUInt16LE(at + 28);
        const local = zip.readUInt32LE(at + 42);
        const data = zip.subarray(local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)).subarray(0, size);
        parts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
        at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      }
      return parts.join('\n');
    };
    const voterKeys = async () =>
      (await db.query(`SELECT voter_key FROM engagement_ballot UNION ALL SELECT author_key FROM engagement_comment`)).rows.map((r) =>
        Buffer.from(r.voter_key).toString('hex'),
      );
    /** Nothing of who: no citizen id, no stored hash (hex or base64), no word of it. */
    const expectAnonymous = async (content: string) => {
      for (const id of citizens) expect(content).not.toContain(id);
      for (const hex of await voterKeys()) {
        expect(content).not.toContain(hex);
        expect(content).not.toContain(Buffer.from(hex, 'hex').toString('base64'));
      }
      expect(content.toLowerCase()).not.toContain('voter');
    };

    it('the vote’s CSV (BOM, «;», CRLF) counts what GET /results counts, per option and per hour, and holds nothing of who', async () => {
      const results = (await getJson(url(`/${vote}/results`), organizer)).body;
      const { res, bytes } = await download(vote, 'csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="engagement-${vote.slice(0, 8)}-results.csv"`);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.toString('utf8').slice(1));
      expect(rows[0]).toEqual(['Раздел', 'Вопрос', 'Вариант или ответ', 'Количество']);
      expect(rows.find((r) => r[0] === 'Всего бюллетеней')![3]).toBe(String(results.totalBallots));
      expect(results.totalBallots).toBe(3);
      expect(rows.filter((r) => r[0] === 'Варианты').map((r) => [r[2], Number(r[3])])).toEqual(results.options.map((o: any) => [o.title, o.votes]));
      expect(rows.filter((r) => r[0] === 'Бюллетени по часам').map((r) => [r[2], Number(r[3])])).toEqual([
        ['04.12.2026 10:00–11:00', 2],
        ['04.12.2026 15:00–16:00', 1],
      ]);
      expect(results.byHour.map((h: any) => h.ballots)).toEqual([2, 1]);
      await expectAnonymous(bytes.toString('utf8'));
    });

    it('the survey’s XLSX and CSV count every answer as GET /results does, and list the free texts sorted by text, nothing finer than the hour', async () => {
      const results = (await getJson(url(`/${survey}/results`), organizer)).body;
      const { res, bytes } = await download(survey, 'xlsx');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="engagement-${survey.slice(0, 8)}-results.xlsx"`);
      const workbook = new Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['Итоги', 'По часам', 'Свободные ответы']);
      const rowsOf = (name: string) => {
        const sheet = workbook.getWorksheet(name)!;
        return [...Array(sheet.rowCount).keys()].map((i) => (sheet.getRow(i + 1).values as unknown[]).slice(1));
      };
      const summary = rowsOf('Итоги');
      expect(summary.find((r) => r[0] === 'Всего бюллетеней')![3]).toBe(results.totalBallots);
      const titles: Record<string, Record<string, string>> = { satisfied: { yes: 'Да', no: 'Нет' }, why: { answered: 'Ответили (свободный ответ)' } };
      for (const q of results.questions) {
        const counted = Object.fromEntries(summary.filter((r) => r[0] === 'Ответы на вопросы' && r[1] === q.title && r[3] !== 0).map((r) => [r[2], r[3]]));
        expect(counted).toEqual(Object.fromEntries(Object.entries(q.answers).map(([k, n]) => [titles[q.id]?.[k] ?? k, n])));
      }
      expect(summary.filter((r) => r[0] === 'Ответы на вопросы' && r[1] === 'Довольны ли вы уборкой?').map((r) => [r[2], r[3]])).toEqual([
        ['Да', 1],
        ['Нет', 3],
      ]);
      expect(rowsOf('По часам')).toEqual([
        ['Час', 'Бюллетеней'],
        ['04.12.2026 10:00–11:00', 2],
        ['04.12.2026 15:00–16:00', 2],
      ]);
      // Sorted by text (code points), so the order is not that of the ballots.
      expect(rowsOf('Свободные ответы')).toEqual([
        ['Вопрос', 'Ответ'],
        ['Что улучшить?', '=HYPERLINK("x")'],
        ['Что улучшить?', 'Брать «обратную связь»'],
        ['Что улучшить?', 'Чаще вывозить мусор; и мыть остановки'],
      ]);
      // A citizen's text is a string cell, never a formula.
      expect(workbook.getWorksheet('Свободные ответы')!.getCell('B2').type).toBe(3 /* ValueType.String */);
      await expectAnonymous(unzipText(bytes));

      const csv = await download(survey, 'csv');
      const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
      expect(rows.filter((r) => r[0] === 'Ответы на вопросы').map((r) => [r[1], r[2], Number(r[3])])).toEqual(
        summary.filter((r) => r[0] === 'Ответы на вопросы').map((r) => [r[1], r[2], r[3]]),
      );
      // In CSV, a text Excel would run as a formula starts with an apostrophe.
      expect(rows.filter((r) => r[0] === 'Свободные ответы').map((r) => r[2])).toEqual([
        `'=HYPERLINK("x")`,
        'Брать «обратную связь»',
        'Чаще вывозить мусор; и мыть остановки',
      ]);
      await expectAnonymous(csv.bytes.toString('utf8'));
    });

    it('is refused to another organization’s organizer (404) and to other roles (403); a supervisor reads it; an unknown format is 400', async () => {
      expect((await download(vote, 'xlsx', await env.as('organizer', 'min-health'))).res.status).toBe(404);
      expect((await download(vote, 'xlsx', await env.as('operator', 'cur-rostov'))).res.status).toBe(403);
      expect((await download(vote, 'csv', await env.as('supervisor', 'cur-rostov'))).res.status).toBe(200);
      expect((await download(vote, 'pdf')).res.status).toBe(400);
    });
  });

  it('comments outlive closing: none are taken after it, the ballots’ secret is erased while the authors’ key stays', async () => {
    clock.set('2026-12-09T18:00:00+03:00');
    expect(await service.app.get(EngagementWatch).sweep()).toMatchObject({ closed: 3 });
    const late = await comment(discussion, { citizenId: as('citizen-a'), sectionId: 'general', text: 'Поздно' });
    expect(late.status).toBe(409);
    expect((await db.query(`SELECT count(*)::int AS n FROM engagement_secret`)).rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM engagement_author_key WHERE engagement_id = $1`, [discussion])).rows[0].n).toBe(1);
    expect((await getJson(url(`/${discussion}/comments`), organizer)).body.total).toBe(4);
    // Reports go on after closing, so do moderators.
    const root = (await getJson(url(`/${discussion}/comments`), organizer)).body.items.find((c: any) => c.status === 'hidden').id;
    expect((await postJson(url(`/${discussion}/comments/${root}/show`), { reason: 'Реклама удалена автором' }, organizer)).status).toBe(200);
  });

  it('stores no citizen id: the comment tables have no such column, and no text column holds one', async () => {
    const columns = async (table: string) =>
      (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).rows.map(
        (r) => r.column_name,
      );
    expect(await columns('engagement_comment')).toEqual([
      'id',
      'engagement_id',
      'section_id',
      'parent_id',
      'author_key',
      'text',
      'status',
      'hidden_reason',
      'hidden_by',
      'hidden_at',
      'created_at',
    ]);
    expect(await columns('engagement_comment_report')).toEqual(['comment_id', 'reporter_key', 'reason', 'created_at']);
    // Comment authors and ballots are keyed apart: no author key equals a voter key, so the tables cannot be joined on them.
    const joined = await db.query(`SELECT count(*)::int AS n FROM engagement_comment c JOIN engagement_ballot b ON b.voter_key = c.author_key`);
    expect(joined.rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM engagement_comment WHERE engagement_id = $1`, [vote])).rows[0].n).toBe(2);
    const text = await db.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb') AND table_name LIKE 'engagement%'`,
    );
    expect(text.rows.length).toBeGreaterThan(0);
    for (const { table_name: table, column_name: column } of text.rows)
      for (const id of citizens) {
        const found = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column}::text LIKE $1`, [`%${id}%`]);
        expect([table, column, id, found.rows[0].n]).toEqual([table, column, id, 0]);
      }
  });
});
