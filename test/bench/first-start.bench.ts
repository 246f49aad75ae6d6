import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/root';

/**
 * `npm run bench:first-start` (and part of `npm run bench`): what a newcomer's first `npm start`
 * costs. Starts the compiled standalone app on the embedded default with a fresh data folder and
 * records the time until `/health` answers 200, the time until both bootstrap models are active
 * (asked through the API as the demo admin), and the process's peak resident memory (VmHWM: worker
 * threads included). Prints figures; asserts nothing. The last line is one JSON object.
 */
const PORT = Number(process.env.BENCH_FIRST_START_PORT ?? 3957);
const TIMEOUT_MS = Number(process.env.BENCH_FIRST_START_TIMEOUT_MS ?? 300_000);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cur-first-start-'));
  const url = `http://127.0.0.1:${PORT}`;
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', PORT: String(PORT), CUR_DATA_DIR: dataDir, CUR_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let lastMessage = '';
  const progressLines: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    log = (log + text).slice(-20_000);
    for (const line of text.split('\n')) {
      const message = /"message":"([^"]*)"/.exec(line)?.[1];
      if (message && !/Mapped|dependencies initialized|Controller \{/.test(message)) lastMessage = message;
      if (message && /bootstrap model/.test(message) && !/training \d+%/.test(message))
        progressLines.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let peakKb = 0;
  const peakSteps: string[] = [];
  const sampleMemory = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      const kb = hwm ? Number(hwm[1]) : 0;
      // Where the peak grows, and what the service last said then: where the memory goes.
      if (kb - peakKb >= 100 * 1024)
        peakSteps.push(`${((Date.now() - started) / 1000).toFixed(1)} s: peak ${Math.round(kb / 1024)} MB after «${lastMessage.slice(0, 90)}»`);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // the process has gone
    }
  };
  const sampler = setInterval(sampleMemory, 200);
  try {
    let healthAt: number | undefined;
    let healthPeakKb = 0;
    let trainedAt: number | undefined;
    let token: string | undefined;
    while (Date.now() - started < TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}:\n${log}`);
      if (healthAt === undefined && (await status(`${url}/health`)) === 200) {
        healthAt = Date.now();
        sampleMemory();
        healthPeakKb = peakKb;
      }
      if (healthAt !== undefined) {
        token ??= await signIn(url);
        if (token && (await bothActive(url, token))) {
          trainedAt = Date.now();
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    sampleMemory();
    if (healthAt === undefined || trainedAt === undefined) throw new Error(`not ready within ${TIMEOUT_MS / 1000} s:\n${log}`);
    const summary = {
      firstStartHealthSeconds: round((healthAt - started) / 1000),
      firstStartModelsActiveSeconds: round((trainedAt - started) / 1000),
      firstStartPeakRssAtHealthMb: Math.round(healthPeakKb / 1024),
      firstStartPeakRssMb: Math.round(peakKb / 1024),
    };
    for (const line of progressLines) console.log(`  ${line.slice(0, 160)}`);
    for (const line of peakSteps) console.log(`  ${line}`);
    console.log(
      `first start (embedded default, fresh data folder): /health 200 after ${summary.firstStartHealthSeconds} s (peak RSS so far ${summary.firstStartPeakRssAtHealthMb} MB); ` +
        `both bootstrap models active after ${summary.firstStartModelsActiveSeconds} s; peak RSS ${summary.firstStartPeakRssMb} MB`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function status(target: string): Promise<number | undefined> {
  try {
    const res = await fetch(target);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

async function signIn(url: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'admin' }),
  });
  const body = (await res.json()) as { accessToken?: string };
  return res.status === 201 || res.status === 200 ? body.accessToken : undefined;
}

async function bothActive(url: string, token: string): Promise<boolean> {
  for (const rubricator of ['pos', 'im']) {
    const res = await fetch(`${url}/api/v1/classifier/models?rubricator=${rubricator}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) return false;
    const models = (await res.json()) as { status: string }[] | { items: { status: string }[] };
    const list = Array.isArray(models) ? models : models.items;
    if (!list.some((m) => m.status === 'active')) return false;
  }
  return true;
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
