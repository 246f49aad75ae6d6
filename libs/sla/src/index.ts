export * from './sla.module';
export * from './sla-watch.service';
export * from './deadlines.module';
export * from './deadlines.service';
