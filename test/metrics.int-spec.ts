import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { portalMessage, postJson } from './support/http';
import { blockGroup } from './support/kafka-events';
import { expectEventually, ServiceProcess, startService } from './support/services';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Prometheus's text format, strictly: every line a comment, blank, or `name{labels} value`, every
 * sample of a family declared by `# TYPE` (histograms by their _bucket, _sum and _count series).
 * Throws on anything else, so a scrape Prometheus could not read fails the test.
 */
function parseMetrics(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    // Values as Prometheus reads them (Go's ParseFloat): NaN and Inf in any case, as prom-client writes `Nan`.
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([-+]?(?:[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?|inf|nan))$/i.exec(line);
    if (!sample) throw new Error(`not a metrics line: ${line}`);
    const [, name, labelText = '', value] = sample;
    const family = [name, name.replace(/_(bucket|sum|count)$/, '')].find((n) => types.has(n));
    if (!family || (family !== name && !['histogram', 'summary'].includes(types.get(family)!))) throw new Error(`no # TYPE for ${name}`);
    const labels: Record<string, string> = {};
    const rest = labelText.replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g, (_, key: string, v: string) => {
      labels[key] = v.replace(/\\(.)/g, (__, c: string) => (c === 'n' ? '\n' : c));
      return '';
    });
    if (rest !== '') throw new Error(`bad labels: ${line}`);
    samples.push({ name, labels, value: /nan/i.test(value) ? NaN : Number(value.replace(/inf/i, 'Infinity')) });
  }
  return samples;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parseMetrics(text) };
}

/** The body of a terminus probe. */
async function probe(url: string): Promise<{ status: number; body: { status: string; details: Record<string, unknown> } }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as { status: string; details: Record<string, unknown> } };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/** The value of the one sample of `name` with these labels; 0 when there is none yet (a counter not moved). */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(samples, name, labels);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * What Prometheus and an orchestrator see of each service: GET /metrics in the text format, with
 * the pipeline's figures moving as messages go through, and the terminus probes. Distributed
 * (intake and triage over real Kafka and PostgreSQL) and embedded (PGlite, in-process bus).
 */
