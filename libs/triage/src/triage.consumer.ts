import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MessageReceivedV1, parseEvent, TOPICS } from '@cur/contracts';
import { BusContext, RethrowRpcFilter } from '@cur/messaging';
import { TriageService } from './triage.service';

@Controller()
@UseFilters(RethrowRpcFilter)
export class TriageConsumer {
  constructor(private readonly triage: TriageService) {}

  @EventPattern(TOPICS.messageReceived)
  async onMessageReceived(@Payload() payload: unknown, @Ctx() _ctx: BusContext): Promise<void> {
    await this.triage.triage(parseEvent(MessageReceivedV1, payload));
  }
}
