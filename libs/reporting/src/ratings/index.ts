export * from './rating-formula';
export * from './rating-period';
export * from './ratings-files';
export * from './ratings.service';
export * from './ratings.controller';
export * from './ratings.module';