describe('metrics and health probes', () => {
  describe('intake and triage over Kafka and PostgreSQL', () => {
    const prefix = `metrics-${Date.now()}`;
    const token = 'scrape-token-for-the-metrics-test';
    let infra: Infrastructure;
    let intake: ServiceProcess;
    let triage: ServiceProcess;
    let db: Client;
    const bearer = { Authorization: `Bearer ${token}` };

    beforeAll(async () => {
      infra = readInfrastructure();
      // The counts of messages are read at every scrape here: the tests compare them before and after their writes.
      const env = { KAFKA_GROUP_PREFIX: prefix, CUR_METRICS_COUNTS_SECONDS: '0' };
      // Triage's metrics are closed by a token; intake's are open.
      [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, { ...env, CUR_METRICS_TOKEN: token })]);
      db = new Client({ connectionString: infra.databaseUrl });
      await db.connect();
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
      await db?.end();
    });

    it('counts the messages posted, shows the outbox and the consumer lag, and labels nothing with an id or a text', async () => {
      const route = { method: 'POST', route: '/api/v1/messages', status: '201', service: 'intake' };
      const before = (await scrape(intake.url)).samples;

      const posted = [];
      for (let i = 0; i < 5; i++) posted.push(portalMessage());
      const ids: string[] = [];
      for (const message of posted) {
        const res = await postJson(`${intake.url}/api/v1/messages`, message);
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      await expectEventually(async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE id = ANY($1) AND status <> 'new'`, [ids]);
        expect(rows[0].n).toBe(ids.length);
      }, 60_000);

      // Triage consumed and committed everything: its group's lag, read by intake's admin, comes down to 0 on every partition.
      const after = await expectEventually(async () => {
        const scraped = await scrape(intake.url);
        const lag = find(scraped.samples, 'cur_kafka_consumer_lag', { group: `${prefix}-triage`, topic: 'cur.message.received' });
        expect(lag.length).toBeGreaterThan(0);
        expect(lag.map((s) => s.value)).toEqual(lag.map(() => 0));
        return scraped;
      }, 90_000);

      expect(valueOf(after.samples, 'cur_http_requests_total', route) - valueOf(before, 'cur_http_requests_total', route)).toBe(5);
      const durations = { method: 'POST', route: '/api/v1/messages', service: 'intake' };
      expect(
        valueOf(after.samples, 'cur_http_request_duration_seconds_count', durations) - valueOf(before, 'cur_http_request_duration_seconds_count', durations),
      ).toBe(5);
      expect(find(after.samples, 'cur_http_requests_total', { route: '/metrics' })).toEqual([]);

      const lag = find(after.samples, 'cur_kafka_consumer_lag', { group: `${prefix}-triage` });
      for (const sample of lag) {
        expect(Object.keys(sample.labels).sort()).toEqual(['group', 'partition', 'service', 'topic']);
        expect(sample.labels.partition).toMatch(/^\d+$/);
      }
      // Only the groups of this deployment: intake consumes nothing, other runs' groups are not ours.
      expect(new Set(find(after.samples, 'cur_kafka_consumer_lag').map((s) => s.labels.group))).toEqual(new Set([`${prefix}-triage`]));

      const [pending] = find(after.samples, 'cur_outbox_pending');
      expect(pending.labels).toEqual({ service: 'intake' });
      expect(pending.value).toBeGreaterThanOrEqual(0);
      expect(find(after.samples, 'cur_outbox_oldest_pending_age_seconds')).toHaveLength(1);
      // Open: at least the five just routed (the run's other tests share the database).
      expect(valueOf(after.samples, 'cur_messages_open')).toBeGreaterThanOrEqual(5);
      expect(find(after.samples, 'cur_process_cpu_user_seconds_total', { service: 'intake' })).toHaveLength(1);

      for (const sample of after.samples) for (const value of Object.values(sample.labels)) expect(value).not.toMatch(UUID);
      for (const message of posted) {
        expect(after.text).not.toContain(message.externalId);
        expect(after.text).not.toContain('Петровской');
      }
    });

    it("shows triage's auto-route share to the bearer of the metrics token, and refuses a scrape without it", async () => {
      expect((await fetch(`${triage.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${triage.url}/metrics`, { headers: { Authorization: `Bearer ${token}-not` } });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });

      const { samples } = await expectEventually(async () => {
        const scraped = await scrape(triage.url, bearer);
        expect(find(scraped.samples, 'cur_triage_auto_route_share')).toHaveLength(1);
        return scraped;
      });
      const [share] = find(samples, 'cur_triage_auto_route_share', { service: 'triage' });
      expect(share.value).toBeGreaterThan(0);
      expect(share.value).toBeLessThanOrEqual(1);
      // The token guards /metrics only: the probes stay open.
      expect((await fetch(`${triage.url}/health/live`)).status).toBe(200);
    });

    it('answers live and ready, naming the database, the broker and the scheduled jobs', async () => {
      for (const service of [intake, triage]) {
        const live = await fetch(`${service.url}/health/live`);
        expect(live.status).toBe(200);
        expect(await live.json()).toMatchObject({ status: 'ok' });
        const ready = await fetch(`${service.url}/health/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({
          status: 'ok',
          details: { service: { status: 'up' }, database: { status: 'up' }, broker: { status: 'up', brokers: 1 } },
        });
      }
      // Triage consumes, and its consumer runs; intake has none.
      expect((await probe(`${triage.url}/health/ready`)).body.details.consumer).toEqual({ status: 'up', group: expect.stringMatching(/-triage$/) });
      expect((await probe(`${intake.url}/health/ready`)).body.details.consumer).toBeUndefined();
      // Triage retrains nightly: its cron job is registered and running. Intake schedules nothing.
      expect((await probe(`${triage.url}/health/ready`)).body.details.scheduler).toEqual({ status: 'up', jobs: ['cron:classifier-nightly-retrain'] });
      expect((await probe(`${intake.url}/health/ready`)).body.details.scheduler).toBeUndefined();
      // GET /health is as it was.
      expect(await (await fetch(`${intake.url}/health`)).json()).toMatchObject({ status: 'ok', uptimeSeconds: expect.any(Number), warnings: [] });
    });
  });

  describe('a triage whose consumer cannot join its group', () => {
    it('starts, answers not ready naming its consumer, and is ready once the consumer joined', async () => {
      const infra = readInfrastructure();
      const prefix = `notjoined-${Date.now()}`;
      const group = `${prefix}-triage`;
      const blocker = await blockGroup(infra.kafkaBrokers, group);
      let triage: ServiceProcess | undefined;
      try {
        triage = await startService('triage', infra, { KAFKA_GROUP_PREFIX: prefix });
        const ready = `${triage.url}/health/ready`;
        await expectEventually(async () => {
          const { status, body } = await probe(ready);
          expect(status).toBe(503);
          // The error's name and type, not its text: the probe is public.
          expect(body.details.consumer).toEqual({
            status: 'down',
            group,
            stoppedAt: expect.any(String),
            error: 'KafkaJSProtocolError (INCONSISTENT_GROUP_PROTOCOL)',
          });
        });
        expect((await probe(ready)).body.details.database).toEqual({ status: 'up' });
        expect((await fetch(`${triage.url}/health/live`)).status).toBe(200);

        await blocker.leave();
        await expectEventually(async () => {
          const { status, body } = await probe(ready);
          expect(body.details.consumer).toEqual({ status: 'up', group });
          expect(status).toBe(200);
        }, 60_000);
        expect(valueOf((await scrape(triage.url)).samples, 'cur_bus_consumer_restarts_total', { group })).toBe(1);
      } finally {
        await blocker.leave();
        await triage?.stop();
      }
    });
  });

  describe('embedded (PGlite with one connection, in-process bus)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cur-metrics-'));
    let app: ServiceProcess;

    beforeAll(async () => {
      app = await startService('standalone', undefined, {
        CUR_DATA_DIR: dataDir,
        CUR_RUN_MIGRATIONS: 'true',
        CUR_DEMO_STREAM: 'false',
        CUR_METRICS_COUNTS_SECONDS: '0',
      });
    });

    afterAll(async () => {
      await app?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves the database gauges without Kafka ones, while requests share the one connection', async () => {
      // Scrapes, probes and a write at once: none waits on another for ever on the single connection.
      const [first, , created, ready] = await Promise.all([
        scrape(app.url),
        scrape(app.url),
        postJson(`${app.url}/api/v1/messages`, portalMessage()),
        fetch(`${app.url}/health/ready`),
      ]);
      expect(created.status).toBe(201);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, scheduler: { status: 'up' } } });
      expect(find(first.samples, 'cur_outbox_pending', { service: 'standalone' })).toHaveLength(1);

      const { samples, text } = await expectEventually(async () => {
        const scraped = await scrape(app.url);
        expect(find(scraped.samples, 'cur_triage_auto_route_share')).toHaveLength(1);
        return scraped;
      }, 60_000);
      expect(valueOf(samples, 'cur_messages_open', { service: 'standalone' })).toBe(1);
      expect(valueOf(samples, 'cur_http_requests_total', { method: 'POST', route: '/api/v1/messages', status: '201' })).toBe(1);
      expect(text).not.toContain('cur_kafka_consumer_lag');
      expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
      expect((await probe(`${app.url}/health/ready`)).body.details.broker).toBeUndefined();
      // Its bus is in-process: no consumer to watch.
      expect((await probe(`${app.url}/health/ready`)).body.details.consumer).toBeUndefined();
    });
  });
});
