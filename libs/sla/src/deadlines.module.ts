import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesService } from './deadlines.service';
import { SupervisionService } from './supervision.service';

/** Deadlines over HTTP: a message's clocks explained, at-risk clocks and breaches for supervisors. */
@Module({ imports: [LifecycleModule], controllers: [DeadlinesController], providers: [DeadlinesService, SupervisionService] })
export class DeadlinesModule {}
