import { Logger } from '@nestjs/common';
import { correlationIn, withCorrelation } from '@cur/platform';
import { BusRecord, DeadLetterRecorder, PublishRefused, RetryPolicy } from '../bus';
import { BatchHandler, deliver, deliverBatch, DeliveryOutcome, RecordHandler } from '../delivery';

/** A subscriber: one record per call, or (a batch consumer) all of a publish's records of its topic per call. */
export type Subscriber = { record: RecordHandler } | { batch: BatchHandler };

/**
 * The embedded default's bus: same contract as Kafka (topics, keys, bounded retry, `<topic>.dlq`),
 * delivered in-process. `publish` resolves once every subscriber has handled (or dead-lettered)
 * the records, so the outbox marks an event sent only after it took effect: a crash in between
 * replays it from the outbox, and idempotent consumers absorb the repeat.
 */
export class InProcessBroker {
  private readonly logger = new Logger('InProcessBroker');
  private readonly subscribers = new Map<string, Subscriber[]>();
  private readonly offsets = new Map<string, number>();
  private closed = false;
  /** Recent dead letters, newest last, for inspection. */
  readonly deadLetters: BusRecord[] = [];

  private recorder?: DeadLetterRecorder;

  constructor(private readonly retry: RetryPolicy) {}

  /** Where dead letters are recorded (the `dead_letter` table), set by the consuming side when it starts. */
  recordDeadLettersIn(recorder: DeadLetterRecorder): void {
    this.recorder = recorder;
  }

  subscribe(topic: string, subscriber: Subscriber): void {
    this.subscribers.set(topic, [...(this.subscribers.get(topic) ?? []), subscriber]);
  }

  unsubscribeAll(): void {
    this.subscribers.clear();
    this.closed = true;
  }

  /**
   * Record by record, each to every subscriber of its topic in subscription order; a batch
   * subscriber gets all of this publish's records of its topic together, at the first of them
   * (as on Kafka, nothing orders records of different topics).
   */
  async publish(records: readonly BusRecord[]): Promise<void> {
    // A closed bus refuses, so the outbox keeps the rows unsent instead of losing them.
    if (this.closed) throw new Error('in-process bus is closed');
    // A value that is not JSON is refused before any record goes (Kafka would carry its bytes; here handlers get parsed values).
    for (const record of records) {
      if (typeof record.value !== 'string') continue;
      try {
        JSON.parse(record.value);
      } catch {
        throw new PublishRefused('the value is not JSON');
      }
    }
    const numbered = records.map((record) => {
      const offset = (this.offsets.get(record.topic) ?? -1) + 1;
      this.offsets.set(record.topic, offset);
      // A round trip through JSON, as on Kafka: handlers never share objects with the publisher.
      const copy = () => ({
        value: JSON.parse(typeof record.value === 'string' ? record.value : JSON.stringify(record.value)) as unknown,
        info: { topic: record.topic, key: record.key, partition: 0, offset: String(offset), headers: record.headers ?? {} },
      });
      return { topic: record.topic, copy };
    });
    const batched = new Set<string>();
    for (const { topic, copy } of numbered) {
      for (const subscriber of this.subscribers.get(topic) ?? []) {
        if ('record' in subscriber) {
          const { value, info } = copy();
          const outcome = await withCorrelation(correlationIn(info.headers) ?? undefined, () => deliver(subscriber.record, value, info, this.retry));
          await this.deadLetter(value, info, outcome);
          continue;
        }
        if (batched.has(topic)) continue;
        const delivered = numbered.filter((r) => r.topic === topic).map((r) => r.copy());
        const outcomes = await deliverBatch(subscriber.batch, delivered, this.retry);
        for (let i = 0; i < delivered.length; i++) await this.deadLetter(delivered[i].value, delivered[i].info, outcomes[i]);
      }
      batched.add(topic);
    }
  }

  private async deadLetter(
    value: unknown,
    info: { topic: string; key: string; offset: string; headers: Record<string, string> },
    outcome: DeliveryOutcome,
  ): Promise<void> {
    if (!outcome.deadLetter) return;
    this.logger.error(
      `dead-lettered ${info.topic}@${info.offset} key=${info.key} after ${outcome.attempts} attempt(s): ${outcome.deadLetter.headers?.['x-dlq-error']}`,
    );
    // A failure to record fails this publish: the outbox keeps the event and sends it again.
    await this.recorder?.record({
      consumer: 'in-process',
      topic: info.topic,
      partition: 0,
      offset: info.offset,
      key: info.key,
      value,
      json: true,
      headers: info.headers,
      error: outcome.deadLetter.headers?.['x-dlq-error'] ?? '',
      attempts: outcome.attempts,
      sourceRef: null,
    });
    this.deadLetters.push(outcome.deadLetter);
    if (this.deadLetters.length > 1000) this.deadLetters.shift();
    await this.publish([outcome.deadLetter]);
  }
}
