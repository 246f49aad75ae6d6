export * from './errors';
export * from './http-exception.filter';
export * from './validation';
export * from './clock';
export * from './health.controller';
export * from './logging';
export * from './platform.module';
export * from './actor';
