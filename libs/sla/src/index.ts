export * from './sla.module';
export * from './clocks.module';
export * from './clock.service';
export * from './sla-watch.service';
export * from './deadlines.module';
export * from './deadlines.service';
