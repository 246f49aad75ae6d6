import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DeadLetterRecorder, DeliveryInfo, RetryPolicy } from '../bus';
import { deliver, deliverBatch, DeliveryOutcome } from '../delivery';
import { HandlerServer } from '../handler-server';
import { deadLetterTopic } from '@cur/contracts';
import { CORRELATION_HEADER, describeError, withCorrelation } from '@cur/platform';
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
}

/** A record read from Kafka, decoded for a handler. */
interface Decoded {
  value: unknown;
  json: boolean;
  info: Omit<DeliveryInfo, 'attempt'>;
  message: KafkaMessage;
}

/**
 * A Nest transport over kafkajs. Nest's built-in Kafka server retries a failing event forever;
 * this one retries a bounded number of times, dead-letters to `<topic>.dlq` with the error, and
 * moves on. It reads batches (`eachBatch`): a topic whose handler takes batches gets up to
 * `batchSize` records per call, the others one record per call. A record's offset is resolved,
 * and so committed, only after its handler returned (at-least-once; handlers are idempotent).
 */
export class KafkaBusServer extends HandlerServer {
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private producer?: Producer;

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
      this.consumer = this.kafka.consumer({
        groupId: this.options.groupId,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        allowAutoTopicCreation: false,
      });
      await this.consumer.connect();
      await this.consumer.subscribe({ topics, fromBeginning: true });
      await this.consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.handleBatch(payload),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    // disconnect() waits for the in-flight eachBatch calls, then commits what they resolved.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
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
        ? await deliverBatch(
            batchHandler,
            records,
            this.options.retry,
            (error) => {
              this.logger.warn(`${topic}[${partition}]: a batch of ${records.length} failed (${describeError(error)}); handling its records one by one`);
            },
            stopping,
          )
        : [
            await withCorrelation(records[0].info.headers[CORRELATION_HEADER], (): Promise<DeliveryOutcome> =>
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
        await payload.commitOffsetsIfNecessary();
      }
      if (handled < records.length) {
        this.logger.warn(
          `${topic}[${partition}]: stopping; ${records.length - handled} record(s) from offset ${records[handled].info.offset} left for the next consumer`,
        );
        return;
      }
    }
  }

  private async deadLetter({ value, json, info, message }: Decoded, outcome: DeliveryOutcome): Promise<void> {
    if (!outcome.deadLetter) return;
    const { topic, partition, key, offset } = info;
    const dl = outcome.deadLetter;
    this.logger.error(
      `dead-lettered ${topic}[${partition}]@${offset} key=${key}${info.headers[CORRELATION_HEADER] ? ` correlation=${info.headers[CORRELATION_HEADER]}` : ''} after ${outcome.attempts} attempt(s): ${dl.headers?.['x-dlq-error']}`,
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
