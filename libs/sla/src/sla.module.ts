import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LifecycleModule } from '@cur/lifecycle';
import { SlaWatchService } from './sla-watch.service';

/** The deadline watch (the `sla` service). */
@Module({ imports: [ScheduleModule.forRoot(), LifecycleModule], providers: [SlaWatchService], exports: [SlaWatchService] })
export class SlaModule {}
