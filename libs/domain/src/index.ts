export * from './message/channel';
export * from './message/message-status';
export * from './region/region-data';
export * from './deadlines/due-date';
export * from './routing/router';
export * from './classification/keyword-classifier';
export * from './territory/territory-resolver';
export * from './text/normalize';
