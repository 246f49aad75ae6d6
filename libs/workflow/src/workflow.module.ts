import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { RatingsController } from './ratings.controller';
import { StaffController } from './staff.controller';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

/** The agency workflow over HTTP, with its effects on the clocks. */
@Module({
  imports: [LifecycleModule],
  controllers: [WorkflowController, RatingsController, StaffController],
  providers: [WorkflowService],
  exports: [WorkflowService],
})
export class WorkflowModule {}
