import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { BusRecord, EventPublisher, PublishRefused } from '../bus';
import { createKafka, ensureTopics, KafkaConnection } from './kafka-options';
import { KeyHashPartitioner } from './partitioner';

@Injectable()
export class KafkaEventPublisher extends EventPublisher implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly knownTopics = new Set<string>();

  constructor(private readonly connection: KafkaConnection) {
    super();
    this.kafka = createKafka({ ...connection, clientId: `${connection.clientId}-publisher` });
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.connect();
    const byTopic = new Map<string, BusRecord[]>();
    for (const r of records) {
      const same = byTopic.get(r.topic);
      if (same) same.push(r);
      else byTopic.set(r.topic, [r]);
    }
    try {
      const unknown = [...byTopic.keys()].filter((t) => !this.knownTopics.has(t));
      if (unknown.length) {
        await ensureTopics(this.kafka, unknown, this.connection.partitions);
        unknown.forEach((t) => this.knownTopics.add(t));
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, rs]) => ({
          topic,
          messages: rs.map((r) => ({ key: r.key, value: typeof r.value === 'string' ? r.value : JSON.stringify(r.value), headers: r.headers })),
        })),
      });
    } catch (error) {
      const refusal = refusalOf(error);
      // Not a refusal of the records: a topic of the request may have been deleted since it was
      // known, so the next publish (the relay's next attempt) asks the broker and creates it.
      if (!refusal) byTopic.forEach((_, topic) => this.knownTopics.delete(topic));
      // The broker may have written some partitions of a failed request (one refused, or failing
      // until kafkajs's retries ran out), and kafkajs takes back the sequence numbers of every
      // partition of it: a different send to a written partition would then be out of sequence for
      // good (OUT_OF_ORDER_SEQUENCE_NUMBER). A new producer (a new producer id) starts its
      // sequences afresh; what was written may go again (at least once).
      await this.replaceProducer();
      throw refusal ? new PublishRefused(refusal, { cause: error }) : error;
    }
  }

  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    await old?.then((p) => p.disconnect()).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.producer) await (await this.producer).disconnect();
  }

  private connect(): Promise<Producer> {
    this.producer ??= (async () => {
      // Idempotent producer with one request in flight: no duplicates and no reordering on retry.
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: KeyHashPartitioner });
      await producer.connect();
      return producer;
    })();
    const connecting = this.producer;
    connecting.catch(() => {
      if (this.producer === connecting) this.producer = undefined;
    });
    return this.producer;
  }
}

/**
 * The broker's answers that refuse the records themselves, whatever the broker's state: sending
 * the same again gets the same answer. (kafkajs gives up on them at once, as not retriable.)
 */
const REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TOPIC_EXCEPTION']);

/** The refusal inside a kafkajs error (a protocol error, perhaps wrapped as not retriable or in a group of errors), if there is one. */
export function refusalOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const e = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && REFUSALS.has(e.type)) return e.type;
  const inners: unknown[] = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  for (const inner of inners) {
    if (inner === error) continue;
    const found = refusalOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
