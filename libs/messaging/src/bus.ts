import { BaseRpcContext } from '@nestjs/microservices';

/** One event on the bus: the same shape for Kafka and for the in-process bus. */
export interface BusRecord {
  topic: string;
  key: string;
  /** The event, or its JSON text when already serialized (the outbox stores it so: the relay passes it on unparsed). */
  value: object | string;
  headers?: Record<string, string>;
}

/**
 * Publishes records; resolves once they are durable (Kafka acks=all) or handled (in-process).
 * Throws `PublishRefused` when the bus refuses them for good (sending them again would fail the
 * same way); any other failure may pass (the broker down, a leader moving).
 */
export abstract class EventPublisher {
  abstract publish(records: readonly BusRecord[]): Promise<void>;
}

/**
 * The bus refused records for good: one too large for the topic, or too many bytes for one
 * partition in one request. A part of them may still go (fewer at once, or without the culprit).
 */
export class PublishRefused extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the bus refused the records: ${reason}`, options);
    this.name = 'PublishRefused';
  }
}

export interface DeliveryInfo {
  topic: string;
  key: string;
  partition: number;
  offset: string;
  attempt: number;
  headers: Record<string, string>;
}

/** What a consumer handler can learn about the record it handles (`@Ctx() ctx: BusContext`). */
export class BusContext extends BaseRpcContext<[DeliveryInfo]> {
  get info(): DeliveryInfo {
    return this.args[0];
  }
}

export interface RetryPolicy {
  /** Attempts before the record goes to `<topic>.dlq`. */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubles after each failure, capped at 5 s. */
  backoffMs: number;
}

/** A record a consumer gave up on, as the bus hands it to the dead-letter table. */
export interface DeadLetterEntry {
  /** The Kafka consumer group, or `in-process`. */
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  /** The value the handler got; `{ unparsable: base64 }` when the bytes were not JSON (`json` false). */
  value: unknown;
  json: boolean;
  /** The record's headers (the correlation id among them), which a replay sends again. */
  headers: Record<string, string>;
  error: string;
  attempts: number;
  /** Kafka: group, topic, partition and offset, so a record delivered again is recorded once. */
  sourceRef: string | null;
}

/**
 * Where a bus records what it dead-letters, besides `<topic>.dlq`, before moving on: people list
 * and replay dead letters from there (GET /api/v1/dead-letters). A failure to record fails the
 * delivery, so the record comes back rather than being lost.
 */
export abstract class DeadLetterRecorder {
  abstract record(entry: DeadLetterEntry): Promise<void>;
}
