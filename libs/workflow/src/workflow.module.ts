import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { AnswerTemplatesController } from './answer-templates/answer-templates.controller';
import { AnswerTemplatesService } from './answer-templates/answer-templates.service';
import { RatingsController } from './ratings.controller';
import { StaffController } from './staff.controller';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

/** The agency workflow over HTTP, with its effects on the clocks, and the answer templates it offers. */
@Module({
  imports: [LifecycleModule],
  controllers: [WorkflowController, RatingsController, StaffController, AnswerTemplatesController],
  providers: [WorkflowService, AnswerTemplatesService],
  exports: [WorkflowService],
})
export class WorkflowModule {}
