import { Module } from '@nestjs/common';
import { ClockService } from './clock.service';
import { MessageLifecycle } from './message-lifecycle';

/** The life cycle of messages and their clocks, for every service that changes a message. */
@Module({ providers: [ClockService, MessageLifecycle], exports: [ClockService, MessageLifecycle] })
export class LifecycleModule {}
