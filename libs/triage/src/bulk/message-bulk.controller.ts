import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, Principal, Roles } from '@cur/platform';
import { BulkMessagesBody } from './message-bulk.dto';
import { MessageBulkService } from './message-bulk.service';

@Controller('api/v1/messages')
export class MessageBulkController {
  constructor(private readonly bulk: MessageBulkService) {}

  /**
   * One action on up to 200 messages, each in its own change with its own history entry; 200 with
   * the outcome per id (`ok`, or `code` and a Russian `message`). Operators: every bulk action is
   * an operator's single-message action (categorize, importance, reject, merge), whose rules apply
   * per message.
   */
  @Post('bulk')
  @HttpCode(200)
  @Roles('operator')
  run(@Body() body: BulkMessagesBody, @CurrentUser() by: Principal) {
    return this.bulk.run(body, by);
  }
}
