import '../../libs/platform/src/preamble';
import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadRegionConfig } from '../../libs/config/src/region-config.loader';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { getJson, postJson } from '../support/http';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { ROOT } from '../support/root';
import { ServiceProcess, startService } from '../support/services';
import { timed } from './measure';
import { TestUsers } from '../support/users';

/**
 * `npm run bench`: the region's monthly summary (order No. 733) for a month of N messages
 * (default 1,000,000; BENCH_REPORT_MESSAGES) on PostgreSQL, with 10% more from the month before
 * still open at its start. The month's facts are written straight into `report_fact` (receipts,
 * answers on time and late, ratings, re-considerations, redirects, extensions, rejections, over the
 * region's real organizations and categories); then the api service generates the summary
 * (POST /api/v1/reports/monthly), returns it (GET), renders each file (XLSX, PDF, CSV), and answers
 * the month's monitoring dashboard and ratings. Prints the time of each and the service process's
 * peak RSS during it; asserts nothing. The last line is one JSON object.
 */
const MESSAGES = Number(process.env.BENCH_REPORT_MESSAGES ?? 1_000_000);
const YEAR = 2026;
const MONTH = 11;

/** The month's facts, generated in the database (nothing per message passes through Node). */
async function fill(databaseUrl: string): Promise<void> {
  const region = loadRegionConfig(join(ROOT, 'config'), 'rostov');
  const organizations = region.organizations.filter((o) => o.kind !== 'cur').map((o) => o.id);
  const categories = region.categories.map((c) => c.code);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const t0 = performance.now();
    // m: one row per message with its fate drawn from its number; the month before contributes 10% still open at the start.
    await db.query(
      `CREATE TEMP TABLE m AS
       SELECT md5('bench-report-' || i)::uuid AS id,
              CASE WHEN i % 10 < 6 THEN 'pos' WHEN i % 10 < 9 THEN 'social' ELSE 'appeal' END AS channel,
              ($1::text[])[1 + (i * 7919) % cardinality($1::text[])] AS org,
              ($2::text[])[1 + (i * 104729) % cardinality($2::text[])] AS category,
              CASE WHEN i > $3 THEN timestamptz '2026-10-20 09:00+03' + (i % 900000) * interval '1 second'
                   ELSE timestamptz '2026-11-01 00:00+03' + (i::float8 / $3) * interval '29 days 23 hours' END AS received_at,
              i
       FROM generate_series(1::bigint, ($3::bigint * 11) / 10) AS i`,
      [organizations, categories, MESSAGES],
    );
    await db.query(`ALTER TABLE m ADD COLUMN due_at timestamptz, ADD COLUMN answered_at timestamptz`);
    await db.query(
      `UPDATE m SET due_at = received_at + CASE channel WHEN 'social' THEN interval '1 day' WHEN 'pos' THEN interval '14 days' ELSE interval '30 days' END,
                    answered_at = CASE WHEN i % 100 < 85 THEN received_at + ((i % 17) + 1) * interval '1 day' END`,
    );
    await db.query(
      `INSERT INTO report_fact (message_id, kind, at, channel, category_code, organization_id, open, due_at, on_time, elapsed, rating, from_organization_id)
       SELECT message_id, kind, at, channel, category_code, organization_id, open, due_at, on_time, elapsed, rating, from_organization_id FROM (
           SELECT m.id AS message_id, 'received' AS kind, m.received_at AS at, m.channel, m.category AS category_code, m.org AS organization_id, true AS open, m.due_at,
                  NULL::boolean AS on_time, NULL::numeric AS elapsed, NULL::smallint AS rating, NULL::varchar AS from_organization_id, 1 AS ord FROM m
           UNION ALL
           SELECT m.id, 'redirected', m.received_at + interval '1 hour', m.channel, m.category, m.org, true, m.due_at, NULL, NULL, NULL, ($1::text[])[1 + (m.i * 31) % cardinality($1::text[])], 2 FROM m WHERE m.i % 50 = 0
           UNION ALL
           SELECT m.id, 'extended', m.received_at + interval '2 days', m.channel, m.category, m.org, true, m.due_at + interval '10 days', NULL, NULL, NULL, NULL, 3 FROM m WHERE m.i % 40 = 0
           UNION ALL
           SELECT m.id, 'answered', m.answered_at, m.channel, m.category, m.org, false, m.due_at, m.answered_at <= m.due_at,
                  CASE WHEN m.channel = 'social' THEN (m.i % 40) / 2.0 ELSE (m.i % 17) + 1 END, NULL, NULL, 4 FROM m WHERE m.answered_at IS NOT NULL
           UNION ALL
           SELECT m.id, 'rated', m.answered_at + interval '1 day', m.channel, m.category, m.org, false, m.due_at, NULL, NULL, (1 + m.i % 5)::smallint, NULL, 5 FROM m WHERE m.answered_at IS NOT NULL AND m.i % 3 = 0
           UNION ALL
           SELECT m.id, 'reconsidered', m.answered_at + interval '2 days', m.channel, m.category, m.org, true, m.answered_at + interval '12 days', NULL, NULL, NULL, NULL, 6 FROM m WHERE m.answered_at IS NOT NULL AND m.i % 97 = 0
           UNION ALL
           SELECT m.id, 'rejected', m.received_at + interval '3 hours', m.channel, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, 7 FROM m WHERE m.answered_at IS NULL AND m.i % 100 = 99
         ) f ORDER BY at, ord`,
      [organizations],
    );
    await db.query(`ANALYZE report_fact`);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM report_fact`);
    console.log(
      `wrote ${rows[0].n} report facts for ${MESSAGES} messages of ${YEAR}-${MONTH} (+${MESSAGES / 10} from the month before) in ${Math.round(performance.now() - t0) / 1000} s`,
    );
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench_report');
  let app: ServiceProcess | undefined;
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    await fill(infra.databaseUrl);
    app = await startService('api', { databaseUrl: infra.databaseUrl, kafkaBrokers: infra.kafkaBrokers }, { CUR_CLOCK_FROM: '2026-12-02T10:00:00+03:00' });
    const users = await TestUsers.connect(infra.databaseUrl);
    const headers = await users.headers(app.url, 'supervisor', 'cur-rostov');
    await users.close();
    const summary: Record<string, { seconds: number; peakRssMb: number; bytes?: number }> = {};
    const generated = await timed(app, 'summary (JSON) generated', () => postJson(`${app!.url}/api/v1/reports/monthly`, { year: YEAR, month: MONTH }, headers));
    if (generated.result.status !== 201) throw new Error(`generate answered ${generated.result.status} ${JSON.stringify(generated.result.body)}`);
    summary.generate = { seconds: generated.seconds, peakRssMb: generated.peakRssMb };
    const id = generated.result.body.id as string;
    const read = await timed(app, 'summary (JSON) read', () => getJson(`${app!.url}/api/v1/reports/monthly/${id}`, headers));
    const report = read.result.body;
    summary.read = { seconds: read.seconds, peakRssMb: read.peakRssMb, bytes: JSON.stringify(report).length };
    const pos = report.sections.find((s: { key: string }) => s.key === 'pos');
    console.log(
      `region summary: ${report.sections.map((s: { key: string; totals: { received: number } }) => `${s.key} ${s.totals.received}`).join(', ')} received; ` +
        `pos: ${pos.byOrganization.length} organizations, ${pos.byCategory.length} categories; ${Math.round(summary.read.bytes! / 1024)} KB of JSON`,
    );
    for (const format of ['xlsx', 'pdf', 'csv']) {
      const file = await timed(app, `summary as ${format.toUpperCase()}`, async () => {
        const res = await fetch(`${app!.url}/api/v1/reports/monthly/${id}/file?format=${format}`, { headers });
        return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
      });
      if (file.result.status !== 200) throw new Error(`${format} answered ${file.result.status}`);
      summary[format] = { seconds: file.seconds, peakRssMb: file.peakRssMb, bytes: file.result.bytes };
    }
    const dashboard = await timed(app, 'monitoring dashboard (the month)', () =>
      getJson(`${app!.url}/api/v1/reports/dashboard?year=${YEAR}&month=${MONTH}`, headers),
    );
    if (dashboard.result.status !== 200) throw new Error(`dashboard answered ${dashboard.result.status}`);
    summary.dashboard = { seconds: dashboard.seconds, peakRssMb: dashboard.peakRssMb };
    const ratings = await timed(app, 'ratings (the month, all sections)', () =>
      getJson(`${app!.url}/api/v1/reports/ratings?period=month&year=${YEAR}&month=${MONTH}`, headers),
    );
    if (ratings.result.status !== 200) throw new Error(`ratings answered ${ratings.result.status}`);
    summary.ratings = { seconds: ratings.seconds, peakRssMb: ratings.peakRssMb };
    console.log(JSON.stringify({ reportMessages: MESSAGES, ...summary }));
  } finally {
    await app?.stop();
    await stopInfrastructure(infra);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
