import { Module } from '@nestjs/common';
import { MessagesController, StatsController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({ controllers: [MessagesController, StatsController], providers: [MessagesService], exports: [MessagesService] })
export class MessagesModule {}
