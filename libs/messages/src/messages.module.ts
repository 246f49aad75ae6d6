import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { EventsController } from './events.controller';
import { LiveUpdatesService } from './live-updates.service';
import { MessagesController, StatsController } from './messages.controller';
import { MessagesService } from './messages.service';
import { SavedViewsController } from './saved-views/saved-views.controller';
import { SavedViewsService } from './saved-views/saved-views.service';

@Module({
  imports: [LifecycleModule],
  controllers: [MessagesController, StatsController, EventsController, SavedViewsController],
  providers: [MessagesService, LiveUpdatesService, SavedViewsService],
  exports: [MessagesService],
})
export class MessagesModule {}
