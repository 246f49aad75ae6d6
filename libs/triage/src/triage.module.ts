import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { OperatorTriageController } from './operator-triage.controller';
import { OperatorTriageService } from './operator-triage.service';
import { OperatorQueueService } from './operator-queue.service';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

/** Automatic triage: consumes received messages. */
@Module({ imports: [LifecycleModule], controllers: [TriageConsumer], providers: [TriageService], exports: [TriageService] })
export class TriageModule {}

/** Operators' triage decisions over HTTP. */
@Module({
  imports: [LifecycleModule],
  controllers: [OperatorTriageController],
  providers: [OperatorTriageService, OperatorQueueService],
  exports: [OperatorTriageService],
})
export class OperatorTriageModule {}
