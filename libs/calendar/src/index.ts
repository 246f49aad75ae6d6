export * from './local-date';
export * from './time-zone';
export * from './production-calendar';
export * from './labour-code';
export * from './office-hours';
export * from './duration';
export * from './working-time';
export * from './instant';
