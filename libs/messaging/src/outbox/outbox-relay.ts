import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { Client } from 'pg';
import { OutboxRepository } from '@cur/persistence';
import { describeError, Metrics } from '@cur/platform';
import { EventPublisher } from '../bus';

/** Any constant: every relay of a database agrees on it (the migrations' lock is another). */
const RELAY_LOCK = 7330915;
const CHANNEL = 'cur_outbox';

export class OutboxRelayOptions {
  /**
   * Events published per send (one Kafka request per topic and partition leader): whole outbox
   * rows, as many as start within it, so a send holds up to a row's 1,000 events more (at most 1,999).
   */
  batchSize = 1000;
  /** How long the active relay waits when the outbox is empty, unless woken (a kick, or a NOTIFY from another process). */
  idlePollMs = 1_000;
  /** How often a relay in standby tries to become the active one. */
  standbyPollMs = 1_000;
  /**
   * The database's URL when several processes share it: the relay then holds an advisory lock on
   * a connection of its own and LISTENs there, so one relay publishes at a time. Unset for the
   * embedded database (one process, one connection).
   */
  exclusiveUrl?: string;
}

/**
 * Publishes the outbox's events in row id order (and in their order within a row), in large
 * batches of whole rows, and deletes the rows in bulk. One relay per
 * database is active: the one holding the advisory lock (taken over by another when its
 * connection dies). It wakes on a local kick after a commit, or on the NOTIFY that every insert
 * into the outbox sends at commit. At-least-once: a relay that dies between the send and the
 * delete leaves rows published again by the next one (consumers are idempotent); one publisher and
 * one in-flight request keep the order per key.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  /** The connection holding the lock and listening, while this relay is the active one. */
  private lock?: Client;
  /** Drains one at a time within this process (the loop, and tests calling `drain`). */
  private draining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** The first shutdown step, before Nest closes the transports: nothing is published into a closed bus. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.release();
  }

  /** Wake the relay now: new rows were committed. */
  kick(): void {
    this.kicked = true;
    // A relay in standby tries for the lock on its own timer: woken by every commit of its process,
    // it opened a connection per kick (hundreds a minute under load, each a backend forked).
    if (this.active) this.wake?.();
  }

  /** Whether this relay is the one publishing (always, without `exclusiveUrl`). */
  get active(): boolean {
    return !this.options.exclusiveUrl || this.lock !== undefined;
  }

  /** Publishes everything pending now; returns how many were sent. Used by the loop and by tests. */
  drain(): Promise<number> {
    const next = this.draining.then(() => this.drainNow());
    this.draining = next.catch(() => undefined);
    return next;
  }

  /**
   * Three steps overlap: while a batch is published, the next one is read (the rows after its
   * last id); the delete of a published batch runs while the next is published. A batch is
   * deleted only after its publish succeeded, and a drain returns (or fails) only after its
   * deletes ended: a row gone was published; a row published but not deleted goes again (at least once).
   */
  private async drainNow(): Promise<number> {
    const size = this.options.batchSize;
    let total = 0;
    let removing: Promise<void> | undefined;
    try {
      let batch = await this.outbox.pending(size);
      while (batch.length > 0) {
        // Fewer than a batch's events: the outbox had no more rows when read.
        const next = batch.length >= size ? this.outbox.pending(size, batch[batch.length - 1].id) : undefined;
        // Awaited below unless the publish fails first: then the drain ends and the loop reads again.
        next?.catch(() => undefined);
        await this.publisher.publish(batch.map((e) => ({ topic: e.topic, key: e.key, value: e.json, headers: e.headers })));
        await removing;
        removing = this.outbox.deleteSent(batch.map((e) => e.id));
        this.metrics?.relayBatchSize.observe(batch.length);
        this.metrics?.relayPublishedTotal.inc(batch.length);
        total += batch.length;
        batch = next ? await next : [];
      }
    } finally {
      await removing;
    }
    return total;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.active && !(await this.acquire())) {
        await this.sleep(this.options.standbyPollMs);
        continue;
      }
      this.kicked = false;
      try {
        await this.drain();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn(`outbox publish failed (${failures} in a row): ${describeError(error)}`);
      }
      if (!this.running) break;
      if (this.kicked && failures === 0) continue;
      await this.sleep(failures ? Math.min(this.options.idlePollMs * 2 ** failures, 10_000) : this.options.idlePollMs);
    }
  }

  /** Tries to become the active relay: the advisory lock on a connection of its own, and LISTEN there. */
  private async acquire(): Promise<boolean> {
    const client = new Client({ connectionString: this.options.exclusiveUrl });
    try {
      await client.connect();
      const [row] = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK])).rows;
      if (!row.locked) {
        await client.end();
        return false;
      }
      await client.query(`LISTEN ${CHANNEL}`);
      client.on('notification', () => this.kick());
      // The lock lives as long as the connection: when it breaks, another relay takes over, and this one tries again.
      client.on('error', (error) => {
        this.logger.warn(`the relay's lock connection failed: ${describeError(error)}; standing by`);
        if (this.lock === client) this.lock = undefined;
        void client.end().catch(() => undefined);
        this.wake?.();
      });
      this.lock = client;
      this.logger.log('this process publishes the outbox (relay lock taken)');
      return true;
    } catch (error) {
      this.logger.warn(`the relay lock cannot be taken now: ${describeError(error)}`);
      await client.end().catch(() => undefined);
      return false;
    }
  }

  private async release(): Promise<void> {
    const client = this.lock;
    this.lock = undefined;
    // Closing the connection frees the lock for a relay of another process.
    await client?.end().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
