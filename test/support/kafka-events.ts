import { randomUUID } from 'node:crypto';
import { Admin, AssignerProtocol, Consumer, Kafka, logLevel, PartitionAssigner } from 'kafkajs';
import { Client } from 'pg';
import { expectEventually } from './services';

/** Leader errors a just-created (or just-restarted) partition answers for a moment. */
const LEADER_NOT_YET = new Set(['LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/**
 * The low and high watermarks of a topic's partitions, once its leader serves them. A topic just
 * created is named with its leader in the metadata (`createTopics({ waitForLeaders })` waits for
 * that) a moment before the broker acts as that leader: the broker publishes its metadata, then
 * makes its replicas leaders, and a ListOffsets in between is answered NOT_LEADER_OR_FOLLOWER.
 * That error is retriable by the protocol (Kafka's own admin client asks again), but kafkajs's
 * `fetchTopicOffsets` gives up on it at once; this asks again, for at most `timeoutMs`.
 */
export async function topicOffsets(admin: Admin, topic: string, timeoutMs = 30_000): ReturnType<Admin['fetchTopicOffsets']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!LEADER_NOT_YET.has((error as { type?: string }).type ?? '') || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A record read from Kafka, its value parsed. */
export interface SeenEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: any;
  headers: Record<string, string>;
}

/**
 * What the product published, read from Kafka itself: every record of the topics given, from
 * their beginning (a group of its own), in the order of each partition. The outbox cannot be read
 * for this: the relay deletes what it published.
 */
export class KafkaEvents {
  readonly seen: SeenEvent[] = [];
  /** Next offset to read, by `topic:partition`. */
  private readonly positions = new Map<string, bigint>();

  private constructor(
    private readonly admin: Admin,
    private readonly consumer: Consumer,
    private readonly topics: readonly string[],
  ) {}

  /**
   * Reads the topics from their beginning, or, with `fromNow`, only what is published after this
   * call (the topics are shared by every test of the run; a test with a database of its own reads
   * only its own events that way).
   */
  static async start(brokers: string, topics: readonly string[], { fromNow = false } = {}): Promise<KafkaEvents> {
    const kafka = new Kafka({ clientId: 'test-events-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const groupId = `test-events-${randomUUID()}`;
    const events = new KafkaEvents(kafka.admin(), kafka.consumer({ groupId }), topics);
    try {
      await events.begin(groupId, fromNow);
    } catch (error) {
      // Nothing left connected when the start fails.
      await events.stop().catch(() => undefined);
      throw error;
    }
    return events;
  }

  private async begin(groupId: string, fromNow: boolean): Promise<void> {
    await this.admin.connect();
    // As the product creates them (deploy/kafka: 6 partitions), so whichever comes first makes the same topic.
    await this.admin.createTopics({ topics: this.topics.map((topic) => ({ topic, numPartitions: 6 })), waitForLeaders: true });
    for (const topic of this.topics) {
      const offsets = await topicOffsets(this.admin, topic);
      if (fromNow) await this.admin.setOffsets({ groupId, topic, partitions: offsets.map((p) => ({ partition: p.partition, offset: p.high })) });
      // Where reading starts: a partition with nothing new to read is read to its end already.
      for (const p of offsets) this.positions.set(`${topic}:${p.partition}`, BigInt(fromNow ? p.high : p.low));
    }
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        this.seen.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? '', value: parsed(message.value), headers });
        this.positions.set(`${topic}:${partition}`, BigInt(message.offset) + 1n);
        return Promise.resolve();
      },
    });
  }

  /** The records of a topic (of one key, when given), in the order read; the same event published twice is there twice. */
  of(topic: string, key?: string): SeenEvent[] {
    return this.seen.filter((e) => e.topic === topic && (key === undefined || e.key === key));
  }

  /** The distinct events (by event id) of a topic and key: what consumers, idempotent by event id, act on. */
  distinct(topic: string, key?: string): SeenEvent[] {
    const byId = new Map<string, SeenEvent>();
    for (const e of this.of(topic, key)) if (!byId.has(e.value.eventId)) byId.set(e.value.eventId, e);
    return [...byId.values()];
  }

  /**
   * Waits until the outbox holds no event matching `where` (a condition on the view
   * `outbox_event`: the relay published them and deleted their rows), then until this reader has
   * read everything in its topics.
   */
  async afterRelay(db: Client, where: string, params: unknown[] = [], timeoutMs = 30_000): Promise<void> {
    await expectEventually(
      async () => expect((await db.query(`SELECT count(*)::int AS n FROM outbox_event WHERE ${where}`, params)).rows[0].n).toBe(0),
      timeoutMs,
      50,
    );
    await this.settle(timeoutMs);
  }

  /**
   * Waits until everything in the topics now (their high watermarks at this call) has been read.
   * The product's producers are idempotent, not transactional: the last offset below the high
   * watermark is a record (a transaction's control record would never be read, and this would time out).
   */
  async settle(timeoutMs = 30_000): Promise<void> {
    const ends = await Promise.all(this.topics.map(async (topic) => ({ topic, partitions: await topicOffsets(this.admin, topic) })));
    await expectEventually(
      () => {
        for (const { topic, partitions } of ends)
          for (const p of partitions) expect(this.positions.get(`${topic}:${p.partition}`) ?? 0n).toBeGreaterThanOrEqual(BigInt(p.high));
      },
      timeoutMs,
      50,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.disconnect();
  }
}

/** A record's value as JSON, or as its text when it is not JSON (a poison record a test wrote). */
function parsed(value: Buffer | null): any {
  const text = value?.toString() ?? '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A member of `groupId` whose assignment protocol no other member speaks: while it is in the
 * group, a kafkajs consumer's join is refused with INCONSISTENT_GROUP_PROTOCOL, which kafkajs does
 * not retry (as a first join can be refused while a broker starts). It reads its own topic.
 */
export async function blockGroup(brokers: string, groupId: string): Promise<{ leave: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'group-blocker', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `cur.test.blocker-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const other: PartitionAssigner = () => ({
    name: 'OtherAssigner',
    version: 1,
    assign: ({ members }) =>
      Promise.resolve(
        members.map((m) => ({
          memberId: m.memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }),
        })),
      ),
    protocol: ({ topics }) => ({ name: 'OtherAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
  });
  const consumer = kafka.consumer({ groupId, partitionAssigners: [other] });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachBatch: () => Promise.resolve() });
  let left: Promise<void> | undefined;
  return { leave: () => (left ??= consumer.disconnect()) };
}
