import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { MessagesModule } from '@cur/messages';
import { runService } from '@cur/runtime';
import { readInfrastructure, scratchDatabase } from './support/infrastructure';
import { ROOT } from './support/root';

/**
 * A start that fails after the application exists (here: its port is taken) leaves nothing
 * running in the process: the outbox relay (which holds a lock connection and retries every
 * second), the live updates' listener and the pool are closed. Before, they ran on after the
 * error, kept the process alive, and kept retrying against a database dropped long after.
 */
describe('a service whose start fails', () => {
  let occupied: Server;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Client;

  beforeAll(async () => {
    occupied = createServer();
    occupied.listen(0, '127.0.0.1');
    await once(occupied, 'listening');
    database = await scratchDatabase('failedstart');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
    occupied?.close();
  });

  const otherConnections = async () =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows[0].n;

  it('is refused naming the cause, and closes what it had started: no connection to its database remains', async () => {
    const port = (occupied.address() as { port: number }).port;
    const start = runService(
      { name: 'api', imports: [MessagesModule], consumes: false, signIn: true, defaultPort: 0 },
      {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: readInfrastructure().kafkaBrokers,
        PORT: String(port),
        CUR_CONFIG_DIR: join(ROOT, 'config'),
        CUR_LOG_FORMAT: 'json',
        CUR_RUN_MIGRATIONS: 'true',
        KAFKA_GROUP_PREFIX: `failedstart-${Date.now()}`,
      },
    );
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // The relay had taken its lock on a connection of its own and the live updates listen on
    // another: both are gone once the failed start has returned its error.
    expect(await otherConnections()).toBe(0);
    // And stay gone: nothing retries in the background (the relay would try again each second).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await otherConnections()).toBe(0);
  });
});
