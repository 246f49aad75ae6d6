import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { EngagementCommentsController } from './engagement-comments.controller';
import { EngagementCommentsService } from './engagement-comments.service';
import { EngagementResultsFileService } from './engagement-results-file.service';
import { EngagementWatch } from './engagement-watch';
import { EngagementsController, PublicEngagementsController } from './engagements.controller';
import { EngagementsService } from './engagements.service';

/** Discussions, votes and surveys over HTTP, and their closing on time. */
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [EngagementsController, PublicEngagementsController, EngagementCommentsController],
  providers: [EngagementsService, EngagementWatch, EngagementCommentsService, EngagementResultsFileService],
  exports: [EngagementsService, EngagementWatch, EngagementCommentsService],
})
export class EngagementsModule {}
