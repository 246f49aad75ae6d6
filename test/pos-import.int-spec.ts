import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POS_EXPORT_HEADERS } from './fixtures/pos-export.fixture';
import { minimalPosRows, minimalXlsx, rowXml, sparseLastCellXlsx, writeRealisticPosExport } from './fixtures/xlsx-files';
import { scratchDatabase } from './support/infrastructure';
import { ProbeSample, probeDuring, serviceProbes, uploadPosExport } from './support/liveness';
import { ServiceProcess, startService } from './support/services';
import { TestUsers } from './support/users';

/**
 * The ПОС import at its limits, through the whole product (standalone: sign-in, intake and import in
 * one process): refused files write nothing and name where they went wrong; a large import leaves
 * /health, sign-in and intake answering. Liveness is asserted (every poll answered), not timing:
 * `npm run bench` measures the latencies. Files are generated into a temporary folder.
 */
const LARGE_ROWS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'cur-pos-import-test-'));
const run = Date.now() % 10_000;
/** Номер ranges of this run: the large export, the small files. */
const LARGE_FIRST = 5_000_000_000 + run * 200_000;
const SMALL_FIRST = 7_000_000_000 + run * 1_000;
const files = {
  sparse: join(dir, 'sparse.xlsx'),
  hugeCell: join(dir, 'huge-cell.xlsx'),
  million: join(dir, 'million.xlsx'),
  large: join(dir, 'large.xlsx'),
};

