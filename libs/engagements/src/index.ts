export * from './engagements.module';
export * from './engagements.service';
export * from './engagement-watch';
export * from './engagements.controller';
