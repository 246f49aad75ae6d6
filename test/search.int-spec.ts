import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MessageStatus } from '@cur/domain';
import { LifecycleModule } from '@cur/lifecycle';
import { MessagesModule } from '@cur/messages';
import { MessageRepository, NewMessage, PosAttributes } from '@cur/persistence';
import { getJson } from './support/http';
import { messageRow } from './support/message-rows';
import { ReportTestService, startReportService } from './support/report-service';
import { ManualClock } from './support/sla-service';

const START = '\u0001';
const END = '\u0002';

/**
 * The search box and the card's duplicate suggestions on PostgreSQL, on a database of the suite's own
 * (so every message a search may return is one written below): Russian word forms, portal and ПОС
 * numbers, address words, the applicant's phone and name only where personal data is seen (and then
 * logged), scoping, the highlight's markers, and similar messages by territory, window and threshold.
 */
describe('search and similar messages', () => {
  const clock = new ManualClock(new Date('2026-03-16T10:00:00+03:00'));
  let app: ReportTestService;
  const day = 24 * 60 * 60 * 1000;
  const daysAgo = (n: number) => new Date(clock.now().getTime() - n * day);

  interface Put {
    text: string | null;
    organizationId?: string | null;
    territoryId?: string | null;
    territoryRaw?: string | null;
    status?: MessageStatus;
    receivedDaysAgo?: number;
    statusChangedDaysAgo?: number;
    externalId?: string;
    pos?: Partial<PosAttributes>;
    applicant?: { name?: string; phone?: string };
    duplicateOf?: string;
  }

  /** A message's row as stored (search reads what is stored; how it got there is other suites' matter). */
  function row(m: Put): NewMessage {
    const received = daysAgo(m.receivedDaysAgo ?? 1);
    const id = randomUUID();
    return messageRow(
      {
        id,
        channel: m.pos ? 'pos' : 'appeal',
        source: 'search-test',
        externalId: m.externalId ?? id,
        text: m.text,
        territoryId: m.territoryId === undefined ? 'rostov-na-donu' : m.territoryId,
        territoryRaw: m.territoryRaw ?? null,
        organizationId: m.organizationId === undefined ? 'adm-rostov-na-donu' : m.organizationId,
        status: m.status ?? 'assigned',
        statusChangedAt: m.statusChangedDaysAgo !== undefined ? daysAgo(m.statusChangedDaysAgo) : received,
        pos: m.pos ? ({ number: m.pos.number ?? '0', ...m.pos } as PosAttributes) : null,
        duplicateOf: m.duplicateOf ?? null,
      },
      received,
    );
  }

  async function put(m: Put): Promise<string> {
    const message = row(m);
    const id = message.id;
    const repo = app.service.app.get(MessageRepository);
    await repo.transaction(async (manager) => {
      await repo.insertIfNew(manager, message);
      if (m.applicant)
        await repo.insertApplicant(manager, { messageId: id, name: m.applicant.name ?? null, phone: m.applicant.phone ?? null, email: null, epguId: null });
    });
    return id;
  }

  const search = async (q: string, headers: Record<string, string>, extra = '') => {
    const res = await getJson(`${app.url}/api/v1/messages?q=${encodeURIComponent(q)}${extra}`, headers);
    expect({ q, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ q, status: 200, body: undefined });
    return res.body.items as { id: string; highlight: string | null }[];
  };
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  const pdLog = async (id: string) =>
    (await getJson(`${app.url}/api/v1/messages/${id}/personal-data-access`, await app.as('supervisor', 'cur-rostov'))).body.items as any[];

  beforeAll(async () => {
    app = await startReportService('search', clock, [LifecycleModule, MessagesModule]);
  });

  afterAll(() => app?.stop());

  describe('GET /api/v1/messages?q=', () => {
    const m: Record<string, string> = {};

    beforeAll(async () => {
      m.pits = await put({ text: 'На улице Садовой огромные ямы на дороге, машины ломают подвески. Просим отремонтировать.' });
      m.lights = await put({ text: 'Не горят фонари во дворе, вечером темно и опасно.' });
      m.portal = await put({ text: 'Прошу проверить детскую площадку.', externalId: 'P-2026-0457781' });
      m.pos = await put({ text: null, pos: { number: '4412907' } });
      m.address = await put({ text: 'Третий день нет горячей воды.', territoryRaw: 'г. Ростов-на-Дону, ул. Малиновского, д. 12' });
      m.applicant = await put({ text: 'Прошу ответить письменно.', applicant: { name: 'Петров Иван Сергеевич', phone: '+7 (918) 555-12-34' } });
      m.hospital = await put({
        text: 'Нет записи к кардиологу.',
        organizationId: 'inst-regional-hospital',
        territoryId: null,
        applicant: { name: 'Сидорова Анна', phone: '8 863 201-44-55' },
      });
      m.healthPits = await put({ text: 'Яма на подъезде к больнице.', organizationId: 'min-health', territoryId: null });
      m.hostile = await put({ text: `Ямы <img src=x onerror=alert(1)> ${START}не метка${END} & "кавычки"` });
    });

    it('finds a word in another case form (Russian morphology) and marks it in the highlight', async () => {
      const items = await search('яма', await app.as('operator', 'cur-rostov'));
      expect(ids(items).sort()).toEqual([m.pits, m.healthPits, m.hostile].sort());
      const pits = items.find((i) => i.id === m.pits);
      expect(pits?.highlight).toContain(`${START}ямы${END}`);
      // A phrase of two words in other forms: «дорога» and «подвеска».
      expect(ids(await search('дорога подвеска', await app.as('operator', 'cur-rostov')))).toEqual([m.pits]);
    });

    it('finds a portal number and a ПОС number exactly, first, with no highlight when the text had no match', async () => {
      const operator = await app.as('operator', 'cur-rostov');
      const portal = await search('P-2026-0457781', operator);
      expect(portal[0]).toMatchObject({ id: m.portal, highlight: null });
      expect(ids(await search('4412907', operator))).toEqual([m.pos]);
      expect(ids(await search('4412908', operator))).toEqual([]);
    });

    it('finds a street named only in the address', async () => {
      const items = await search('Малиновского', await app.as('operator', 'cur-rostov'));
      expect(ids(items)).toEqual([m.address]);
      expect(items[0].highlight).toContain(`${START}Малиновского${END}`);
    });

    it('keeps the words of messages inserted many to a statement, follows a changed text or address, and keeps them through other changes', async () => {
      const operator = await app.as('operator', 'cur-rostov');
      const repo = app.service.app.get(MessageRepository);
      const [snow, ice] = [
        row({ text: 'Двор не чистят от снега неделю.' }),
        row({ text: 'Сосульки над входом в подъезд.', territoryRaw: 'ул. Пушкинская, 5' }),
      ];
      await repo.transaction((manager) => repo.insertManyIfNew(manager, [snow, ice]));
      expect(ids(await search('снег', operator))).toEqual([snow.id]);
      expect(ids(await search('Пушкинская', operator))).toEqual([ice.id]);

      // A status change, or the same text set again, leaves the words' row untouched (no new version of it).
      const version = (id: string) =>
        repo.transaction(
          async (manager) => (await manager.query<{ v: string }[]>(`SELECT xmin::text AS v FROM message_search WHERE message_id = $1`, [id]))[0]?.v,
        );
      const before = await version(snow.id);
      expect(before).toBeDefined();
      await repo.transaction((manager) => repo.update(manager, snow.id, { status: 'in_progress', statusChangedAt: clock.now() }));
      await repo.transaction((manager) => repo.update(manager, snow.id, { text: snow.text }));
      expect(await version(snow.id)).toBe(before);
      expect(ids(await search('снег', operator))).toEqual([snow.id]);

      // A changed text or address is searched by its new words only.
      await repo.transaction((manager) => repo.update(manager, snow.id, { text: 'Во дворе гололёд.' }));
      await repo.transaction((manager) => repo.updateMany(manager, [{ id: ice.id, changes: { territoryRaw: 'ул. Чехова, 7' } }]));
      expect(ids(await search('снег', operator))).toEqual([]);
      expect(ids(await search('гололёд', operator))).toEqual([snow.id]);
      expect(ids(await search('Пушкинская', operator))).toEqual([]);
      expect(ids(await search('Чехова', operator))).toEqual([ice.id]);
      expect(ids(await search('сосулька', operator))).toEqual([ice.id]);

      // A message whose words' row is missing gets it back with its next change of text.
      await repo.transaction((manager) => manager.query(`DELETE FROM message_search WHERE message_id = $1`, [ice.id]));
      expect(ids(await search('сосулька', operator))).toEqual([]);
      await repo.transaction((manager) => repo.update(manager, ice.id, { text: 'Сосульки и наледь над входом.' }));
      expect(ids(await search('наледь', operator))).toEqual([ice.id]);
    });

    it('finds the applicant by phone in any notation and by name for the operator, and logs each message found so', async () => {
      const operator = await app.as('operator', 'cur-rostov');
      for (const phone of ['+7 (918) 555-12-34', '89185551234', '918 555 12 34']) expect(ids(await search(phone, operator))).toEqual([m.applicant]);
      expect(ids(await search('петров', operator))).toEqual([m.applicant]);
      const log = await pdLog(m.applicant);
      expect(log.filter((e) => e.purpose === 'search').map((e) => [e.actor, e.fields])).toEqual([
        [expect.stringContaining('operator'), ['phone']],
        [expect.stringContaining('operator'), ['phone']],
        [expect.stringContaining('operator'), ['phone']],
        [expect.stringContaining('operator'), ['name']],
      ]);
      // A search by words of the text is no personal data access.
      const before = (await pdLog(m.pits)).length;
      await search('яма', operator);
      expect(await pdLog(m.pits)).toHaveLength(before);
    });

    it('matches personal data only where it is shown unmasked: the handling organization yes, its parent, the supervisor, another organization no', async () => {
      const hospital = await app.as('head', 'inst-regional-hospital');
      expect(ids(await search('+7 863 201 44 55', hospital))).toEqual([m.hospital]);
      expect(ids(await search('Сидорова', await app.as('executor', 'inst-regional-hospital')))).toEqual([m.hospital]);
      const before = await pdLog(m.hospital);
      // min-health reads its institution's message, masked: the phone must not find it.
      expect(ids(await search('+7 863 201 44 55', await app.as('head', 'min-health')))).toEqual([]);
      expect(ids(await search('Сидорова', await app.as('supervisor', 'cur-rostov')))).toEqual([]);
      expect(ids(await search('88632014455', await app.as('executor', 'adm-rostov-na-donu')))).toEqual([]);
      expect(await pdLog(m.hospital)).toEqual(before);
      expect(before.filter((e) => e.purpose === 'search').map((e) => e.fields)).toEqual([['phone'], ['name']]);
    });

    it('never returns another organization’s message, and combines with the filters', async () => {
      const city = await app.as('executor', 'adm-rostov-na-donu');
      expect(ids(await search('яма', city)).sort()).toEqual([m.pits, m.hostile].sort());
      expect(ids(await search('кардиолог', city))).toEqual([]);
      expect(ids(await search('яма', await app.as('head', 'min-health')))).toEqual([m.healthPits]);
      const operator = await app.as('operator', 'cur-rostov');
      expect(ids(await search('яма', operator, '&organizationId=min-health'))).toEqual([m.healthPits]);
      expect(ids(await search('яма', operator, '&status=closed'))).toEqual([]);
      expect((await getJson(`${app.url}/api/v1/messages?q=${encodeURIComponent('яма')}&organizationId=min-health`, city)).status).toBe(403);
    });

    it('highlights with its own markers only: the text’s control characters are dropped, the rest is plain text for the client to escape', async () => {
      const [hostile] = (await search('ямы', await app.as('operator', 'cur-rostov'))).filter((i) => i.id === m.hostile);
      const highlight = hostile.highlight as string;
      expect(highlight.split(START)).toHaveLength(2);
      expect(highlight.split(END)).toHaveLength(2);
      expect(highlight).toContain(`${START}Ямы${END}`);
      expect(highlight).toContain('не метка');
      // No HTML is produced: the marker pair is the only markup, whatever the text holds.
      expect(highlight).not.toContain('<mark');
    });

    it('pages by relevance with a cursor that repeats no message and skips none', async () => {
      const poplars = [
        await put({ text: 'Тополь упал на провода. Тополь старый, тополь аварийный.' }),
        await put({ text: 'Спилите тополь у подъезда, тополиный пух летит в окна.' }),
        await put({ text: 'Во дворе растёт старый тополь, и ещё три берёзы, клёны, кусты сирени и цветник.' }),
      ];
      const operator = await app.as('operator', 'cur-rostov');
      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 5; page++) {
        const res = await getJson(`${app.url}/api/v1/messages?q=${encodeURIComponent('тополь')}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, operator);
        expect(res.status).toBe(200);
        seen.push(...ids(res.body.items));
        if (!res.body.nextCursor) break;
        cursor = res.body.nextCursor;
      }
      expect(seen.slice().sort()).toEqual(poplars.slice().sort());
      // Three mentions in a short text rank above one mention in a longer one.
      expect(seen[0]).toBe(poplars[0]);
      expect(seen[2]).toBe(poplars[2]);
      // The newest-first order is still there when asked for.
      expect(ids(await search('тополь', operator, '&sort=received'))).toHaveLength(3);
    });

    it('refuses a q too long or given twice, and relevance without q, naming the field; a blank q is no search', async () => {
      const operator = await app.as('operator', 'cur-rostov');
      const long = await getJson(`${app.url}/api/v1/messages?q=${'я'.repeat(201)}`, operator);
      expect(long.status).toBe(400);
      expect(JSON.stringify(long.body)).toContain('"field":"q"');
      const twice = await getJson(`${app.url}/api/v1/messages?q=a&q=b`, operator);
      expect(twice.status).toBe(400);
      expect(JSON.stringify(twice.body)).toContain('"field":"q"');
      const relevance = await getJson(`${app.url}/api/v1/messages?sort=relevance`, operator);
      expect(relevance.status).toBe(400);
      expect(JSON.stringify(relevance.body)).toContain('"field":"sort"');
      const blank = await getJson(`${app.url}/api/v1/messages?q=${encodeURIComponent('   ')}&limit=200`, operator);
      expect(blank.status).toBe(200);
      expect(ids(blank.body.items)).toEqual(expect.arrayContaining([m.pits, m.lights, m.pos]));
      // Query syntax of any kind is words to look for, never an error.
      for (const q of ["'); DROP TABLE message; --", 'a & | ! :* <->', '"незакрытая кавычка', 'и', 'яма\u0007']) await search(q, operator);
      const nul = await getJson(`${app.url}/api/v1/messages?q=${encodeURIComponent('яма\u0000')}`, operator);
      expect([nul.status, nul.body.errors?.[0]?.field]).toEqual([400, 'q']);
      const badCursor = await getJson(`${app.url}/api/v1/messages?q=x&cursor=${Buffer.from('["r","1e9","x"]').toString('base64url')}`, operator);
      expect(badCursor.status).toBe(400);
    });
  });

  describe('GET /api/v1/messages/:id/similar', () => {
    const s: Record<string, string> = {};
    const garbage = 'Во дворе дома 5 по улице Пушкинской не вывозят мусор уже неделю, контейнеры переполнены.';

    beforeAll(async () => {
      s.subject = await put({ text: garbage, territoryId: 'bataysk', organizationId: 'adm-bataysk', receivedDaysAgo: 2 });
      s.near = await put({
        text: 'Во дворе дома 5 по улице Пушкинской не вывозят мусор уже неделю! Контейнеры переполнены',
        territoryId: 'bataysk',
        organizationId: 'adm-bataysk',
      });
      s.looser = await put({ text: 'Не вывозят мусор с улицы Пушкинской, контейнеры полные', territoryId: 'bataysk', organizationId: 'adm-bataysk' });
      s.unrelated = await put({ text: 'Не работает светофор на перекрёстке у рынка.', territoryId: 'bataysk', organizationId: 'adm-bataysk' });
      s.otherTerritory = await put({ text: garbage, territoryId: 'azov', organizationId: 'adm-azov' });
      s.tooOld = await put({ text: garbage, territoryId: 'bataysk', organizationId: 'adm-bataysk', receivedDaysAgo: 20 });
      s.merged = await put({ text: garbage, territoryId: 'bataysk', organizationId: 'adm-bataysk', duplicateOf: s.subject, status: 'closed' });
      s.closedLongAgo = await put({
        text: garbage,
        territoryId: 'bataysk',
        organizationId: 'adm-bataysk',
        receivedDaysAgo: 10,
        status: 'closed',
        statusChangedDaysAgo: 15,
      });
      s.closedRecently = await put({
        text: garbage + ' Спасибо.',
        territoryId: 'bataysk',
        organizationId: 'adm-bataysk',
        receivedDaysAgo: 10,
        status: 'closed',
        statusChangedDaysAgo: 3,
      });
      s.otherOrg = await put({ text: garbage, territoryId: 'bataysk', organizationId: 'min-housing' });
      s.noTerritory = await put({ text: garbage, territoryId: null, organizationId: null, status: 'needs_triage' });
      s.noTerritoryToo = await put({ text: garbage.replace('5', '7'), territoryId: null, organizationId: null, status: 'needs_triage' });
    });

    const similar = async (id: string, headers: Record<string, string>) => {
      const res = await getJson(`${app.url}/api/v1/messages/${id}/similar`, headers);
      expect(res.status).toBe(200);
      return res.body.items as { id: string; similarity: number }[];
    };

    it('lists the same territory’s alike messages in the window, most similar first, above the threshold', async () => {
      const items = await similar(s.subject, await app.as('operator', 'cur-rostov'));
      expect(ids(items).sort()).toEqual([s.near, s.looser, s.closedRecently, s.otherOrg].sort());
      const sims = items.map((i) => i.similarity);
      expect(sims).toEqual([...sims].sort((a, b) => b - a));
      expect(items.find((i) => i.id === s.looser)!.similarity).toBeLessThan(items.find((i) => i.id === s.near)!.similarity);
      expect(Math.min(...sims)).toBeGreaterThanOrEqual(0.3);
    });

    it('pairs messages without a territory with each other only', async () => {
      expect(ids(await similar(s.noTerritory, await app.as('operator', 'cur-rostov')))).toEqual([s.noTerritoryToo]);
    });

    it('shows an organization only what it may read, and hides a message it may not', async () => {
      const bataysk = await app.as('executor', 'adm-bataysk');
      expect(ids(await similar(s.subject, bataysk)).sort()).toEqual([s.near, s.looser, s.closedRecently].sort());
      expect((await getJson(`${app.url}/api/v1/messages/${s.subject}/similar`, await app.as('executor', 'adm-azov'))).status).toBe(404);
    });
  });
});
