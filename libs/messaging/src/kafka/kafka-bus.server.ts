import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DeadLetterRecorder, DeliveryInfo, RetryPolicy } from '../bus';
import { BatchHandler, deliver, deliverBatch, DeliveryOutcome } from '../delivery';
import { HandlerServer } from '../handler-server';
import { deadLetterTopic } from '@cur/contracts';
import { ConsumerObserver, correlationIn, describeError, withCorrelation } from '@cur/platform';
import { createKafka, ensureTopics, KafkaConnection } from './kafka-options';
import { KeyHashPartitioner } from './partitioner';

export interface KafkaBusOptions extends KafkaConnection {
  groupId: string;
  retry: RetryPolicy;
  /** Partitions handled in parallel by this instance; order within a partition is kept. */
  partitionsConsumedConcurrently: number;
  /** Records a batch handler gets at most in one call (one transaction). */
  batchSize: number;
  /** Records each dead letter (the `dead_letter` table) before it goes to `<topic>.dlq`. */
  deadLetters?: DeadLetterRecorder;
  /** Handled offsets are committed at most this often, and this long after the last batch when the topic goes quiet. */
  commitIntervalMs?: number;
  /** Told when the consumer runs and when it stopped (readiness, the restarts' counter). */
  observer?: ConsumerObserver;
}

const COMMIT_INTERVAL_MS = 1_000;
/** Tries of one commit while no new batch comes. */
const COMMIT_TRIES = 5;
/** The pause before a new consumer replaces a crashed one, doubled after each crash or failed start up to the maximum. */
const RESTART_PAUSE_MS = 1_000;
const RESTART_PAUSE_MAX_MS = 10_000;
/** A consumer that ran this long before it crashed starts the pauses afresh. */
const STEADY_MS = 60_000;

/** A record read from Kafka, decoded for a handler. */
interface Decoded {
  value: unknown;
  json: boolean;
  info: Omit<DeliveryInfo, 'attempt'>;
  message: KafkaMessage;
}

