export * from './triage.module';
export * from './triage.service';
