import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BusContext, DeliveryInfo } from './bus';
import { BatchHandler, IncomingRecord, RecordHandler } from './delivery';

/** What `@EventPattern(topic, BATCH)` marks: the handler takes an array of records (`IncomingRecord[]`) and handles them together. */
export const BATCH = { batch: true } as const;

/**
 * Shared by both transports: turns an `@EventPattern(topic)` handler into a plain async function,
 * and an `@EventPattern(topic, BATCH)` handler into a batch handler.
 */
export abstract class HandlerServer extends Server implements CustomTransportStrategy {
  protected topics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  protected recordHandler(topic: string): RecordHandler {
    const handler = this.messageHandlers.get(topic) as MessageHandler<unknown, BusContext, unknown>;
    return async (value: unknown, info: DeliveryInfo) => {
      const result = await handler(value, new BusContext([info]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }

  /** The topic's handler when it takes batches. */
  protected batchHandler(topic: string): BatchHandler | undefined {
    const handler = this.messageHandlers.get(topic) as MessageHandler<IncomingRecord[], BusContext, unknown> | undefined;
    if (!handler || (handler.extras as { batch?: boolean } | undefined)?.batch !== true) return undefined;
    return async (records: IncomingRecord[]) => {
      const result = await handler(records, new BusContext([records[0].info]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }

  on(): never {
    throw new Error('Bus servers emit no events');
  }
}
