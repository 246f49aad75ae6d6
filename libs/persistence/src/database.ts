import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseTarget {
  options: DataSourceOptions;
  embedded: boolean;
  /** Stops the embedded engine; a no-op for a real server. */
  close(): Promise<void>;
  describe: string;
}

const PG_TRGM = '@electric-sql/pglite/contrib/pg_trgm';
const MIGRATION_LOCK = 7330914; // any constant; all instances agree on it

export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Query logging would print parameters: message texts and personal data. Errors are thrown.
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 30_000 },
  };
}

/**
 * A real PostgreSQL when DATABASE_URL is given; otherwise PostgreSQL compiled to WASM (PGlite),
 * in-process, served over the wire protocol so TypeORM and pg run exactly as in production.
 * PGlite is one session: the socket server runs one transaction at a time, so code must never
 * wait on a second connection while holding a transaction open on the first.
 */
export async function openDatabase(env: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<DatabaseTarget> {
  if (env.databaseUrl) {
    return {
      options: dataSourceOptions(env.databaseUrl, env.poolSize ?? 10),
      embedded: false,
      close: () => Promise.resolve(),
      describe: env.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'),
    };
  }
  // Both are ESM-first packages; loaded only in the embedded mode.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Similar messages rank by trigram similarity; PGlite ships the extension but loads it only when asked.
  // (Its path is one of the package's exports, which this project's module resolution does not read: typed by its file.)
  const { pg_trgm } = (await import(PG_TRGM)) as typeof import('@electric-sql/pglite/dist/contrib/pg_trgm');
  const pgDir = join(env.dataDir, 'pglite');
  mkdirSync(pgDir, { recursive: true });
  await initializeCluster(pgDir);
  const db = await PGlite.create(pgDir, { extensions: { pg_trgm } });
  const socketDir = mkdtempSync(join(tmpdir(), 'cur-pg-'));
  // The server queues queries from all connections and keeps a transaction's queries together.
  const server = new PGLiteSocketServer({ db, path: join(socketDir, '.s.PGSQL.5432'), maxConnections: 16 });
  await server.start();
  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
  return {
    // One connection: the socket server interleaves the extended-protocol messages of concurrent
    // connections, so parallel requests could bind one query's parameters to another's (measured:
    // 3 of 75 concurrent console requests failed, 2 more answered 401). One connection queues them.
    options: dataSourceOptions(url, 1),
    embedded: true,
    describe: `embedded PostgreSQL (PGlite) in ${pgDir}`,
    close: async () => {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates the embedded cluster of a fresh data folder in a child process. PGlite's initdb grows its
 * WASM memory to ~750 MB, which the process never gives back (measured: 46 → 796 MB RSS on a fresh
 * folder, 291 MB opening the same folder again); in a child that exits, the service starts at the
 * second figure.
 */
async function initializeCluster(pgDir: string): Promise<void> {
  if (existsSync(join(pgDir, 'PG_VERSION'))) return;
  const script = 'require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close())';
  await promisify(execFile)(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), pgDir], { timeout: 120_000 });
}

/** Runs pending migrations once, even when several instances start together. */
export async function migrate(options: DataSourceOptions, embedded: boolean): Promise<string[]> {
  const dataSource = await new DataSource(options).initialize();
  try {
    if (embedded) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  } finally {
    await dataSource.destroy();
  }
}
