import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { EngagementWatch } from './engagement-watch';
import { EngagementsController } from './engagements.controller';
import { EngagementsService } from './engagements.service';

/** Discussions, votes and surveys over HTTP, and their closing on time. */
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [EngagementsController],
  providers: [EngagementsService, EngagementWatch],
  exports: [EngagementsService, EngagementWatch],
})
export class EngagementsModule {}
