import '../../libs/platform/src/preamble';
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadRegionConfig } from '../../libs/config/src/region-config.loader';
import { OPEN_STATUSES } from '../../libs/domain/src';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { MessageRepository, SearchFilter } from '../../libs/persistence/src/repositories/message.repository';
import { phoneKey } from '../../libs/messages/src/messages.service';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { ROOT } from '../support/root';
import { startService } from '../support/services';
import { TestUsers } from '../support/users';

/**
 * `npm run bench:search`: the search box and the duplicate suggestions on N messages (default
 * 100,000; BENCH_SEARCH_MESSAGES) on PostgreSQL. The texts are the project's own classifier seed
 * phrasings (config/regions/rostov/classifier-seed.json) with addresses on made-up streets, half a
 * year of receipts over the region's territories and organizations, an applicant on every other
 * message. Then ~200 varied queries (a word in another case form, two words, a street, a portal
 * number, a phone, a surname, a word no text has) through MessageRepository (the SQL and the
 * highlight, as the service runs them), the same through the api (HTTP, scoped, with the personal
 * data log), and /similar for 100 messages both ways. Prints p50/p95 and the plans the planner
 * chose; asserts nothing. The last line is one JSON object.
 */
const N = Number(process.env.BENCH_SEARCH_MESSAGES ?? 100_000);
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);

const STREETS = [
  'Садовая',
  'Пушкинская',
  'Малиновского',
  'Ленина',
  'Социалистическая',
  'Красноармейская',
  'Шолохова',
  'Ворошиловский',
  'Нагибина',
  'Стачки',
  'Текучёва',
  'Зорге',
  'Добровольского',
  'Еременко',
  'Комарова',
  'Орбитальная',
  'Петровская',
  'Чехова',
  'Греческая',
  'Портовая',
];
const SURNAMES = [
  'Иванов',
  'Петрова',
  'Сидоренко',
  'Кузнецов',
  'Смирнова',
  'Попов',
  'Васильева',
  'Морозов',
  'Новикова',
  'Фёдоров',
  'Волкова',
  'Алексеев',
  'Лебедева',
  'Семёнов',
  'Егорова',
  'Павлов',
  'Козлова',
  'Степанов',
  'Николаева',
  'Орлов',
];
const FIRST_NAMES = ['Иван', 'Мария', 'Сергей', 'Анна', 'Дмитрий', 'Елена', 'Алексей', 'Ольга', 'Николай', 'Татьяна'];
const TAILS = [
  '',
  ' Просим принять меры.',
  ' Жители обращались неоднократно, ответа нет.',
  ' Прошу разобраться и сообщить о результатах.',
  ' Ситуация повторяется каждую неделю.',
  ' Фото прилагаю.',
];

