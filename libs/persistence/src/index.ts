export * from './entities';
export * from './database';
export * from './persistence.module';
export * from './repositories/message.repository';
export * from './repositories/outbox.repository';
export * from './repositories/processed-event.repository';
export * from './repositories/classifier-model.repository';
