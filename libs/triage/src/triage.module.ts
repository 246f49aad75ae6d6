import { Module } from '@nestjs/common';
import { TriageConsumer } from './triage.consumer';
import { TriageService } from './triage.service';

@Module({ controllers: [TriageConsumer], providers: [TriageService], exports: [TriageService] })
export class TriageModule {}
