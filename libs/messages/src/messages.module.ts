import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { MessagesController, StatsController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({ imports: [LifecycleModule], controllers: [MessagesController, StatsController], providers: [MessagesService], exports: [MessagesService] })
export class MessagesModule {}
