import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ClocksModule } from './clocks.module';
import { SlaWatchService } from './sla-watch.service';

/** The deadline watch (the `sla` service). */
@Module({ imports: [ScheduleModule.forRoot(), ClocksModule], providers: [SlaWatchService], exports: [SlaWatchService] })
export class SlaModule {}
