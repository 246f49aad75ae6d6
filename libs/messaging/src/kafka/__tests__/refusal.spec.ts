import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { refusalOf } from '../kafka-publisher';

/** kafkajs's protocol error for a broker's error code, as its producer throws it: not part of its typed API. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => KafkaJSProtocolError };
/** kafkajs's retrier, which its producer's send runs in: what it throws when it gives up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: object) => (fn: () => Promise<unknown>) => Promise<unknown>;
const thrownBy = (retry: object, error: Error) =>
  createRetry({ initialRetryTime: 1, maxRetryTime: 2, ...retry })(() => Promise.reject(error)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );

describe('a refusal for good among kafkajs errors', () => {
  it('is found in the protocol error, as kafkajs wraps it when it gives up at once, and inside a group of errors', async () => {
    const tooLarge = createErrorFromCode(10);
    expect(refusalOf(tooLarge)).toBe('MESSAGE_TOO_LARGE');
    const wrapped = await thrownBy({ retries: 5 }, tooLarge);
    expect(wrapped).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(refusalOf(wrapped)).toBe('MESSAGE_TOO_LARGE');
    expect(refusalOf(new KafkaJSAggregateError('several', [new KafkaJSConnectionError('closed'), createErrorFromCode(18)]))).toBe('RECORD_LIST_TOO_LARGE');
    expect(refusalOf(createErrorFromCode(87))).toBe('INVALID_RECORD');
    expect(refusalOf(createErrorFromCode(17))).toBe('INVALID_TOPIC_EXCEPTION');
  });

  it('is not found in what may pass: a broker gone, a leader moving, retries run out on them, or any other error', async () => {
    const leader = createErrorFromCode(6); // NOT_LEADER_FOR_PARTITION
    expect(leader.retriable).toBe(true);
    expect(refusalOf(leader)).toBeUndefined();
    const exhausted = await thrownBy({ retries: 1 }, new KafkaJSConnectionError('Connection error: ECONNREFUSED'));
    expect(exhausted).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect(refusalOf(exhausted)).toBeUndefined();
    expect(refusalOf(await thrownBy({ retries: 1 }, leader))).toBeUndefined();
    expect(refusalOf(createErrorFromCode(29))).toBeUndefined(); // TOPIC_AUTHORIZATION_FAILED: for people to mend, not the records
    expect(refusalOf(new Error('MESSAGE_TOO_LARGE'))).toBeUndefined();
    expect(refusalOf(undefined)).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(refusalOf(loop)).toBeUndefined();
  });
});