beforeAll(async () => {
  writeFileSync(files.sparse, sparseLastCellXlsx());
  const header = rowXml(1, [...POS_EXPORT_HEADERS]);
  const good = rowXml(2, [SMALL_FIRST, null, null, null, 'Автомобильные дороги', null, null, null, null, '05.03.2025']);
  const huge = rowXml(3, [SMALL_FIRST + 1, null, null, null, 'Я'.repeat(10 * 1024 * 1024), null, null, null, null, '05.03.2025']);
  writeFileSync(files.hugeCell, minimalXlsx({ rows: [header, good, huge] }));
  writeFileSync(files.million, minimalXlsx({ rows: minimalPosRows(1_000_000, 9_000_000_000) }));
  await writeRealisticPosExport(files.large, LARGE_ROWS, LARGE_FIRST);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failures(samples: Record<string, ProbeSample[]>, expected: Record<string, number>): string[] {
  return Object.entries(samples).flatMap(([name, list]) =>
    list.filter((s) => s.status !== expected[name]).map((s) => `${name}: ${s.status} after ${Math.round(s.ms)} ms`),
  );
}

const EXPECTED = { health: 200, 'sign-in': 200, intake: 201 };

describe('ПОС import on PostgreSQL (standalone)', () => {
  let database: { url: string; drop(): Promise<void> };
  let app: ServiceProcess;
  let db: Client;
  let users: TestUsers;
  let login: { login: string; password: string };

  beforeAll(async () => {
    // A database of its own: a hundred thousand imported rows would crowd every other test's lists.
    database = await scratchDatabase('import');
    app = await startService('standalone', { databaseUrl: database.url }, { CUR_LOGIN_RATE_LIMIT: '1000', CUR_RUN_MIGRATIONS: 'true' });
    db = new Client({ connectionString: database.url });
    await db.connect();
    users = await TestUsers.connect(database.url);
    login = await users.ensure('operator', 'cur-rostov');
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
    await database?.drop();
  });

  async function stored(from: number, count: number): Promise<number> {
    const numbers = Array.from({ length: count }, (_, i) => String(from + i));
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = 'pos-export' AND external_id = ANY($1)`, [numbers]);
    return rows[0].n;
  }

  it('refuses the 1.6 kB file whose one value sits at XFD1048576, naming the cell', async () => {
    const before = await db.query(`SELECT count(*)::int AS n FROM message`);
    const res = await uploadPosExport(app.url, files.sparse);
    expect(res.status).toBe(413);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 1_048_576, field: 'XFD' })]);
    expect(res.body.message).toContain('XFD1048576');
    expect((await db.query(`SELECT count(*)::int AS n FROM message`)).rows[0].n).toBe(before.rows[0].n);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });

  it('refuses a 10 MB cell naming its row and column, and writes none of the file’s rows', async () => {
    const res = await uploadPosExport(app.url, files.hugeCell);
    expect(res.status).toBe(413);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 3, field: 'Категория' })]);
    expect(res.body.errors[0].message).toContain('E3');
    expect(await stored(SMALL_FIRST, 2)).toBe(0);
  });

  it('refuses the 1,000,000-row file past the row limit while /health answers every poll', async () => {
    const { result, samples } = await probeDuring(uploadPosExport(app.url, files.million), [serviceProbes(app.url, login)[0]]);
    expect(result.status).toBe(413);
    expect(result.body.errors).toEqual([expect.objectContaining({ row: 200_002 })]);
    expect(samples.health.length).toBeGreaterThan(0);
    expect(failures(samples, EXPECTED)).toEqual([]);
    expect(await stored(9_000_000_000, 1000)).toBe(0);
  });

  it('imports the 100,000-row export with /health, sign-in and intake answering throughout; importing it again changes nothing', async () => {
    const { result, samples } = await probeDuring(uploadPosExport(app.url, files.large), serviceProbes(app.url, login, `probe-pg-${run}`));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ imported: LARGE_ROWS, updated: 0, skipped: 0, errors: [], rejectedRows: 0 });
    for (const name of ['health', 'sign-in', 'intake']) expect(samples[name].length).toBeGreaterThan(1);
    expect(failures(samples, EXPECTED)).toEqual([]);
    expect(await stored(LARGE_FIRST, LARGE_ROWS)).toBe(LARGE_ROWS);
    const { rows: history } = await db.query(
      `SELECT count(*)::int AS n FROM message_event e JOIN message m ON m.id = e.message_id WHERE m.source = 'pos-export' AND m.external_id = $1 AND e.type = 'imported'`,
      [String(LARGE_FIRST + LARGE_ROWS - 1)],
    );
    expect(history[0].n).toBe(1);

    const again = await uploadPosExport(app.url, files.large);
    expect(again.body).toMatchObject({ imported: 0, updated: 0, skipped: LARGE_ROWS });
    expect(await stored(LARGE_FIRST, LARGE_ROWS)).toBe(LARGE_ROWS);
  }, 900_000);

  it('the command line names the row and column of a refused file and exits 1', () => {
    const cli = spawnSync(process.execPath, [join(__dirname, '../dist/apps/intake/src/cli/import-pos.js'), '--file', files.hugeCell, '--url', app.url], {
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/Файл не принят \(413\)/);
    expect(cli.stderr).toMatch(/строка 3, «Категория»/);
  });
});

describe('ПОС import on the embedded default (one PGlite connection)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cur-pos-import-embedded-'));
  let app: ServiceProcess;

  beforeAll(async () => {
    app = await startService('standalone', undefined, {
      CUR_DATA_DIR: dataDir,
      CUR_RUN_MIGRATIONS: 'true',
      CUR_DEMO_STREAM: 'false',
      CUR_LOGIN_RATE_LIMIT: '1000',
    });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the 100,000-row export with /health, sign-in and intake answering throughout', async () => {
    const { result, samples } = await probeDuring(
      uploadPosExport(app.url, files.large),
      serviceProbes(app.url, { login: 'operator', password: 'operator' }, `probe-embedded-${run}`),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ imported: LARGE_ROWS, errors: [] });
    for (const name of ['health', 'sign-in', 'intake']) expect(samples[name].length).toBeGreaterThan(1);
    expect(failures(samples, EXPECTED)).toEqual([]);
  }, 900_000);
});
