export * from './monthly-report.service';
export * from './monthly-report.controller';
export * from './reporting.module';
export * from './report-submission';
export * from './report-submission.watch';
export * from './report-submission.module';
export * from './report-notices';
export * from './dashboard';