/** One partition's records waiting to go to a batch handler with other partitions' (`gathered`). */
interface Chunk {
  partition: number;
  records: Decoded[];
  stopping: () => boolean;
  resolve: (outcomes: DeliveryOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * A Nest transport over kafkajs. Nest's built-in Kafka server retries a failing event forever;
 * this one retries a bounded number of times, dead-letters to `<topic>.dlq` with the error, and
 * moves on. It reads batches (`eachBatch`): a topic whose handler takes batches gets up to
 * `batchSize` records per call, the others one record per call. A record's offset is resolved,
 * and so committed, only after its handler returned (at-least-once; handlers are idempotent).
 * Offsets are committed once a second, not after every batch (kafkajs's auto-commit sent one
 * OffsetCommit per partition per fetch: about 200 a second at 1,000 msg/s over six partitions);
 * a crash reads at most that second again, which the handlers' idempotency absorbs.
 */
export class KafkaBusServer extends HandlerServer {
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private producer?: Producer;
  /** Per topic, the partitions' chunks handed over in this turn of the event loop. */
  private readonly gathering = new Map<string, Chunk[]>();
  /** The latest batch's handle on the consumer group, to commit what was handled when the topics go quiet. */
  private committer?: Pick<EachBatchPayload, 'commitOffsetsIfNecessary' | 'uncommittedOffsets'>;
  private commitTimer?: NodeJS.Timeout;
  /** Failed commits in a row with the same batch's handle (a consumer kafkajs restarted leaves the old one refused). */
  private commitFailures = 0;
  /** Closing: each batch that ends commits at once. */
  private closing = false;
  /** A new consumer being started after a crash kafkajs does not recover from. */
  private restarting?: Promise<void>;
  /** A consumer being connected, subscribed and joined (`consume`), at start or in a restart. */
  private starting?: Promise<Error | undefined>;
  private endPause?: () => void;
  /** When the current consumer was created, then when it last joined; and the consumers started anew since one last ran a while (`STEADY_MS`). */
  private startedAt = 0;
  private restarts = 0;

  constructor(private readonly options: KafkaBusOptions) {
    super();
    this.kafka = createKafka({ ...options, clientId: `${options.clientId}-consumer` });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const topics = this.topics();
      await ensureTopics(this.kafka, [...topics, ...topics.map(deadLetterTopic)], this.options.partitions);
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyHashPartitioner });
      await this.producer.connect();
      const failed = await this.consume(topics);
      // A first join kafkajs gives up on (the coordinator not found while the broker starts with
      // the services) is tried again like a crash: the service starts, its readiness says so.
      if (failed) this.crashed(this.consumer!, topics, failed, false);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Starts a consumer of the group. kafkajs starts a crashed consumer again only after an error
   * it deems retriable; after any other (the group coordinator not found while a restarted broker
   * loads its groups, an unrecoverable error thrown out of a batch) the consumer stays stopped
   * while the process goes on, and nothing would be read again: `crashed` starts a new one.
   * Resolves with the error when its first join crashed so (kafkajs does not throw it from
   * `run`); throws when it cannot connect or subscribe.
   */
  private consume(topics: string[]): Promise<Error | undefined> {
    const starting = this.startConsumer(topics);
    this.starting = starting;
    return starting.finally(() => {
      if (this.starting === starting) this.starting = undefined;
    });
  }

  private async startConsumer(topics: string[]): Promise<Error | undefined> {
    const group = this.options.groupId;
    const consumer = this.kafka.consumer({ groupId: group, sessionTimeout: 30_000, heartbeatInterval: 3_000, allowAutoTopicCreation: false });
    this.consumer = consumer;
    this.startedAt = Date.now();
    let starting = true;
    let failed: Error | undefined;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // Running since it joined: a long join does not count towards `STEADY_MS`.
      if (consumer === this.consumer) this.startedAt = Date.now();
      this.options.observer?.running(group);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!starting) this.crashed(consumer, topics, payload.error, payload.restart);
      else if (payload.restart) this.options.observer?.stopped(group, crashReason(payload.error));
      else failed = payload.error;
    });
    try {
      await consumer.connect();
      if (!this.closing) await consumer.subscribe({ topics, fromBeginning: true });
      if (!this.closing) {
        await consumer.run({
          // Committed here, on a timer (`committed`).
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
          eachBatch: (payload) => this.handleBatch(payload),
        });
      }
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    } finally {
      starting = false;
    }
    // close() came while it started, or its first join crashed for good.
    if (this.closing || failed) await consumer.disconnect().catch(() => undefined);
    return this.closing ? undefined : failed;
  }

  /**
   * A consumer crashed: readiness is told; kafkajs starts it again itself after a retriable
   * error, this server starts a new one after any other.
   */
  private crashed(consumer: Consumer, topics: string[], error: Error, restart: boolean): void {
    if (consumer !== this.consumer || this.closing) return;
    this.options.observer?.stopped(this.options.groupId, crashReason(error));
    if (restart) return;
    this.logger.error(
      `the consumer of group ${this.options.groupId} stopped (${describeError(originalCause(error))}) and kafkajs will not start it again; starting a new one`,
    );
    // The crashed consumer's handle commits nothing any more: what it handled and did not commit is read again.
    this.committer = undefined;
    // One that had run a while starts the pauses afresh; one that crashed soon after its start (a
    // record that crashes every consumer) waits longer each time.
    if (Date.now() - this.startedAt >= STEADY_MS) this.restarts = 0;
    const restarting: Promise<void> = this.restart(consumer, topics).finally(() => {
      if (this.restarting === restarting) this.restarting = undefined;
    });
    this.restarting = restarting;
  }

  /** Starts a new consumer after a pause, longer after each crash or failed start, until one runs or the server closes. */
  private async restart(crashed: Consumer, topics: string[]): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    while (!this.closing) {
      await this.pause(Math.min(RESTART_PAUSE_MS * 2 ** this.restarts, RESTART_PAUSE_MAX_MS));
      this.restarts++;
      if (this.closing) return;
      try {
        const failed = await this.consume(topics);
        if (!failed) {
          if (!this.closing) this.logger.log(`a new consumer of group ${this.options.groupId} started`);
          return;
        }
        this.logger.warn(`a new consumer of group ${this.options.groupId} failed to join (${describeError(originalCause(failed))}); trying again`);
      } catch (error) {
        this.logger.warn(`starting a new consumer of group ${this.options.groupId} failed (${describeError(error)}); trying again`);
      }
    }
  }

  /** A pause that `close` ends early. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.endPause = undefined;
        resolve();
      }, ms);
      this.endPause = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    // What was handled is committed now; the batches in flight commit theirs as they end, and
    // disconnect() waits for them.
    this.closing = true;
    clearTimeout(this.commitTimer);
    this.endPause?.();
    // A consumer being started stops at its next step, but one joining its group is waited for:
    // kafkajs's disconnect() does not stop a join in progress, which would go on and consume.
    await this.restarting;
    await this.starting?.catch(() => undefined);
    await this.commitHandled();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.handleRecords(payload);
    } catch (error) {
      // Out of a batch, an error goes to kafkajs, which reads the batch again or stops the
      // consumer (for good after some): what was handled before it is committed now, not
      // handled again by the next consumer.
      await this.commitHandled();
      throw error;
    }
  }

  private async handleRecords(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const batchHandler = this.batchHandler(topic);
    const size = batchHandler ? Math.max(1, this.options.batchSize) : 1;
    // A rebalance took the partition away, or the consumer stops: the rest is read again by its next owner.
    const stopping = () => !payload.isRunning() || payload.isStale();
    for (let i = 0; i < batch.messages.length; i += size) {
      if (stopping()) return;
      const records = batch.messages.slice(i, i + size).map((m) => decode(topic, partition, m));
      const outcomes: DeliveryOutcome[] = batchHandler
        ? await this.gathered(topic, partition, batchHandler, records, stopping)
        : [
            await withCorrelation(correlationIn(records[0].info.headers) ?? undefined, (): Promise<DeliveryOutcome> =>
              deliver(this.recordHandler(topic), records[0].value, records[0].info, this.options.retry, stopping),
            ),
          ];
      // Handled: delivered or dead-lettered; the abandoned ones (a suffix) keep their offsets uncommitted.
      const abandoned = outcomes.findIndex((o) => o.abandoned);
      const handled = abandoned < 0 ? records.length : abandoned;
      // Outside the retried handler: a rebalance error here is kafkajs's business, not a handler failure.
      await payload.heartbeat();
      for (let k = 0; k < handled; k++) await this.deadLetter(records[k], outcomes[k]);
      if (handled > 0) {
        payload.resolveOffset(records[handled - 1].message.offset);
        await this.committed(payload);
      }
      if (handled < records.length) {
        this.logger.warn(
          `${topic}[${partition}]: stopping; ${records.length - handled} record(s) from offset ${records[handled].info.offset} left for the next consumer`,
        );
        return;
      }
    }
  }

  /**
   * After a batch resolved offsets: one timer commits everything handled an interval after the
   * first batch it has not committed, so one commit at a time and at most one an interval, and the
   * last batch before a quiet spell is committed too. When closing, at once.
   */
  private async committed(payload: EachBatchPayload): Promise<void> {
    this.committer = payload;
    this.commitFailures = 0;
    if (this.closing) await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    else this.commitLater();
  }

  private commitLater(): void {
    if (this.commitTimer || this.closing) return;
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      void this.commitHandled();
    }, this.options.commitIntervalMs ?? COMMIT_INTERVAL_MS);
    this.commitTimer.unref();
  }

  /**
   * Commits every offset handled and not yet committed. A failure is tried again an interval
   * later, a few times (the lag would otherwise stay up while the topics are quiet); past that, or
   * when a rebalance refuses it, those records are read again by their partitions' next reader and
   * handled again (idempotently).
   */
  private async commitHandled(): Promise<void> {
    const committer = this.committer;
    if (!committer) return;
    try {
      const offsets = committer.uncommittedOffsets();
      if (offsets.topics.length > 0) await committer.commitOffsetsIfNecessary(offsets);
      this.commitFailures = 0;
    } catch (error) {
      const again = ++this.commitFailures < COMMIT_TRIES;
      this.logger.warn(`committing the handled offsets failed (${describeError(error)})${again ? '; trying again' : '; they will be read again'}`);
      if (again) this.commitLater();
    }
  }

  /**
   * A fetch brings several partitions of a topic at once and kafkajs hands them over together
   * (one eachBatch call each, concurrently). Their chunks go to the handler in one call while
   * they fit in `batchSize`: at a moderate rate each brings a few records, and each was a
   * transaction of its own (at 1,000 msg/s, triage's six partitions made about 107 transactions a
   * second of 10 messages). If that call fails, each chunk goes on alone as it would have (its
   * records one by one when it fails too) under its own partition's `stopping`; outcomes are per
   * chunk, so each partition resolves, dead-letters and commits its own records.
   */
  private gathered(topic: string, partition: number, handler: BatchHandler, records: Decoded[], stopping: () => boolean): Promise<DeliveryOutcome[]> {
    return new Promise<DeliveryOutcome[]>((resolve, reject) => {
      let waiting = this.gathering.get(topic);
      if (!waiting) {
        const chunks: Chunk[] = (waiting = []);
        this.gathering.set(topic, chunks);
        setImmediate(() => {
          this.gathering.delete(topic);
          for (const group of packed(chunks, Math.max(1, this.options.batchSize))) {
            // Whatever fails unforeseen fails its chunks' batches (kafkajs reads them again), never leaves them waiting.
            this.deliverGroup(topic, handler, group).catch((error: unknown) => group.forEach((c) => c.reject(error)));
          }
        });
      }
      waiting.push({ partition, records, stopping, resolve, reject });
    });
  }

  private async deliverGroup(topic: string, handler: BatchHandler, group: Chunk[]): Promise<void> {
    if (group.length > 1 && !group.some((c) => c.stopping())) {
      const records = group.flatMap((c) => c.records);
      try {
        await handler(records.map((r) => ({ value: r.value, info: { ...r.info, attempt: 1 } })));
        for (const c of group) c.resolve(c.records.map(() => ({ delivered: true, attempts: 1 })));
        return;
      } catch (error) {
        const partitions = group.map((c) => c.partition).join(', ');
        this.logger.warn(`${topic}[${partitions}]: a batch of ${records.length} failed (${describeError(error)}); handling each partition's records apart`);
      }
    }
    for (const chunk of group) {
      const { partition, records } = chunk;
      if (chunk.stopping()) {
        chunk.resolve(records.map(() => ({ delivered: false, attempts: 0, abandoned: true })));
        continue;
      }
      deliverBatch(
        handler,
        records,
        this.options.retry,
        (error) => {
          this.logger.warn(`${topic}[${partition}]: a batch of ${records.length} failed (${describeError(error)}); handling its records one by one`);
        },
        chunk.stopping,
      ).then(chunk.resolve, chunk.reject);
    }
  }

  private async deadLetter({ value, json, info, message }: Decoded, outcome: DeliveryOutcome): Promise<void> {
    if (!outcome.deadLetter) return;
    const { topic, partition, key, offset } = info;
    const dl = outcome.deadLetter;
    const correlation = correlationIn(info.headers);
    this.logger.error(
      `dead-lettered ${topic}[${partition}]@${offset} key=${key}${correlation ? ` correlation=${correlation}` : ''} after ${outcome.attempts} attempt(s): ${dl.headers?.['x-dlq-error']}`,
    );
    // If recording or this send fails, the handler throws, the offset is not committed and the record
    // comes back; the table keeps one row per (group, topic, partition, offset) all the same.
    await this.options.deadLetters?.record({
      consumer: this.options.groupId,
      topic,
      partition,
      offset,
      key,
      value,
      json,
      headers: info.headers,
      error: dl.headers?.['x-dlq-error'] ?? '',
      attempts: outcome.attempts,
      sourceRef: `${this.options.groupId}/${topic}/${partition}/${offset}`,
    });
    await this.producer!.send({
      topic: dl.topic,
      acks: -1,
      messages: [{ key: dl.key, value: message.value, headers: dl.headers }],
    });
  }
}

