import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseTopicEvent, TOPICS } from '@cur/contracts';
import { BATCH, IncomingRecord, RethrowRpcFilter } from '@cur/messaging';
import { CORRELATION_HEADER } from '@cur/platform';
import { TriageService } from './triage.service';

@Controller()
@UseFilters(RethrowRpcFilter)
export class TriageConsumer {
  constructor(private readonly triage: TriageService) {}

  /** A batch in one transaction; the bus hands a failing batch back one record at a time (a poison one alone to the DLQ). */
  @EventPattern(TOPICS.messageReceived, BATCH)
  async onMessagesReceived(@Payload() records: IncomingRecord[]): Promise<void> {
    // Read by the topic's contract, as it was checked when written.
    await this.triage.triageMany(
      records.map((r) => parseTopicEvent(TOPICS.messageReceived, r.value)),
      records.map((r) => r.info.headers[CORRELATION_HEADER]),
    );
  }
}
