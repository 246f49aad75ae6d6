import { Injectable, Logger, Optional } from '@nestjs/common';
import { DeadLetterRepository } from '@cur/persistence';
import { Clock, CORRELATION_HEADER, correlationIn, describeError, Metrics } from '@cur/platform';
import { DeadLetterEntry, DeadLetterRecorder } from '../bus';

/** Both buses record their dead letters here: the `dead_letter` table. */
@Injectable()
export class DeadLetterTable extends DeadLetterRecorder {
  private readonly logger = new Logger(DeadLetterTable.name);

  constructor(
    private readonly letters: DeadLetterRepository,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: Metrics,
  ) {
    super();
  }

  /**
   * Writes it so that writing cannot fail for ever because of what it holds (which would bring the
   * record back, and fail again, for ever): PostgreSQL's texts hold no NUL, kept as U+FFFD in the
   * topic, key, error, source and headers (a header that is not well-formed text, which jsonb
   * refuses, is left out, and so is a correlation id that is not a UUID: a replay would send it
   * on, and it could be personal data); a value jsonb does not take (\u0000, a lone surrogate: a
   * data exception, SQLSTATE class 22) is kept as its JSON text's bytes, and should jsonb still
   * refuse the letter, it is kept without its headers. Any other failure is thrown.
   */
  async record(entry: DeadLetterEntry): Promise<void> {
    const letter = {
      consumer: storable(entry.consumer),
      topic: storable(entry.topic),
      partition: entry.partition,
      offset: storable(entry.offset),
      key: storable(entry.key),
      payload: entry.value,
      payloadIsJson: entry.json,
      headers: storableHeaders(entry.headers),
      error: storable(entry.error),
      attempts: entry.attempts,
      deadLetteredAt: this.clock.now(),
      sourceRef: entry.sourceRef === null ? null : storable(entry.sourceRef),
    };
    const asBytes = { ...letter, payload: { unparsable: Buffer.from(JSON.stringify(entry.value) ?? '').toString('base64') }, payloadIsJson: false };
    // What is written, in turn, while jsonb refuses it.
    const forms = [
      { letter, kept: '' },
      ...(entry.json ? [{ letter: asBytes, kept: 'its value as bytes' }] : []),
      { letter: { ...(entry.json ? asBytes : letter), headers: {} }, kept: entry.json ? 'its value as bytes and no headers' : 'no headers' },
    ];
    let written = false;
    let refused = '';
    for (const [i, form] of forms.entries()) {
      try {
        written = await this.letters.record(form.letter);
        if (form.kept) this.logger.warn(`a dead letter of ${letter.topic} kept ${form.kept}: jsonb refused it as it was (${refused})`);
        break;
      } catch (error) {
        if (i === forms.length - 1 || !isDataException(error)) throw error;
        refused = describeError(error);
      }
    }
    // Counted once, as it is kept once (a record read again after a crash is not a new letter).
    if (written) this.metrics?.deadLettersTotal.inc({ topic: letter.topic });
  }
}

function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

/** A lone half of a surrogate pair: not text jsonb takes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storableHeaders(headers: Record<string, string> = {}): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (LONE_SURROGATE.test(name) || LONE_SURROGATE.test(value)) continue;
    if (name === CORRELATION_HEADER && !correlationIn(headers)) continue;
    kept[storable(name)] = storable(value);
  }
  return kept;
}

function isDataException(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && code.startsWith('22');
}
