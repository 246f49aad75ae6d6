import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { ApiKeyGuard } from '@cur/intake';
import { RatingsController } from './ratings.controller';
import { StaffController } from './staff.controller';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

/** The agency workflow over HTTP, with its effects on the clocks. */
@Module({ imports: [LifecycleModule], controllers: [WorkflowController, RatingsController, StaffController], providers: [WorkflowService, ApiKeyGuard], exports: [WorkflowService] })
export class WorkflowModule {}
