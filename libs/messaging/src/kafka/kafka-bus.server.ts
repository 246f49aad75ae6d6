import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { DeadLetterRecorder, RetryPolicy } from '../bus';
import { deliver } from '../delivery';
import { HandlerServer } from '../handler-server';
import { deadLetterTopic } from '@cur/contracts';
import { createKafka, ensureTopics, KafkaConnection } from './kafka-options';

export interface KafkaBusOptions extends KafkaConnection {
  groupId: string;
  retry: RetryPolicy;
  /** Partitions handled in parallel by this instance; order within a partition is kept. */
  partitionsConsumedConcurrently: number;
  /** Records each dead letter (the `dead_letter` table) before it goes to `<topic>.dlq`. */
  deadLetters?: DeadLetterRecorder;
}

/**
 * A Nest transport over kafkajs. Nest's built-in Kafka server retries a failing event forever;
 * this one retries a bounded number of times, dead-letters to `<topic>.dlq` with the error, and
 * commits, so the partition moves on. Offsets are committed after the handler (at-least-once);
 * handlers are idempotent.
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
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
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
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        eachMessage: (payload) => this.handle(payload),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    // disconnect() waits for the in-flight eachMessage calls, then commits.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handle(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    const key = message.key?.toString() ?? '';
    let value: unknown;
    let json = true;
    try {
      value = JSON.parse(message.value?.toString() ?? 'null');
    } catch {
      value = { unparsable: message.value?.toString('base64') ?? null };
      json = false;
    }
    const handler = this.recordHandler(topic);
    const outcome = await deliver(handler, value, { topic, key, partition, offset: message.offset, headers }, this.options.retry);
    // Outside the retried handler: a rebalance error here is kafkajs's business, not a handler failure.
    await payload.heartbeat();
    if (outcome.deadLetter) {
      const dl = outcome.deadLetter;
      this.logger.error(
        `dead-lettered ${topic}[${partition}]@${message.offset} key=${key} after ${outcome.attempts} attempt(s): ${dl.headers?.['x-dlq-error']}`,
      );
      // If recording or this send fails, the handler throws, the offset is not committed and the record
      // comes back; the table keeps one row per (group, topic, partition, offset) all the same.
      await this.options.deadLetters?.record({
        consumer: this.options.groupId,
        topic,
        partition,
        offset: message.offset,
        key,
        value,
        json,
        error: dl.headers?.['x-dlq-error'] ?? '',
        attempts: outcome.attempts,
        sourceRef: `${this.options.groupId}/${topic}/${partition}/${message.offset}`,
      });
      await this.producer!.send({
        topic: dl.topic,
        acks: -1,
        messages: [{ key: dl.key, value: message.value, headers: dl.headers }],
      });
    }
  }
}
