import { Injectable, Optional } from '@nestjs/common';
import { DeadLetterRepository } from '@cur/persistence';
import { Clock, Metrics } from '@cur/platform';
import { DeadLetterEntry, DeadLetterRecorder } from '../bus';

/** Both buses record their dead letters here: the `dead_letter` table. */
@Injectable()
export class DeadLetterTable extends DeadLetterRecorder {
  constructor(
    private readonly letters: DeadLetterRepository,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: Metrics,
  ) {
    super();
  }

  async record(entry: DeadLetterEntry): Promise<void> {
    const written = await this.letters.record({
      consumer: entry.consumer,
      topic: entry.topic,
      partition: entry.partition,
      offset: entry.offset,
      key: entry.key,
      payload: entry.value,
      payloadIsJson: entry.json,
      error: entry.error,
      attempts: entry.attempts,
      deadLetteredAt: this.clock.now(),
      sourceRef: entry.sourceRef,
    });
    // Counted once, as it is kept once (a record read again after a crash is not a new letter).
    if (written) this.metrics?.deadLettersTotal.inc({ topic: entry.topic });
  }
}
