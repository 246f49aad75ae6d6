export * from './sla.module';
export * from './overdue-watch.service';
