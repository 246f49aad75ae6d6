import { Module } from '@nestjs/common';
import { ClockService } from './clock.service';

/** The clocks of messages, for every service that changes a message's state. */
@Module({ providers: [ClockService], exports: [ClockService] })
export class ClocksModule {}
