import { Logger } from '@nestjs/common';
import { Kafka, logLevel, LogEntry } from 'kafkajs';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this service creates (existing topics keep theirs). */
  partitions: number;
}

export function createKafka(connection: KafkaConnection): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 200 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        const line = `${message} ${JSON.stringify(rest)}`;
        if (level === logLevel.ERROR) logger.error(line);
        else logger.warn(line);
      },
  });
}

/** Creates the topics (and their dead-letter topics) if missing; idempotent. */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: -1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
