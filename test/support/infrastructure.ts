import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Real infrastructure for integration tests and benchmarks: a Kafka broker started from the Maven
 * jars (unless KAFKA_BROKERS is given) and a fresh PostgreSQL database (unless DATABASE_URL is
 * given). What this starts, it stops.
 */
export interface Infrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
  startedKafkaPort?: number;
  createdDatabase?: { adminUrl: string; name: string };
}

import { ROOT } from './root';
/** Shared between jest's global setup, the test files and teardown through the environment. */
function stateFile(): string {
  process.env.CUR_TEST_STATE_FILE ??= join(tmpdir(), `cur-test-infra-${process.pid}-${Date.now()}.json`);
  return process.env.CUR_TEST_STATE_FILE;
}
export const ADMIN_DATABASE_URL = process.env.CUR_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startInfrastructure(label: string): Promise<Infrastructure> {
  const infra: Partial<Infrastructure> = {};
  if (process.env.KAFKA_BROKERS) {
    infra.kafkaBrokers = process.env.KAFKA_BROKERS;
  } else {
    const port = Number(process.env.CUR_TEST_KAFKA_PORT ?? 19092);
    execFileSync('bash', [join(ROOT, 'deploy/kafka/start.sh')], {
      env: { ...process.env, KAFKA_PORT: String(port) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    infra.kafkaBrokers = `127.0.0.1:${port}`;
    infra.startedKafkaPort = port;
  }
  if (process.env.DATABASE_URL) {
    infra.databaseUrl = process.env.DATABASE_URL;
  } else {
    const { name, url } = await createDatabase(label);
    infra.databaseUrl = url;
    infra.createdDatabase = { adminUrl: ADMIN_DATABASE_URL, name };
  }
  writeFileSync(stateFile(), JSON.stringify(infra));
  return infra as Infrastructure;
}

export async function stopInfrastructure(infra?: Infrastructure): Promise<void> {
  const state: Infrastructure | undefined = infra ?? (existsSync(stateFile()) ? JSON.parse(readFileSync(stateFile(), 'utf8')) : undefined);
  if (!state) return;
  if (state.createdDatabase) await dropDatabase(state.createdDatabase.adminUrl, state.createdDatabase.name);
  if (state.startedKafkaPort) {
    execFileSync('bash', [join(ROOT, 'deploy/kafka/stop.sh')], {
      env: { ...process.env, KAFKA_PORT: String(state.startedKafkaPort) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  rmSync(stateFile(), { force: true });
}

/**
 * A database of the test's own on the run's PostgreSQL server, for a test whose data would crowd
 * everyone else's (a 100,000-row import): the service under test migrates it; `drop` removes it.
 */
export async function scratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { name, url } = await createDatabase(label);
  return { url, drop: () => dropDatabase(ADMIN_DATABASE_URL, name) };
}

async function createDatabase(label: string): Promise<{ name: string; url: string }> {
  const name = `cur_${label}_${Date.now()}_${process.pid}`;
  await adminQuery(ADMIN_DATABASE_URL, `CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Dropped unless CUR_TEST_KEEP_DB asks to keep it for a look after the run. */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!process.env.CUR_TEST_KEEP_DB) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export function readInfrastructure(): Infrastructure {
  const file = process.env.CUR_TEST_STATE_FILE;
  if (!file || !existsSync(file)) throw new Error('integration infrastructure not started (jest globalSetup)');
  return JSON.parse(readFileSync(file, 'utf8'));
}
