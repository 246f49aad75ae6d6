import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { Client } from 'pg';
import { ClaimedEvent, OutboxRepository } from '@cur/persistence';
import { describeError, Metrics } from '@cur/platform';
import { DeadLetterRecorder, EventPublisher, PublishRefused } from '../bus';

/** Any constant: every relay of a database agrees on it (the migrations' lock is another). */
const RELAY_LOCK = 7330915;
const CHANNEL = 'cur_outbox';
/** The dead letters' `consumer` of the events the relay could not publish. */
export const RELAY_CONSUMER = 'outbox-relay';

/** An event the relay sets aside, and why. */
interface SetAside {
  event: ClaimedEvent;
  reason: string;
}

export class OutboxRelayOptions {
  /**
   * Events published per send (one Kafka request per topic and partition leader): whole outbox
   * rows, as many as start within it, so a send holds up to a row's 1,000 events more (at most 1,999).
   */
  batchSize = 1000;
  /** How long the active relay waits when the outbox is empty, unless woken (a kick, or a NOTIFY from another process). */
  idlePollMs = 1_000;
  /**
   * Woken from waiting, the relay waits this long more before it reads, so the commits of that
   * moment go in one send (Kafka's `linger.ms`). While rows keep coming it drains without a pause.
   */
  lingerMs = 0;
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
 *
 * An event that cannot go is set aside, not retried for ever in front of every row after it: a
 * line of a row that does not read as the outbox writes it, or an event the broker refuses for
 * good (too large for its topic). It becomes a dead letter (consumer `outbox-relay`, partition
 * -1, its row and line as the offset; once, however often its row is read) with the reason, and
 * the rest of the batch goes on in order. A batch the broker refuses as a whole (too many bytes
 * for one partition in one request) is sent in halves, in order, until the parts go or a single
 * event is refused.
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
  /** Lingering (`lingerMs`): kicks do not end the wait, a shutdown does. */
  private lingering = false;
  /** Drains one at a time within this process (the loop, and tests calling `drain`). */
  private draining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    @Optional() private readonly metrics?: Metrics,
    @Optional() private readonly deadLetters?: DeadLetterRecorder,
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
    if (this.active && !this.lingering) this.wake?.();
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
        const setAside = await this.publish(batch);
        // Recorded before its row is deleted: if recording fails, the rows are read and sent again.
        for (const { event, reason } of setAside) await this.setAside(event, reason);
        await removing;
        removing = this.outbox.deleteSent(batch.map((e) => e.id));
        this.metrics?.relayBatchSize.observe(batch.length);
        this.metrics?.relayPublishedTotal.inc(batch.length - setAside.length);
        total += batch.length;
        batch = next ? await next : [];
      }
    } finally {
      await removing;
    }
    return total;
  }

  /** Sends the batch's readable events in order; returns those set aside (unreadable, or refused by the bus for good). */
  private async publish(batch: readonly ClaimedEvent[]): Promise<SetAside[]> {
    const setAside: SetAside[] = batch
      .filter((e) => e.unreadable !== undefined)
      .map((event) => ({ event, reason: `unreadable outbox line: ${event.unreadable}` }));
    const readable = setAside.length ? batch.filter((e) => e.unreadable === undefined) : batch;
    await this.publishParts(readable, setAside);
    // In the outbox's order, as people read them back.
    return setAside.sort((a, b) => batch.indexOf(a.event) - batch.indexOf(b.event));
  }

  /** Sends the events; refused for good, in two halves one after the other (the order kept), down to the single event refused. */
  private async publishParts(events: readonly ClaimedEvent[], setAside: SetAside[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.publisher.publish(events.map((e) => ({ topic: e.topic, key: e.key, value: e.json, headers: e.headers })));
    } catch (error) {
      if (!(error instanceof PublishRefused)) throw error;
      if (events.length === 1) {
        setAside.push({ event: events[0], reason: `refused by the bus: ${error.reason}` });
        return;
      }
      const half = Math.ceil(events.length / 2);
      await this.publishParts(events.slice(0, half), setAside);
      await this.publishParts(events.slice(half), setAside);
    }
  }

  /**
   * A dead letter for the event (no payload in the log: it may hold personal data). Without a
   * recorder (none is bound) the event is only logged: it is not published either way.
   */
  private async setAside(event: ClaimedEvent, reason: string): Promise<void> {
    const place = `${event.id}:${event.line}`;
    const topic = event.topic.slice(0, 200);
    this.logger.error(`outbox row ${event.id}, line ${event.line}${topic ? ` (topic ${topic})` : ''} set aside, not published: ${reason}`);
    const parsed = event.unreadable === undefined ? parseJson(event.json) : undefined;
    // The recorder keeps what PostgreSQL cannot hold (NUL, JSON jsonb refuses) in a form it can.
    await this.deadLetters?.record({
      consumer: RELAY_CONSUMER,
      topic,
      partition: -1,
      offset: place,
      key: event.key,
      value: parsed ? parsed.value : { unparsable: Buffer.from(event.json).toString('base64') },
      json: parsed !== undefined,
      headers: event.headers ?? {},
      error: reason,
      attempts: 1,
      sourceRef: `${RELAY_CONSUMER}:${place}`,
    });
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
      if (this.kicked && this.options.lingerMs > 0 && this.running) {
        this.lingering = true;
        await this.sleep(this.options.lingerMs);
        this.lingering = false;
      }
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

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
