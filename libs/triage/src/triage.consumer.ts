import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DECIDED_BY_HEADER, parseTopicEvent, TOPICS } from '@cur/contracts';
import { BATCH, IncomingRecord, RethrowRpcFilter } from '@cur/messaging';
import { correlationIn } from '@cur/platform';
import { TriageService } from './triage.service';

@Controller()
@UseFilters(RethrowRpcFilter)
export class TriageConsumer {
  constructor(private readonly triage: TriageService) {}

  /**
   * A batch in one transaction; the bus hands a failing batch back one record at a time (a poison
   * one alone to the DLQ). Messages decided where they were admitted (intake triaging them) are
   * passed by without a transaction.
   */
  @EventPattern(TOPICS.messageReceived, BATCH)
  async onMessagesReceived(@Payload() records: IncomingRecord[]): Promise<void> {
    const undecided = records.filter((r) => !r.info.headers[DECIDED_BY_HEADER]);
    if (undecided.length === 0) return;
    // Read by the topic's contract, as it was checked when written.
    await this.triage.triageMany(
      undecided.map((r) => parseTopicEvent(TOPICS.messageReceived, r.value)),
      undecided.map((r) => correlationIn(r.info.headers) ?? undefined),
    );
  }
}
