export * from './engagement';
export * from './ballot-rules';
export * from './definition-rules';
export * from './frozen-rules';
export { roubles } from './wording';
