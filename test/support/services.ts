import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Infrastructure, readInfrastructure } from './infrastructure';

import { ROOT } from './root';

export interface ServiceProcess {
  name: string;
  url: string;
  process: ChildProcess;
  /** Recent output, for failure messages. */
  output(): string;
  /** Its last warnings and errors (JSON log lines), which recent output may have pushed out. */
  problems(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, no shutdown hooks. */
  kill(): Promise<void>;
}

/**
 * Where the services' clocks start: a Monday morning well inside the production calendar's years,
 * so that due dates are the same whenever the tests run (time then runs at normal speed).
 */
export const TEST_CLOCK_FROM = '2026-03-02T09:00:00+03:00';

/**
 * Node's options for the split services, as deployed (deploy/Dockerfile's CUR_NODE_FLAGS, the
 * `start:*` scripts): none. `--single-threaded-gc` was here, and measured slower in the last two
 * sessions' pipeline runs (README, "Benchmarks").
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [];

/**
 * Starts a compiled app (`dist/apps/<name>`) as its own process and waits for /health. It listens
 * on a port the system gives it (PORT 0, unless the test sets one), read from its ready line: a
 * port picked here beforehand could be taken by any other connection before the child binds it.
 */
export async function startService(
  name: 'api' | 'intake' | 'triage' | 'sla' | 'standalone',
  infra: Partial<Infrastructure> | undefined,
  env: Record<string, string> = {},
  /** Options for node itself (`--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs: readonly string[] = [],
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...(name === 'standalone' ? [] : SERVICE_NODE_FLAGS), ...nodeArgs, join(ROOT, 'dist/apps', name, 'src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      PORT: '0',
      CUR_LOG_FORMAT: 'json',
      CUR_RUN_MIGRATIONS: 'false',
      CUR_CLOCK_FROM: TEST_CLOCK_FROM,
      ...(infra?.databaseUrl ? { DATABASE_URL: infra.databaseUrl } : {}),
      ...(infra?.kafkaBrokers ? { KAFKA_BROKERS: infra.kafkaBrokers } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let partial = '';
  const problems: string[] = [];
  let port = env.PORT && env.PORT !== '0' ? Number(env.PORT) : undefined;
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/"level":"(warn|error)"/.test(line)) problems.push(line.slice(0, 400));
    problems.splice(0, Math.max(0, problems.length - 60));
    // The digits must be followed by something: a chunk may end in the middle of the number.
    port ??= Number(/ready: listening on \S+?:(\d+)\D/.exec(log)?.[1]) || undefined;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${log}`);
    try {
      if (port !== undefined && (await fetch(`http://127.0.0.1:${port}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  // A fresh database's bootstrap models train in the background after the start; tests expect the
  // learned classifier, so a service that trains them is ready for them once none is announced.
  if (name === 'triage' || name === 'standalone') await classifierTrained(url, child, () => log);
  return {
    name,
    url,
    process: child,
    output: () => log,
    problems: () => problems.join('\n'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function classifierTrained(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode} while training its classifier:\n${log()}`);
    const res = await fetch(`${url}/health`).catch(() => undefined);
    const body = res?.status === 200 ? ((await res.json()) as { warnings: { id: string }[] }) : undefined;
    if (body && !body.warnings.some((w) => w.id.startsWith('classifier-'))) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`classifier not trained within 300 s:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls until the check passes (returns without throwing) or the timeout expires. */
export async function expectEventually<T>(check: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/**
 * The settings of a service run in the test's own process (`runService`): the run's Kafka, the
 * repository's config, JSON logs, a port the system gives at listen (one picked beforehand can be
 * taken meanwhile), its own consumer groups, and migrations run at start (its database is usually
 * a scratch one of its own). `env` adds or overrides.
 */
export function inProcessEnv(databaseUrl: string, groupPrefix: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: readInfrastructure().kafkaBrokers,
    PORT: '0',
    CUR_CONFIG_DIR: join(ROOT, 'config'),
    CUR_LOG_FORMAT: 'json',
    CUR_RUN_MIGRATIONS: 'true',
    KAFKA_GROUP_PREFIX: groupPrefix,
    ...env,
  };
}
