export * from './intake.module';
export * from './messages/intake.service';
export * from './pos-import/pos-import.service';
export * from './pos-import/pos-export.parser';
export * from './pos-import/pos-status.mapping';
export * from './demo/demo-stream.service';
