import { BaseRpcContext } from '@nestjs/microservices';

/** One event on the bus: the same shape for Kafka and for the in-process bus. */
export interface BusRecord {
  topic: string;
  key: string;
  value: object;
  headers?: Record<string, string>;
}

/** Publishes records; resolves once they are durable (Kafka acks=all) or handled (in-process). */
export abstract class EventPublisher {
  abstract publish(records: readonly BusRecord[]): Promise<void>;
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
