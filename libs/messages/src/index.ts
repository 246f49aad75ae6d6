export * from './messages.module';
export * from './messages.service';
export * from './list-messages.query';
