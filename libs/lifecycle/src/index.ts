export * from './clock.service';
export * from './lifecycle.module';
export * from './message-lifecycle';
export * from './admission-triage';
