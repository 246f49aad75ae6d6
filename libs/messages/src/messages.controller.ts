import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { DomainException, ErrorCode } from '@cur/platform';
import { ListMessagesQuery } from './list-messages.query';
import { MessagesService } from './messages.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.ValidationFailed, 'Некорректный id', [{ field: 'id', message: 'id must be a UUID' }]),
});

@Controller('api/v1/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  list(@Query() query: ListMessagesQuery) {
    return this.messages.list(query);
  }

  @Get(':id')
  get(@Param('id', uuid) id: string) {
    return this.messages.get(id);
  }
}

@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  stats() {
    return this.messages.stats();
  }
}
