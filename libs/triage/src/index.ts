export * from './triage.module';
export * from './triage.service';
export * from './operator-triage.service';
