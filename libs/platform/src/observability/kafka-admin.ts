import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Gauge, Registry } from 'prom-client';
import { ScrapeRead } from './scrape-read';
import { withTimeout } from './timeout';

/** How long a scrape or a readiness check waits for the Kafka admin. */
export const KAFKA_ADMIN_TIMEOUT_MS = 3_000;

/** The deployment's Kafka as the observability pieces see it. */
export interface KafkaObservation {
  brokers: string[];
  clientId: string;
  /** The consumer groups of this deployment whose lag is reported (those that exist in the cluster). */
  groups: readonly string[];
}

/**
 * One admin connection per service, opened on first use, shared by the lag gauge and the
 * readiness check. It does not retry on its own (a scrape must answer in time); after a failure
 * it is dropped and the next use connects afresh. kafkajs's own logging is off: the callers log a
 * failure once, not every retry.
 */
@Injectable()
export class KafkaAdmin implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private connecting?: Promise<Admin>;

  constructor(readonly observation: KafkaObservation) {
    this.kafka = new Kafka({
      clientId: `${observation.clientId}-admin`,
      brokers: observation.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: KAFKA_ADMIN_TIMEOUT_MS,
      retry: { retries: 0 },
    });
  }

  /** Runs `work` on the admin within the timeout; a failure drops the connection and is thrown. */
  async use<T>(what: string, work: (admin: Admin) => Promise<T>): Promise<T> {
    const connection = (this.connecting ??= this.connect());
    try {
      return await withTimeout(
        connection.then((admin) => work(admin)),
        KAFKA_ADMIN_TIMEOUT_MS,
        what,
      );
    } catch (error) {
      if (this.connecting === connection) this.connecting = undefined;
      void connection.then((admin) => admin.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connecting;
    this.connecting = undefined;
    await connection?.then((admin) => admin.disconnect()).catch(() => undefined);
  }

  private async connect(): Promise<Admin> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    return admin;
  }
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/**
 * Lag of one group on the topics it committed on: high watermark − committed offset per partition.
 * A partition it has not committed on yet counts from the low watermark, where its consumer starts
 * (they subscribe `fromBeginning`).
 */
export function consumerLag(
  group: string,
  committed: readonly { topic: string; partitions: readonly { partition: number; offset: string }[] }[],
  watermarks: ReadonlyMap<string, readonly { partition: number; high: string; low: string }[]>,
): PartitionLag[] {
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const offsets = new Map(partitions.map((p) => [p.partition, Number(p.offset)]));
    for (const { partition, high, low } of watermarks.get(topic) ?? []) {
      const offset = offsets.get(partition) ?? -1;
      const from = offset >= 0 ? offset : Number(low);
      lags.push({ group, topic, partition, lag: Math.max(0, Number(high) - from) });
    }
  }
  return lags.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * `cur_kafka_consumer_lag{group,topic,partition}` for the deployment's consumer groups, read with
 * the admin when Prometheus scrapes. Every service reports every group, so the lag of a consumer
 * that is down is still seen.
 */
@Injectable()
export class KafkaLagGauge {
  constructor(registry: Registry, kafka: KafkaAdmin) {
    const groups = new Set(kafka.observation.groups);
    const lag = new ScrapeRead(
      'Kafka consumer lag',
      KAFKA_ADMIN_TIMEOUT_MS,
      () =>
        kafka.use('Kafka consumer lag', async (admin) => {
          const present = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => groups.has(id));
          const watermarks = new Map<string, { partition: number; high: string; low: string }[]>();
          const lags: PartitionLag[] = [];
          for (const group of present) {
            const committed = await admin.fetchOffsets({ groupId: group });
            for (const { topic } of committed) if (!watermarks.has(topic)) watermarks.set(topic, await admin.fetchTopicOffsets(topic));
            lags.push(...consumerLag(group, committed, watermarks));
          }
          return lags;
        }),
      new Logger('Metrics'),
    );
    new Gauge({
      name: 'cur_kafka_consumer_lag',
      help: "Records of a partition not yet consumed by a consumer group: the partition's high watermark minus the group's committed offset.",
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of (await lag.value()) ?? []) this.set({ group: row.group, topic: row.topic, partition: String(row.partition) }, row.lag);
      },
    });
  }
}
