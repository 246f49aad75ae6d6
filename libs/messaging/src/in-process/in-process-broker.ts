import { Logger } from '@nestjs/common';
import { BusRecord, DeadLetterRecorder, RetryPolicy } from '../bus';
import { deliver, RecordHandler } from '../delivery';

/**
 * The embedded default's bus: same contract as Kafka (topics, keys, bounded retry, `<topic>.dlq`),
 * delivered in-process. `publish` resolves once every subscriber has handled (or dead-lettered)
 * the records, so the outbox marks an event sent only after it took effect: a crash in between
 * replays it from the outbox, and idempotent consumers absorb the repeat.
 */
export class InProcessBroker {
  private readonly logger = new Logger('InProcessBroker');
  private readonly subscribers = new Map<string, RecordHandler[]>();
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

  subscribe(topic: string, handler: RecordHandler): void {
    this.subscribers.set(topic, [...(this.subscribers.get(topic) ?? []), handler]);
  }

  unsubscribeAll(): void {
    this.subscribers.clear();
    this.closed = true;
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    // A closed bus refuses, so the outbox keeps the rows unsent instead of losing them.
    if (this.closed) throw new Error('in-process bus is closed');
    for (const record of records) {
      const offset = (this.offsets.get(record.topic) ?? -1) + 1;
      this.offsets.set(record.topic, offset);
      for (const handler of this.subscribers.get(record.topic) ?? []) {
        // A round trip through JSON, as on Kafka: handlers never share objects with the publisher.
        const value: unknown = JSON.parse(JSON.stringify(record.value));
        const outcome = await deliver(
          handler,
          value,
          { topic: record.topic, key: record.key, partition: 0, offset: String(offset), headers: record.headers ?? {} },
          this.retry,
        );
        if (outcome.deadLetter) {
          this.logger.error(
            `dead-lettered ${record.topic}@${offset} key=${record.key} after ${outcome.attempts} attempt(s): ${outcome.deadLetter.headers?.['x-dlq-error']}`,
          );
          // A failure to record fails this publish: the outbox keeps the event and sends it again.
          await this.recorder?.record({
            consumer: 'in-process',
            topic: record.topic,
            partition: 0,
            offset: String(offset),
            key: record.key,
            value,
            json: true,
            error: outcome.deadLetter.headers?.['x-dlq-error'] ?? '',
            attempts: outcome.attempts,
            sourceRef: null,
          });
          this.deadLetters.push(outcome.deadLetter);
          if (this.deadLetters.length > 1000) this.deadLetters.shift();
          await this.publish([outcome.deadLetter]);
        }
      }
    }
  }
}
