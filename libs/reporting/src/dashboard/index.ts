export * from './dashboard.service';
export * from './dashboard.controller';
export * from './dashboard.module';
