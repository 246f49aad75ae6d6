import { Global, Module } from '@nestjs/common';
import { AdmissionTriage, LifecycleModule } from '@cur/lifecycle';
import { WorkflowModule } from '@cur/workflow';
import { MessageBulkController } from './bulk/message-bulk.controller';
import { MessageBulkService } from './bulk/message-bulk.service';
import { OperatorTriageController } from './operator-triage.controller';
import { OperatorTriageService } from './operator-triage.service';
import { OperatorQueueService } from './operator-queue.service';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

/**
 * Automatic triage: consumes received messages; and, global, lends intake its decision
 * (`AdmissionTriage`) where intake runs in the same process.
 */
@Global()
@Module({
  imports: [LifecycleModule],
  controllers: [TriageConsumer],
  providers: [TriageService, { provide: AdmissionTriage, useExisting: TriageService }],
  exports: [TriageService, AdmissionTriage],
})
export class TriageModule {}

/** Operators' triage decisions over HTTP, one message or many at once (the rejection is the workflow's). */
@Module({
  imports: [LifecycleModule, WorkflowModule],
  controllers: [OperatorTriageController, MessageBulkController],
  providers: [OperatorTriageService, OperatorQueueService, MessageBulkService],
  exports: [OperatorTriageService],
})
export class OperatorTriageModule {}
