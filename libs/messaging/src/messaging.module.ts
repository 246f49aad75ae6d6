import { DynamicModule, Global, Module } from '@nestjs/common';
import { DeadLetterRecorder, EventPublisher, RetryPolicy } from './bus';
import { DeadLetterTable } from './dead-letters/dead-letter-table';
import { InProcessBroker } from './in-process/in-process-broker';
import { InProcessEventPublisher } from './in-process/in-process-publisher';
import { KafkaEventPublisher } from './kafka/kafka-publisher';
import { KafkaConnection } from './kafka/kafka-options';
import { OutboxRelay, OutboxRelayOptions } from './outbox/outbox-relay';

export type BusOptions = { kind: 'kafka'; connection: KafkaConnection; retry: RetryPolicy } | { kind: 'in-process'; broker: InProcessBroker };

/**
 * The publishing side of the bus plus the outbox relay, and where dead letters are recorded.
 * Consuming is a Nest transport (KafkaBusServer / InProcessBusServer) connected by the app's
 * bootstrap, which hands it the DeadLetterRecorder.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(bus: BusOptions, relay: Partial<OutboxRelayOptions> = {}): DynamicModule {
    const publisher =
      bus.kind === 'kafka'
        ? { provide: EventPublisher, useFactory: () => new KafkaEventPublisher(bus.connection) }
        : { provide: EventPublisher, useFactory: () => new InProcessEventPublisher(bus.broker) };
    return {
      module: MessagingModule,
      providers: [
        publisher,
        { provide: OutboxRelayOptions, useValue: Object.assign(new OutboxRelayOptions(), relay) },
        OutboxRelay,
        { provide: DeadLetterRecorder, useClass: DeadLetterTable },
      ],
      exports: [EventPublisher, OutboxRelay, DeadLetterRecorder],
    };
  }
}
