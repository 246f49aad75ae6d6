export * from './discipline.module';
export * from './discipline.service';