/** A deterministic generator, so two runs measure the same data and queries. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Seeded {
  phones: string[];
  names: string[];
  portalNumbers: string[];
  words: string[];
}

async function seed(db: Client, n: number): Promise<Seeded> {
  const region = loadRegionConfig(join(ROOT, 'config'), 'rostov');
  const examples = JSON.parse(readFileSync(join(ROOT, 'config/regions/rostov/classifier-seed.json'), 'utf8')).examples as Record<string, string[]>;
  const phrases = Object.values(examples).flat();
  const territories = region.territories;
  const administrations = new Map(region.organizations.filter((o) => o.territoryId).map((o) => [o.territoryId!, o.id]));
  const agencies = region.organizations.filter((o) => o.kind !== 'cur').map((o) => o.id);
  const statuses = [...OPEN_STATUSES, 'answered', 'closed', 'closed', 'rated'];
  const rnd = random(20261202);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: Seeded = { phones: [], names: [], portalNumbers: [], words: [] };
  const now = Date.parse('2026-03-02T09:00:00+03:00');
  const BATCH = 5000;
  for (let from = 0; from < n; from += BATCH) {
    const rows: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
    const applicants: unknown[][] = [[], [], []];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const territory = rnd() < 0.1 ? null : pick(territories);
      const street = pick(STREETS);
      const house = 1 + Math.floor(rnd() * 150);
      const text = `${pick(phrases)}${rnd() < 0.5 ? ` Адрес: ул. ${street}, ${house}.` : ''}${pick(TAILS)}`;
      const received = new Date(now - Math.floor(rnd() * 180 * 24 * 3600 * 1000));
      const id = `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-${Math.floor(rnd() * 2 ** 48)
        .toString(16)
        .padStart(12, '0')}`;
      const organization =
        territory === null ? (rnd() < 0.5 ? null : pick(agencies)) : rnd() < 0.6 ? (administrations.get(territory.id) ?? pick(agencies)) : pick(agencies);
      const external = `P-2026-${String(1_000_000 + i)}`;
      rows[0].push(id);
      rows[1].push(pick(['pos', 'appeal', 'social']));
      rows[2].push(external);
      rows[3].push(text);
      rows[4].push(territory?.id ?? null);
      rows[5].push(territory && rnd() < 0.5 ? `${territory.name}, ул. ${street}, д. ${house}` : null);
      rows[6].push(organization);
      rows[7].push(organization ? pick(statuses) : 'needs_triage');
      rows[8].push(received.toISOString());
      rows[9].push(i % 7 === 0 ? String(4_000_000 + i) : null);
      if (i % 2 === 0) {
        const name = `${pick(SURNAMES)} ${pick(FIRST_NAMES)}`;
        const phone = `+7 (9${String(Math.floor(rnd() * 100)).padStart(2, '0')}) ${String(Math.floor(rnd() * 1000)).padStart(3, '0')}-${String(Math.floor(rnd() * 100)).padStart(2, '0')}-${String(Math.floor(rnd() * 100)).padStart(2, '0')}`;
        applicants[0].push(id);
        applicants[1].push(name);
        applicants[2].push(phone);
        if (rnd() < 0.01) out.phones.push(phone);
        if (rnd() < 0.01) out.names.push(name.split(' ')[0]);
      }
      if (rnd() < 0.01) out.portalNumbers.push(external);
    }
    await db.query(
      `INSERT INTO message (id, region, channel, source, external_id, text, territory_id, territory_raw, importance, organization_id, status, status_changed_at, created_at, received_at, pos)
       SELECT id, '61', channel, 'bench-search', external_id, text, territory_id, territory_raw, 'normal', organization_id, status, received_at, received_at, received_at,
              CASE WHEN pos_number IS NULL THEN NULL ELSE jsonb_build_object('number', pos_number) END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[])
           AS t(id, channel, external_id, text, territory_id, territory_raw, organization_id, status, received_at, pos_number)`,
      rows,
    );
    await db.query(`INSERT INTO applicant (message_id, name, phone) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`, applicants);
  }
  // As autovacuum leaves a table in service: statistics, and the GIN indexes' pending lists merged
  // (a bulk load leaves them long, and every search would scan them).
  await db.query('VACUUM ANALYZE message');
  await db.query('VACUUM ANALYZE applicant');
  await db.query('VACUUM ANALYZE message_search');
  // Words people would type: nouns of the seed phrases in another case form, and pairs of them.
  const stems = phrases
    .join(' ')
    .toLowerCase()
    .split(/[^а-яё]+/)
    .filter((w) => w.length >= 6);
  out.words = [...new Set(stems)];
  return out;
}

/** ~QUERIES queries of every kind a person types into the search box. */
function queries(seeded: Seeded): { kind: string; q: string }[] {
  const rnd = random(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const inflect = (w: string) => (w.endsWith('а') ? `${w.slice(0, -1)}ы` : w.endsWith('ы') ? `${w.slice(0, -1)}а` : w.endsWith('ь') ? `${w.slice(0, -1)}и` : w);
  const all: { kind: string; q: string }[] = [];
  for (let i = 0; all.length < QUERIES; i++) {
    switch (i % 8) {
      case 0:
      case 1:
        all.push({ kind: 'word', q: inflect(pick(seeded.words)) });
        break;
      case 2:
        all.push({ kind: 'two words', q: `${pick(seeded.words)} ${pick(seeded.words)}` });
        break;
      case 3:
        all.push({ kind: 'street', q: `улица ${pick(STREETS)}` });
        break;
      case 4:
        all.push({ kind: 'portal number', q: pick(seeded.portalNumbers) });
        break;
      case 5:
        all.push({ kind: 'phone', q: pick(seeded.phones).replace('+7 ', '8') });
        break;
      case 6:
        all.push({ kind: 'surname', q: pick(seeded.names) });
        break;
      default:
        all.push({ kind: 'no such word', q: `абырвалг${i}` });
    }
  }
  return all;
}

const round = (x: number) => Math.round(x * 10) / 10;
function percentiles(times: number[]): { p50: number; p95: number; max: number } {
  const t = [...times].sort((a, b) => a - b);
  return { p50: round(t[Math.floor(t.length / 2)]), p95: round(t[Math.floor(t.length * 0.95)]), max: round(t[t.length - 1]) };
}
function print(label: string, p: { p50: number; p95: number; max: number }, n: number): void {
  console.log(`${label.padEnd(52)} p50 ${String(p.p50).padStart(6)} ms   p95 ${String(p.p95).padStart(6)} ms   max ${String(p.max).padStart(6)} ms   (${n})`);
}

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench_search');
  const results: Record<string, { p50: number; p95: number; max: number }> = {};
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    const t0 = Date.now();
    const seeded = await seed(db, N);
    console.log(`seeded ${N} messages (${Math.round(N / 2)} applicants) in ${Date.now() - t0} ms`);
    const list = queries(seeded);
    const dataSource = await new DataSource(database.options).initialize();
    const repo = new MessageRepository(dataSource);
    const now = new Date('2026-03-02T09:00:00+03:00');
    const filter = (organizationIds?: string[]): SearchFilter => ({ organizationIds, sort: 'relevance', limit: 51, now });
    const scope = { organizationIds: ['adm-rostov-na-donu'] };

    // The plans, for the record: the GIN index for words, the btree ones for numbers and phones.
    const plan = async (q: string) => {
      const explained: { 'QUERY PLAN': string }[] = await db
        .query(
          `EXPLAIN SELECT message_id FROM message_search WHERE search_vector @@ websearch_to_tsquery('russian', $1) UNION ALL SELECT id FROM message WHERE external_id = $1 OR (pos ->> 'number') = $1`,
          [q],
        )
        .then((r) => r.rows);
      return explained
        .map((r) => r['QUERY PLAN'])
        .filter((l) => /Scan|Bitmap/.test(l))
        .map((l) => l.trim().replace(/\s+\(cost.*$/, ''));
    };
    console.log('plan, a word:', JSON.stringify(await plan('ямы')));
    console.log('plan, a portal number:', JSON.stringify(await plan(seeded.portalNumbers[0])));

    const repoRun = async (label: string, organizationIds: string[] | undefined, personalData: { organizationIds?: string[] } | undefined) => {
      for (const { q } of list.slice(0, 10)) await repo.search(filter(organizationIds), { q, phoneKey: phoneKey(q), personalData }); // warm-up
      const times: number[] = [];
      const byKind = new Map<string, number[]>();
      for (const { kind, q } of list) {
        const begin = performance.now();
        const hits = await repo.search(filter(organizationIds), { q, phoneKey: phoneKey(q), personalData });
        await repo.highlights(
          hits.slice(0, 50).map((h) => h.message.id),
          q,
        );
        const ms = performance.now() - begin;
        times.push(ms);
        byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      }
      results[label] = percentiles(times);
      print(label, results[label], times.length);
      for (const [kind, t] of byKind) print(`  ${kind}`, percentiles(t), t.length);
    };
    await repoRun('repository: search, operator (all, personal data)', undefined, {});
    await repoRun('repository: search, city administration (scoped)', scope.organizationIds, scope);

    const rnd = random(99);
    const subjects: { id: string; text: string; territory_id: string | null; received_at: Date }[] = (
      await db.query(`SELECT id, text, territory_id, received_at FROM message ORDER BY id LIMIT 2000`)
    ).rows.filter(() => rnd() < 0.05);
    const similarTimes: number[] = [];
    let found = 0;
    const window = 14 * 24 * 3600 * 1000;
    for (const s of subjects) {
      const begin = performance.now();
      const rows = await repo.similar({
        id: s.id,
        text: s.text,
        territoryId: s.territory_id,
        from: new Date(s.received_at.getTime() - window),
        to: new Date(s.received_at.getTime() + window),
        closedSince: new Date(now.getTime() - window),
        minSimilarity: 0.3,
        limit: 10,
      });
      similarTimes.push(performance.now() - begin);
      found += rows.length;
    }
    results['repository: similar'] = percentiles(similarTimes);
    print('repository: similar', results['repository: similar'], similarTimes.length);
    console.log(`  similar: ${found} suggestions for ${subjects.length} messages`);
    await dataSource.destroy();

    const api = await startService('api', infra, { KAFKA_GROUP_PREFIX: `bench-search-${Date.now()}`, CUR_LOG_FORMAT: 'json' });
    const users = await TestUsers.connect(infra.databaseUrl);
    try {
      const operator = await users.headers(api.url, 'operator', 'cur-rostov');
      const city = await users.headers(api.url, 'executor', 'adm-rostov-na-donu');
      const http = async (label: string, paths: string[], headers: Record<string, string>) => {
        for (const path of paths.slice(0, 5)) await (await fetch(`${api.url}${path}`, { headers })).arrayBuffer();
        const times: number[] = [];
        for (const path of paths) {
          const begin = performance.now();
          const res = await fetch(`${api.url}${path}`, { headers });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${label} ${path}: ${res.status}`);
          times.push(performance.now() - begin);
        }
        results[label] = percentiles(times);
        print(label, results[label], times.length);
      };
      const searchPaths = list.map(({ q }) => `/api/v1/messages?q=${encodeURIComponent(q)}&limit=50`);
      await http('HTTP: search, operator', searchPaths, operator);
      await http('HTTP: search, city administration (scoped)', searchPaths, city);
      await http(
        'HTTP: similar, operator',
        subjects.map((s) => `/api/v1/messages/${s.id}/similar`),
        operator,
      );
    } finally {
      await users.close();
      await api.stop();
    }
    await db.end();
    console.log(JSON.stringify({ messages: N, queries: list.length, results }));
  } finally {
    await stopInfrastructure(infra);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
