import { Module } from '@nestjs/common';
import { ClocksModule } from '@cur/sla';
import { OperatorTriageController } from './operator-triage.controller';
import { OperatorTriageService } from './operator-triage.service';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

/** Automatic triage: consumes received messages. */
@Module({ imports: [ClocksModule], controllers: [TriageConsumer], providers: [TriageService], exports: [TriageService] })
export class TriageModule {}

/** Operators' triage decisions over HTTP. */
@Module({ imports: [ClocksModule], controllers: [OperatorTriageController], providers: [OperatorTriageService], exports: [OperatorTriageService] })
export class OperatorTriageModule {}
