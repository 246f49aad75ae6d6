import 'reflect-metadata';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { BATCH, DeadLetterEntry, IncomingRecord, KafkaBusServer } from '@cur/messaging';
import { readInfrastructure } from './support/infrastructure';
import { blockGroup } from './support/kafka-events';
import { expectEventually } from './support/services';

/**
 * The Kafka bus server's batches on a real broker: records of several partitions handed over
 * together go to a batch handler in one call (one transaction) when they fit in its batch size;
 * each record is handled once, in order per partition; a call that fails is retried per partition,
 * so a poison record goes alone to the dead letters and the rest take effect. Handled offsets
 * are committed once per interval, not after every batch, and when the topic goes quiet.
 */
describe('the Kafka bus server', () => {
  const infra = readInfrastructure();
  const kafka = new Kafka({ clientId: 'bus-test', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  let server: KafkaBusServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Records written to the topic's three partitions before the server starts: they come in one fetch. */
  async function topicWith(name: string, values: (partition: number, i: number) => string, perPartition: number): Promise<string> {
    const topic = `cur.test.${name}-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3 },
        { topic: `${topic}.dlq`, numPartitions: 3 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].flatMap((partition) =>
        Array.from({ length: perPartition }, (_, i) => ({ partition, key: `k${partition}`, value: values(partition, i) })),
      ),
    });
    await producer.disconnect();
    return topic;
  }

  function start(
    topic: string,
    handle: (records: IncomingRecord[]) => Promise<void>,
    deadLetters: DeadLetterEntry[] = [],
    record: (entry: DeadLetterEntry) => Promise<void> = (entry) => Promise.resolve(void deadLetters.push(entry)),
    observed: string[] = [],
  ): Promise<void> {
    server = new KafkaBusServer({
      brokers: infra.kafkaBrokers.split(','),
      clientId: 'bus-test',
      partitions: 3,
      groupId: `${topic}-group`,
      retry: { maxAttempts: 2, backoffMs: 10 },
      partitionsConsumedConcurrently: 3,
      batchSize: 500,
      commitIntervalMs: 1_000,
      deadLetters: { record },
      observer: { running: () => void observed.push('running'), stopped: (_, error) => void observed.push(`stopped: ${error}`) },
    });
    server.addHandler(topic, (records: IncomingRecord[]) => handle(records), true, BATCH);
    return new Promise((resolve, reject) => {
      void server!.listen((error?: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('the bus server did not start'));
        else resolve();
      });
    });
  }

  it('hands the partitions of one fetch to the batch handler in one call, each record once and in order per partition', async () => {
    const topic = await topicWith('gathered', (partition, i) => JSON.stringify({ partition, i }), 20);
    const calls: { partition: number; i: number }[][] = [];
    await start(topic, (records) => {
      calls.push(records.map((r) => r.value as { partition: number; i: number }));
      return Promise.resolve();
    });
    await expectEventually(() => expect(calls.flat()).toHaveLength(60));
    // And no record again afterwards.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls.flat()).toHaveLength(60);
    for (const partition of [0, 1, 2]) {
      expect(
        calls
          .flat()
          .filter((v) => v.partition === partition)
          .map((v) => v.i),
      ).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
    // Before, every call held one partition's records: a transaction per partition per fetch.
    expect(Math.max(...calls.map((call) => new Set(call.map((v) => v.partition)).size))).toBeGreaterThan(1);
  });

  it('retries a failing call per partition: the poison record is dead-lettered alone, the others of every partition take effect once', async () => {
    const topic = await topicWith('poison', (partition, i) => JSON.stringify({ partition, i, poison: partition === 1 && i === 3 }), 10);
    const handled: { partition: number; i: number }[] = [];
    const callPartitions: number[][] = [];
    const deadLetters: DeadLetterEntry[] = [];
    await start(
      topic,
      (records) => {
        const values = records.map((r) => r.value as { partition: number; i: number; poison: boolean });
        callPartitions.push([...new Set(values.map((v) => v.partition))]);
        if (values.some((v) => v.poison)) return Promise.reject(new Error('poison'));
        handled.push(...values);
        return Promise.resolve();
      },
      deadLetters,
    );
    await expectEventually(() => expect(deadLetters).toHaveLength(1));
    await expectEventually(() => expect(handled).toHaveLength(29));
    expect(deadLetters[0]).toMatchObject({ topic, partition: 1, key: 'k1', attempts: 2 });
    for (const partition of [0, 1, 2]) {
      const expected = Array.from({ length: 10 }, (_, i) => i).filter((i) => !(partition === 1 && i === 3));
      expect(handled.filter((v) => v.partition === partition).map((v) => v.i)).toEqual(expected);
    }
    // Gathered, the call failed; then each partition's records alone, and partition 1's one by one.
    expect(callPartitions[0].length).toBeGreaterThan(1);
    expect(callPartitions.slice(1).every((partitions) => partitions.length === 1)).toBe(true);
  });

  it('commits the handled offsets once per interval, not per batch, and all of them once the topic is quiet', async () => {
    const topic = await topicWith('commits', () => '{}', 0);
    const calls: number[] = [];
    await start(topic, (records) => {
      calls.push(records.length);
      return Promise.resolve();
    });
    const consumer = server!.unwrap<Consumer>();
    const commits: unknown[] = [];
    consumer.on(consumer.events.COMMIT_OFFSETS, (event) => commits.push(event));
    const producer = kafka.producer();
    await producer.connect();
    // Ten rounds a fetch each, one record per partition: each used to be committed partition by partition.
    const started = performance.now();
    for (let round = 0; round < 10; round++) {
      await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, key: `k${partition}`, value: '{}' })) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await producer.disconnect();
    await expectEventually(() => expect(calls.reduce((a, b) => a + b, 0)).toBe(30));
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      await expectEventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId: `${topic}-group`, topics: [topic] });
        expect(committed.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(ends.map((e) => [e.partition, e.high]).sort());
      }, 10_000);
    } finally {
      await admin.disconnect();
    }
    // At most one commit an interval (1 s) since the first record, the last one after it went quiet.
    const seconds = (performance.now() - started) / 1_000;
    // Its commits were counted on the consumer that read (one replaced after a crash would commit unseen).
    expect(server!.unwrap<Consumer>() === consumer).toBe(true);
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  /** What the server told readiness, each change once (a consumer joins again at each rebalance). */
  function changes(observed: string[]): string[] {
    return observed.filter((state, i) => state !== observed[i - 1]);
  }

  it('starts a new consumer when kafkajs gives one up, and the records it left are read again', async () => {
    const topic = await topicWith('crashed', (partition, i) => JSON.stringify({ partition, i, poison: partition === 0 && i === 2 }), 5);
    const handled: string[] = [];
    const deadLetters: DeadLetterEntry[] = [];
    let recordings = 0;
    const observed: string[] = [];
    await start(
      topic,
      (records) => {
        const values = records.map((r) => r.value as { partition: number; i: number; poison: boolean });
        if (values.some((v) => v.poison)) return Promise.reject(new Error('poison'));
        handled.push(...values.map((v) => `${v.partition}/${v.i}`));
        return Promise.resolve();
      },
      deadLetters,
      // The first dead letter fails as a defect would: kafkajs counts a TypeError thrown out of a batch
      // as unrecoverable and stops the consumer without starting it again.
      (entry) => {
        if (++recordings === 1) return Promise.reject(new TypeError('the recorder failed'));
        deadLetters.push(entry);
        return Promise.resolve();
      },
      observed,
    );
    const first = server!.unwrap<Consumer>();
    // A new consumer replaced the one kafkajs stopped.
    await expectEventually(() => expect(server!.unwrap<Consumer>() === first).toBe(false), 20_000);
    await expectEventually(() => expect(deadLetters).toHaveLength(1), 20_000);
    expect(deadLetters[0]).toMatchObject({ topic, partition: 0, key: 'k0' });
    expect(recordings).toBe(2);
    // Partition 0's records were handled, then not resolved as its dead letter failed: the new
    // consumer read them again.
    await expectEventually(() => expect(handled.filter((h) => h.startsWith('0/')).sort()).toEqual(['0/0', '0/0', '0/1', '0/1', '0/3', '0/3', '0/4', '0/4']));
    expect(new Set(handled).size).toBe(14);
    // Readiness was told of the stop (the error's name only: the probe is public) and of the new consumer.
    expect(changes(observed)).toEqual(['running', 'stopped: TypeError', 'running']);
  });

  it('starts, and keeps trying to join, when its first join is refused for good', async () => {
    const topic = await topicWith('refused', (partition, i) => JSON.stringify({ partition, i }), 2);
    // A member of the group with another assignment protocol: kafkajs's join is refused
    // (INCONSISTENT_GROUP_PROTOCOL, not retriable), as a first join can be while a broker starts.
    const blocker = await blockGroup(infra.kafkaBrokers, `${topic}-group`);
    const handled: string[] = [];
    const observed: string[] = [];
    try {
      await start(
        topic,
        (records) => {
          handled.push(...records.map((r) => JSON.stringify(r.value)));
          return Promise.resolve();
        },
        [],
        undefined,
        observed,
      );
      await expectEventually(() => expect(changes(observed)).toEqual(['stopped: KafkaJSProtocolError (INCONSISTENT_GROUP_PROTOCOL)']), 20_000);
      expect(handled).toHaveLength(0);
    } finally {
      await blocker.leave();
    }
    await expectEventually(() => expect(handled).toHaveLength(6), 30_000);
    expect(changes(observed)).toEqual(['stopped: KafkaJSProtocolError (INCONSISTENT_GROUP_PROTOCOL)', 'running']);
  });
});
