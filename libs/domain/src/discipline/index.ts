export * from './discipline';