/** Chunks in their order, in groups of at most `size` records (a chunk larger than that alone). */
function packed(chunks: readonly Chunk[], size: number): Chunk[][] {
  const groups: Chunk[][] = [];
  let group: Chunk[] = [];
  let count = 0;
  for (const chunk of chunks) {
    if (group.length > 0 && count + chunk.records.length > size) {
      groups.push(group);
      group = [];
      count = 0;
    }
    group.push(chunk);
    count += chunk.records.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function decode(topic: string, partition: number, message: KafkaMessage): Decoded {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  const key = message.key?.toString() ?? '';
  try {
    const value: unknown = JSON.parse(message.value?.toString() ?? 'null');
    return { value, json: true, info: { topic, key, partition, offset: message.offset, headers }, message };
  } catch {
    return {
      value: { unparsable: message.value?.toString('base64') ?? null },
      json: false,
      info: { topic, key, partition, offset: message.offset, headers },
      message,
    };
  }
}

/** The error under kafkajs's wrappers (a retrier's `KafkaJSNonRetriableError` around a TypeError); a few levels at most. */
function originalCause(error: Error): Error {
  let cause = error;
  for (let depth = 0; depth < 8 && cause.cause instanceof Error && cause.cause !== cause; depth++) cause = cause.cause;
  return cause;
}

/** What readiness (a public probe) shows of a crash: the error's name and kafkajs's type, never its text. */
function crashReason(error: Error): string {
  const cause = originalCause(error) as Error & { type?: unknown };
  return typeof cause.type === 'string' ? `${cause.name} (${cause.type})` : cause.name;
}
