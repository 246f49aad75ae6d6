import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { EventsController } from './events.controller';
import { LiveUpdatesService } from './live-updates.service';
import { MessagesController, StatsController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [LifecycleModule],
  controllers: [MessagesController, StatsController, EventsController],
  providers: [MessagesService, LiveUpdatesService],
  exports: [MessagesService],
})
export class MessagesModule {}
