import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BusContext, DeliveryInfo } from './bus';
import { RecordHandler } from './delivery';

/** Shared by both transports: turns an `@EventPattern(topic)` handler into a plain async function. */
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

  on(): never {
    throw new Error('Bus servers emit no events');
  }
}
