import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaEventPublisher } from '@cur/messaging';
import { readInfrastructure } from './support/infrastructure';
import { KafkaEvents } from './support/kafka-events';

/**
 * The publisher on a real broker: it creates the topics it publishes to, and a topic deleted while
 * it runs is created again by a later publish (the relay's next attempt), not missed for as long
 * as the process lives.
 */
describe('the Kafka publisher', () => {
  const infra = readInfrastructure();
  const brokers = infra.kafkaBrokers.split(',');
  const kafka = new Kafka({ clientId: 'publisher-test', brokers, logLevel: logLevel.NOTHING });
  const publisher = new KafkaEventPublisher({ brokers, clientId: 'publisher-test', partitions: 3 });

  afterAll(() => publisher.onApplicationShutdown());

  it('creates a topic deleted while it runs again on a later publish', async () => {
    const topic = `cur.test.deleted-${Date.now()}`;
    await publisher.publish([{ topic, key: 'k', value: { n: 1 } }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [topic] });
      let attempts = 0;
      for (;;) {
        attempts++;
        try {
          await publisher.publish([{ topic, key: 'k', value: { n: 2 } }]);
          break;
        } catch (error) {
          // An attempt fails while the broker still has the topic's partitions in its metadata; a later one must create it.
          if (attempts >= 5) throw error;
        }
      }
      expect(await admin.listTopics()).toContain(topic);
      const partitions = await admin.fetchTopicOffsets(topic);
      expect(partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
    const events = await KafkaEvents.start(infra.kafkaBrokers, [topic]);
    try {
      await events.settle();
      expect(events.of(topic).map((e) => e.value as unknown)).toEqual([{ n: 2 }]);
    } finally {
      await events.stop();
    }
  }, 180_000);
});
