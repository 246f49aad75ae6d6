export * from './monthly-report.service';
export * from './monthly-report.controller';
export * from './reporting.module';
