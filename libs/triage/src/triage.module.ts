import { Module } from '@nestjs/common';
import { OperatorTriageController } from './operator-triage.controller';
import { OperatorTriageService } from './operator-triage.service';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

/** Automatic triage: consumes received messages. */
@Module({ controllers: [TriageConsumer], providers: [TriageService], exports: [TriageService] })
export class TriageModule {}

/** Operators' triage decisions over HTTP. */
@Module({ controllers: [OperatorTriageController], providers: [OperatorTriageService], exports: [OperatorTriageService] })
export class OperatorTriageModule {}
