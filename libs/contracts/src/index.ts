export * from './events/topics';
export * from './events/message-events';
export * from './events/sla-events';
export * from './http/create-message.dto';
export * from './events/topic-events';
export * from './http/monthly-report';
export * from './http/messages';
export * from './events/report-events';
