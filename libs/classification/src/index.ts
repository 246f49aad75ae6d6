export * from './activation-rule';
export * from './classification.module';
export * from './classifier.service';
export * from './model-codec';
export * from './retrain.scheduler';
export * from './seed-examples';
export * from './train-async';
