import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MessageReceivedV1, parseEvent, TOPICS } from '@cur/contracts';
import { RethrowRpcFilter } from '@cur/messaging';
import { TriageService } from './triage.service';

@Controller()
@UseFilters(RethrowRpcFilter)
export class TriageConsumer {
  constructor(private readonly triage: TriageService) {}

  @EventPattern(TOPICS.messageReceived)
  async onMessageReceived(@Payload() payload: unknown): Promise<void> {
    await this.triage.triage(parseEvent(MessageReceivedV1, payload));
  }
}
