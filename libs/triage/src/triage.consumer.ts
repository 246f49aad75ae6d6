import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseTopicEvent, TOPICS } from '@cur/contracts';
import { RethrowRpcFilter } from '@cur/messaging';
import { TriageService } from './triage.service';

@Controller()
@UseFilters(RethrowRpcFilter)
export class TriageConsumer {
  constructor(private readonly triage: TriageService) {}

  @EventPattern(TOPICS.messageReceived)
  async onMessageReceived(@Payload() payload: unknown): Promise<void> {
    // Read by the topic's contract, as it was checked when written.
    await this.triage.triage(parseTopicEvent(TOPICS.messageReceived, payload));
  }
}
