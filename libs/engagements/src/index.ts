export * from './engagements.module';
export * from './engagements.service';
export * from './engagement-watch';
export * from './engagements.controller';
export * from './engagement-comments.service';
export * from './engagement-comments.controller';
export * from './engagement-results-file';
