export * from './auth.module';
export * from './auth.service';
export * from './message-access';
export * from './access-registry';
export * from './users.service';
export * from './passwords';
export * from './api-keys';
export * from './refresh-cookie';
