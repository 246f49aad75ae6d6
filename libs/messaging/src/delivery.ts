import { setTimeout as delay } from 'node:timers/promises';
import { deadLetterTopic } from '@cur/contracts';
import { describeError } from '@cur/platform';
import { BusRecord, DeliveryInfo, RetryPolicy } from './bus';

export type RecordHandler = (value: unknown, info: DeliveryInfo) => Promise<void>;

/** A record as a batch handler gets it: its value and where it came from. */
export interface IncomingRecord {
  value: unknown;
  info: DeliveryInfo;
}

/** Handles many records at once (one transaction): all take effect or none. */
export type BatchHandler = (records: IncomingRecord[]) => Promise<void>;

export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  deadLetter?: BusRecord;
  /** Neither delivered nor dead-lettered: the consumer stops (or lost the partition), so its offset stays uncommitted and the record is read again. */
  abandoned?: boolean;
}

/** Asked between attempts: true when the consumer stops, so what is left is abandoned rather than retried. */
export type Stopping = () => boolean;

/**
 * Bounded retry, then dead-letter, then move on: an unbounded retry would block the partition
 * behind one poison record. Errors marked `retryable = false` (invalid payloads) skip the retries.
 * When `stopping` says so, a failed record is abandoned instead of retried: a shutdown does not
 * wait out the retries, and the record comes back to whoever consumes next (at least once).
 */
export async function deliver(
  handler: RecordHandler,
  value: unknown,
  info: Omit<DeliveryInfo, 'attempt'>,
  policy: RetryPolicy,
  stopping: Stopping = () => false,
): Promise<DeliveryOutcome> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    try {
      await handler(value, { ...info, attempt });
      return { delivered: true, attempts: attempt };
    } catch (error) {
      lastError = error;
      if (isPermanent(error) || attempt === policy.maxAttempts) {
        return { delivered: false, attempts: attempt, deadLetter: deadLetterFor(info, value, error, attempt) };
      }
      if (stopping()) return { delivered: false, attempts: attempt, abandoned: true };
      await delay(Math.min(policy.backoffMs * 2 ** (attempt - 1), 5_000));
      if (stopping()) return { delivered: false, attempts: attempt, abandoned: true };
    }
  }
  return { delivered: false, attempts: policy.maxAttempts, deadLetter: deadLetterFor(info, value, lastError, policy.maxAttempts) };
}

function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;
}

/** The error for the dead-letter headers and the log: a database error by its code and table, never its message (it may quote the input). */
export function errorMessage(error: unknown): string {
  return describeError(error);
}

function deadLetterFor(info: Omit<DeliveryInfo, 'attempt'>, value: unknown, error: unknown, attempts: number): BusRecord {
  return {
    topic: deadLetterTopic(info.topic),
    key: info.key,
    value: typeof value === 'object' && value !== null ? value : { raw: String(value) },
    headers: {
      ...info.headers,
      'x-dlq-error': errorMessage(error).slice(0, 2000),
      'x-dlq-original-topic': info.topic,
      'x-dlq-original-partition': String(info.partition),
      'x-dlq-original-offset': info.offset,
      'x-dlq-attempts': String(attempts),
      'x-dlq-at': new Date().toISOString(),
    },
  };
}

/**
 * A batch in one call of its handler. When that call fails, each record goes through the handler
 * alone with the bounded retry of `deliver`, so one poison record is dead-lettered alone and the
 * others take effect. Outcomes are in the records' order; once `stopping` says so, the record being
 * retried and every one after it are abandoned (a suffix of the batch: the offsets before it can
 * be committed, the rest are read again).
 */
export async function deliverBatch(
  handler: BatchHandler,
  records: readonly { value: unknown; info: Omit<DeliveryInfo, 'attempt'> }[],
  policy: RetryPolicy,
  onBatchFailure?: (error: unknown) => void,
  stopping: Stopping = () => false,
): Promise<DeliveryOutcome[]> {
  if (records.length > 1) {
    try {
      await handler(records.map((r) => ({ value: r.value, info: { ...r.info, attempt: 1 } })));
      return records.map(() => ({ delivered: true, attempts: 1 }));
    } catch (error) {
      onBatchFailure?.(error);
    }
  }
  const outcomes: DeliveryOutcome[] = [];
  for (const { value, info } of records) {
    const outcome =
      outcomes.at(-1)?.abandoned || stopping()
        ? { delivered: false, attempts: 0, abandoned: true }
        : await deliver((v, i) => handler([{ value: v, info: i }]), value, info, policy, stopping);
    outcomes.push(outcome);
  }
  return outcomes;
}
