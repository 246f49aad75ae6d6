import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OverdueWatchService } from './overdue-watch.service';

@Module({ imports: [ScheduleModule.forRoot()], providers: [OverdueWatchService], exports: [OverdueWatchService] })
export class SlaModule {}
