import { Module } from '@nestjs/common';
import { ClocksModule } from '@cur/sla';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

/** The agency workflow over HTTP, with its effects on the clocks. */
@Module({ imports: [ClocksModule], controllers: [WorkflowController], providers: [WorkflowService], exports: [WorkflowService] })
export class WorkflowModule {}
