import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { BusRecord, EventPublisher } from '../bus';
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
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }
}
