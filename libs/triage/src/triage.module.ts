import { Module } from '@nestjs/common';
import { ClocksModule } from '@cur/sla';
import { OperatorTriageController } from './operator-triage.controller';
import { OperatorTriageService } from './operator-triage.service';
import { OperatorQueueService } from './operator-queue.service';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

/** Automatic triage: consumes received messages. */
@Module({ imports: [ClocksModule], controllers: [TriageConsumer], providers: [TriageService], exports: [TriageService] })
export class TriageModule {}

/** Operators' triage decisions over HTTP. */
@Module({ imports: [ClocksModule], controllers: [OperatorTriageController], providers: [OperatorTriageService, OperatorQueueService], exports: [OperatorTriageService] })
export class OperatorTriageModule {}
