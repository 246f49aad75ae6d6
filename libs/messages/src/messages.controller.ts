import { Controller, Get, Param, Query } from '@nestjs/common';
import { CurrentUser, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { ListMessagesQuery } from './list-messages.query';
import { MessagesService } from './messages.service';

@Controller('api/v1/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @Roles('operator', 'supervisor', 'executor', 'head')
  list(@Query() query: ListMessagesQuery, @CurrentUser() principal: Principal) {
    return this.messages.list(query, principal);
  }

  /** The personal data access log of a message, for those who audit it. */
  @Get(':id/personal-data-access')
  @Roles('supervisor', 'admin')
  personalDataAccess(@Param('id', UUID_PARAM) id: string) {
    return this.messages.personalDataAccess(id);
  }

  /** Messages that may be duplicates of this one (same territory, alike texts, the region's window). */
  @Get(':id/similar')
  @Roles('operator', 'supervisor', 'executor', 'head')
  similar(@Param('id', UUID_PARAM) id: string, @CurrentUser() principal: Principal) {
    return this.messages.similar(id, principal);
  }

  @Get(':id')
  @Roles('operator', 'supervisor', 'executor', 'head')
  get(@Param('id', UUID_PARAM) id: string, @CurrentUser() principal: Principal) {
    return this.messages.get(id, principal);
  }
}

@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @Roles('operator', 'supervisor', 'executor', 'head')
  stats(@CurrentUser() principal: Principal) {
    return this.messages.stats(principal);
  }
}
