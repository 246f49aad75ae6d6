import '../../libs/platform/src/preamble';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { writeRealisticPosExport } from '../fixtures/xlsx-files';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { percentile, probeDuring, ProbeSample, serviceProbes, uploadPosExport } from '../support/liveness';
import { ServiceProcess, startService } from '../support/services';
import { TestUsers } from '../support/users';

/**
 * `npm run bench`: the ПОС import of a realistic N-row export (default 100,000; BENCH_IMPORT_ROWS)
 * into the whole product (standalone) on PostgreSQL, then on the embedded default (PGlite), while
 * /health (every 200 ms), a sign-in and an intake POST (every second each) are polled. Prints the
 * import's time, rows/s, the service process's peak RSS during the import, and the worst and p99
 * latency of each probe; asserts nothing. The last line is one JSON object.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

interface Figures {
  seconds: number;
  rowsPerSec: number;
  rssBeforeMb: number;
  peakRssMb: number;
  latency: Record<string, { n: number; worstMs: number; p99Ms: number; failed: number }>;
  reimportSeconds?: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function measure(app: ServiceProcess, file: string, login: { login: string; password: string }, label: string): Promise<Figures> {
  const pid = app.process.pid!;
  const rssBeforeMb = rssMb(pid);
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 100);
  const t0 = performance.now();
  const { result, samples } = await probeDuring(uploadPosExport(app.url, file), serviceProbes(app.url, login, `bench-probe-${label}-${Date.now()}`));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  if (result.status !== 200 || result.body.imported + result.body.updated + result.body.skipped !== ROWS) {
    throw new Error(`${label}: import answered ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
  }
  const expected: Record<string, number> = { health: 200, 'sign-in': 200, intake: 201 };
  const latency = Object.fromEntries(
    Object.entries(samples).map(([name, list]: [string, ProbeSample[]]) => [
      name,
      {
        n: list.length,
        worstMs: Math.round(Math.max(...list.map((s) => s.ms))),
        p99Ms: Math.round(
          percentile(
            list.map((s) => s.ms),
            0.99,
          ),
        ),
        failed: list.filter((s) => s.status !== expected[name]).length,
      },
    ]),
  );
  const figures = { seconds: Math.round(seconds * 10) / 10, rowsPerSec: Math.round(ROWS / seconds), rssBeforeMb, peakRssMb, latency };
  console.log(
    `${label}: ${ROWS} rows imported in ${figures.seconds} s (${figures.rowsPerSec} rows/s); service RSS ${rssBeforeMb} MB before, peak ${peakRssMb} MB during; ` +
      Object.entries(latency)
        .map(([name, l]) => `${name} worst ${l.worstMs} ms, p99 ${l.p99Ms} ms (${l.n} polls, ${l.failed} failed)`)
        .join('; '),
  );
  // The service's own account of the two phases (read in the worker, then the chunked writes).
  const logged = app
    .output()
    .split('\n')
    .filter((line) => line.includes('"context":"PosImport"'))
    .map((line) => (JSON.parse(line) as { message: string }).message);
  if (logged.length) console.log(`${label}: service log: ${logged[logged.length - 1]}`);
  return figures;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cur-bench-import-'));
  const file = join(dir, 'export.xlsx');
  const t0 = Date.now();
  await writeRealisticPosExport(file, ROWS, 6_000_000_000 + (Date.now() % 10_000) * 200_000);
  console.log(`generated a realistic ПОС export of ${ROWS} rows, ${(statSync(file).size / 1048576).toFixed(1)} MB, in ${Date.now() - t0} ms`);
  const infra = await startInfrastructure('bench_import');
  const summary: Record<string, Figures> = {};
  let app: ServiceProcess | undefined;
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    app = await startService('standalone', { databaseUrl: infra.databaseUrl }, { CUR_LOG_FORMAT: 'json', CUR_LOGIN_RATE_LIMIT: '1000' });
    const users = await TestUsers.connect(infra.databaseUrl);
    const login = await users.ensure('operator', 'cur-rostov');
    summary.postgres = await measure(app, file, login, 'PostgreSQL');
    const r0 = performance.now();
    const again = await uploadPosExport(app.url, file);
    summary.postgres.reimportSeconds = Math.round((performance.now() - r0) / 100) / 10;
    console.log(`PostgreSQL: the same file again: ${again.body.skipped} unchanged in ${summary.postgres.reimportSeconds} s`);
    await users.close();
    await app.stop();
    app = undefined;

    const dataDir = join(dir, 'embedded');
    app = await startService('standalone', undefined, {
      CUR_DATA_DIR: dataDir,
      CUR_RUN_MIGRATIONS: 'true',
      CUR_DEMO_STREAM: 'false',
      CUR_LOG_FORMAT: 'json',
      CUR_LOGIN_RATE_LIMIT: '1000',
    });
    summary.embedded = await measure(app, file, { login: 'operator', password: 'operator' }, 'embedded (PGlite)');
    console.log(JSON.stringify({ importRows: ROWS, ...summary }));
  } finally {
    await app?.stop();
    await stopInfrastructure(infra);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
