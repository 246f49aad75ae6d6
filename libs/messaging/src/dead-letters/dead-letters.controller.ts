import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Actor, Roles, UUID_PARAM } from '@cur/platform';
import { DeadLetterListQuery, DeadLetterReplayAllBody, DeadLetterReplayBody } from './dead-letters.dto';
import { DeadLettersService } from './dead-letters.service';

/**
 * Dead-letter queues for admins: the bus's failures and their replays. Admins only: it is the
 * running system's plumbing (like classifier versions and the access table), and a replay changes
 * what consumers do.
 */
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  /** Newest first: topic, key (the message id), error, attempts, when, the value as far as an admin may see it, the replay. */
  @Get()
  @Roles('admin')
  list(@Query() query: DeadLetterListQuery) {
    return this.deadLetters.list(query);
  }

  /** Sends every pending dead letter (of `topic`) back to its topic; each once. */
  @Post('replay')
  @HttpCode(200)
  @Roles('admin')
  replayAll(@Body() body: DeadLetterReplayAllBody, @Actor() actor: string) {
    return this.deadLetters.replayAll(body.topic, body.reason, actor);
  }

  /** Sends one dead letter back to its topic with its key and value; 409 when it was replayed already. */
  @Post(':id/replay')
  @HttpCode(200)
  @Roles('admin')
  replay(@Param('id', UUID_PARAM) id: string, @Body() body: DeadLetterReplayBody, @Actor() actor: string) {
    return this.deadLetters.replayOne(id, body.reason, actor);
  }
}
