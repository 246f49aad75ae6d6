export * from './environment';
export * from './region-config.schema';
export * from './region-config.loader';
export * from './region-catalog';
export * from './config.module';
export * from './calendar-notices';
