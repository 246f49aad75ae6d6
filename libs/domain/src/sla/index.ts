export * from './sla-policy';
export * from './clock';
export * from './clock-plan';
