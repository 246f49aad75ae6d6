import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { BusRecord, DeadLetterEntry, DeadLetterRecorder, DeliveryInfo, PublishRefused } from '../bus';
import { BatchHandler, deliver, deliverBatch, RecordHandler } from '../delivery';
import { InProcessBroker } from '../in-process/in-process-broker';

const info = {
  topic: 'cur.message.received',
  key: 'msg-1',
  partition: 2,
  offset: '41',
  headers: { 'x-trace': 'abc' },
};
const policy = { maxAttempts: 4, backoffMs: 0 };

/** A handler doing `work` as an async function would: its throw becomes a rejection. */
function recordOf(work: (value: unknown, info: DeliveryInfo) => void): { record: RecordHandler } {
  return { record: handlerOf(work) };
}

function handlerOf(work: (value: unknown, info: DeliveryInfo) => void): RecordHandler {
  return (value, info) =>
    new Promise<void>((resolve) => {
      work(value, info);
      resolve();
    });
}

/** A handler that fails the first `failures` times with the given errors. */
function flaky(failures: number, error: () => unknown = () => new Error('database is down')) {
  const calls: DeliveryInfo[] = [];
  const handler = handlerOf((_value, delivery) => {
    calls.push(delivery);
    if (calls.length <= failures) throw error();
  });
  return { handler, calls };
}

describe('deliver (bounded retry, then dead letter)', () => {
  it('delivers on the first try without a dead letter', async () => {
    const { handler, calls } = flaky(0);
    const outcome = await deliver(handler, { id: 1 }, info, policy);
    expect(outcome).toEqual({ delivered: true, attempts: 1 });
    expect(calls).toEqual([{ ...info, attempt: 1 }]);
  });

  it('retries and succeeds on the 3rd attempt, telling the handler which attempt it is', async () => {
    const { handler, calls } = flaky(2);
    const outcome = await deliver(handler, { id: 1 }, info, policy);
    expect(outcome).toEqual({ delivered: true, attempts: 3 });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('gives the same value to every attempt', async () => {
    const seen: unknown[] = [];
    const value = { id: 7 };
    await deliver(
      handlerOf((v) => {
        seen.push(v);
        if (seen.length < 2) throw new Error('again');
      }),
      value,
      info,
      policy,
    );
    expect(seen).toEqual([value, value]);
  });

  it('after maxAttempts failures gives up with a dead letter for <topic>.dlq', async () => {
    const { handler, calls } = flaky(Infinity);
    const before = Date.now();
    const outcome = await deliver(handler, { id: 1, text: 'яма' }, info, policy);
    expect(calls).toHaveLength(4);
    expect(outcome.delivered).toBe(false);
    expect(outcome.attempts).toBe(4);
    const dead = outcome.deadLetter!;
    expect(dead.topic).toBe('cur.message.received.dlq');
    expect(dead.key).toBe('msg-1');
    expect(dead.value).toEqual({ id: 1, text: 'яма' });
    expect(dead.headers).toMatchObject({
      'x-trace': 'abc', // original headers kept
      'x-dlq-error': 'database is down',
      'x-dlq-original-topic': 'cur.message.received',
      'x-dlq-original-partition': '2',
      'x-dlq-original-offset': '41',
      'x-dlq-attempts': '4',
    });
    const at = Date.parse(dead.headers!['x-dlq-at']);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('with maxAttempts 1 does not retry at all', async () => {
    const { handler, calls } = flaky(Infinity);
    const outcome = await deliver(handler, {}, info, { maxAttempts: 1, backoffMs: 0 });
    expect(calls).toHaveLength(1);
    expect(outcome.deadLetter?.headers?.['x-dlq-attempts']).toBe('1');
  });

  it('dead-letters an error marked retryable = false after 1 attempt', async () => {
    const invalid = Object.assign(new Error('payload is not a MessageReceivedV1'), { retryable: false });
    const { handler, calls } = flaky(Infinity, () => invalid);
    const outcome = await deliver(handler, { bad: true }, info, policy);
    expect(calls).toHaveLength(1);
    expect(outcome).toMatchObject({ delivered: false, attempts: 1 });
    expect(outcome.deadLetter?.headers).toMatchObject({
      'x-dlq-error': 'payload is not a MessageReceivedV1',
      'x-dlq-attempts': '1',
    });
  });

  it('still retries an error marked retryable = true', async () => {
    const { handler, calls } = flaky(Infinity, () => Object.assign(new Error('timeout'), { retryable: true }));
    expect((await deliver(handler, {}, info, policy)).attempts).toBe(4);
    expect(calls).toHaveLength(4);
  });

  it('abandons a failing record when the consumer stops: no more attempts, no dead letter', async () => {
    let stopping = false;
    const attempts: number[] = [];
    const handler: RecordHandler = (_value, delivery) => {
      attempts.push(delivery.attempt);
      stopping = true;
      return Promise.reject(new Error('database is down'));
    };
    expect(await deliver(handler, {}, info, policy, () => stopping)).toEqual({ delivered: false, attempts: 1, abandoned: true });
    expect(attempts).toEqual([1]);
  });

  it('describes thrown non-errors too, and cuts a long message to 2000 characters', async () => {
    const stringThrown = await deliver(flaky(Infinity, () => 'plain string').handler, {}, info, { maxAttempts: 1, backoffMs: 0 });
    expect(stringThrown.deadLetter?.headers?.['x-dlq-error']).toBe('plain string');

    const objectThrown = await deliver(flaky(Infinity, () => ({ message: 'rpc error', retryable: false })).handler, {}, info, policy);
    expect(objectThrown.attempts).toBe(1);
    expect(objectThrown.deadLetter?.headers?.['x-dlq-error']).toBe('rpc error');

    const long = await deliver(
      handlerOf(() => {
        throw new Error('x'.repeat(5000));
      }),
      {},
      info,
      { maxAttempts: 1, backoffMs: 0 },
    );
    expect(long.deadLetter?.headers?.['x-dlq-error']).toHaveLength(2000);
  });

  it('wraps a non-object value so the dead letter is still a JSON object', async () => {
    const outcome = await deliver(
      handlerOf(() => {
        throw new Error('no');
      }),
      'not json',
      info,
      { maxAttempts: 1, backoffMs: 0 },
    );
    expect(outcome.deadLetter?.value).toEqual({ raw: 'not json' });
  });
});

describe('deliverBatch (one call, then one by one)', () => {
  const records = ['a', 'b', 'c', 'd'].map((key, i) => ({ value: { key }, info: { ...info, key, offset: String(i) } }));

  it('replays a failed batch record by record, so only the poison one is dead-lettered', async () => {
    const seen: string[][] = [];
    const handler: BatchHandler = (batch) => {
      seen.push(batch.map((r) => r.info.key));
      return batch.some((r) => r.info.key === 'b') ? Promise.reject(new Error('poison')) : Promise.resolve();
    };
    const outcomes = await deliverBatch(handler, records, policy);
    expect(outcomes.map((o) => (o.deadLetter ? 'dead' : o.delivered ? 'delivered' : 'other'))).toEqual(['delivered', 'dead', 'delivered', 'delivered']);
    expect(seen[0]).toEqual(['a', 'b', 'c', 'd']);
    expect(seen.filter((keys) => keys[0] === 'b')).toHaveLength(policy.maxAttempts);
  });

  it('once the consumer stops, abandons the record being retried and every one after it, and dead-letters none', async () => {
    let stopping = false;
    const seen: string[][] = [];
    const handler: BatchHandler = (batch) => {
      seen.push(batch.map((r) => r.info.key));
      if (batch.some((r) => r.info.key === 'b')) {
        // The shutdown comes while the poison record is being retried alone (the bench once waited out 500 records × 5 attempts).
        if (batch.length === 1) stopping = true;
        return Promise.reject(new Error('database is down'));
      }
      return Promise.resolve();
    };
    const outcomes = await deliverBatch(handler, records, { maxAttempts: 5, backoffMs: 0 }, undefined, () => stopping);
    expect(outcomes).toEqual([
      { delivered: true, attempts: 1 },
      { delivered: false, attempts: 1, abandoned: true },
      { delivered: false, attempts: 0, abandoned: true },
      { delivered: false, attempts: 0, abandoned: true },
    ]);
    // The batch, then a alone, then b once: c and d never reach the handler.
    expect(seen).toEqual([['a', 'b', 'c', 'd'], ['a'], ['b']]);
  });
});

describe('InProcessBroker', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    logged.mockRestore();
  });

  const record = (topic: string, key: string, value: object, headers?: Record<string, string>): BusRecord => ({ topic, key, value, headers });

  it('delivers every record to every subscriber of its topic, in publish and subscription order', async () => {
    const broker = new InProcessBroker({ maxAttempts: 3, backoffMs: 0 });
    const log: string[] = [];
    broker.subscribe(
      'a',
      recordOf((v) => void log.push(`first:${(v as { n: number }).n}`)),
    );
    broker.subscribe(
      'a',
      recordOf((v) => void log.push(`second:${(v as { n: number }).n}`)),
    );
    broker.subscribe(
      'b',
      recordOf((v) => void log.push(`b:${(v as { n: number }).n}`)),
    );

    await broker.publish([record('a', 'k1', { n: 1 }), record('b', 'k2', { n: 2 }), record('a', 'k1', { n: 3 })]);

    expect(log).toEqual(['first:1', 'second:1', 'b:2', 'first:3', 'second:3']);
  });

  it('refuses a publish with a value that is not JSON for good (the relay sets it aside), delivering none of it', async () => {
    const broker = new InProcessBroker({ maxAttempts: 3, backoffMs: 0 });
    const log: number[] = [];
    broker.subscribe(
      'a',
      recordOf((v) => void log.push((v as { n: number }).n)),
    );
    const refused = broker.publish([
      { topic: 'a', key: 'k', value: '{"n":1}' },
      { topic: 'a', key: 'k', value: '{oops' },
    ]);
    await expect(refused).rejects.toBeInstanceOf(PublishRefused);
    await expect(refused).rejects.toThrow('the value is not JSON');
    expect(log).toEqual([]);
    await broker.publish([{ topic: 'a', key: 'k', value: '{"n":1}' }]);
    expect(log).toEqual([1]);
  });

  it('resolves publish only after the handlers finished', async () => {
    const broker = new InProcessBroker({ maxAttempts: 1, backoffMs: 0 });
    let done = false;
    broker.subscribe('a', {
      record: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        done = true;
      },
    });
    await broker.publish([record('a', 'k', {})]);
    expect(done).toBe(true);
  });

  it('gives each handler its own JSON copy of the value', async () => {
    const broker = new InProcessBroker({ maxAttempts: 1, backoffMs: 0 });
    const received: unknown[] = [];
    broker.subscribe(
      'a',
      recordOf((v) => {
        received.push(v);
        (v as { items: number[] }).items.push(99); // a careless handler mutates what it got
      }),
    );
    broker.subscribe(
      'a',
      recordOf((v) => void received.push(v)),
    );
    const value = { at: new Date('2025-03-07T13:00:00Z'), items: [1], skip: undefined };

    await broker.publish([record('a', 'k', value)]);

    expect(received[0]).not.toBe(value);
    expect(received[1]).toEqual({ at: '2025-03-07T13:00:00.000Z', items: [1] }); // as it would arrive from Kafka
    expect(value.items).toEqual([1]); // the publisher's object is untouched
    expect(value.at).toBeInstanceOf(Date);
  });

  it('numbers records per topic and passes key, partition 0 and headers', async () => {
    const broker = new InProcessBroker({ maxAttempts: 1, backoffMs: 0 });
    const infos: DeliveryInfo[] = [];
    broker.subscribe(
      'a',
      recordOf((_v, i) => void infos.push(i)),
    );
    broker.subscribe(
      'b',
      recordOf((_v, i) => void infos.push(i)),
    );

    await broker.publish([record('a', 'k1', {}, { h: '1' }), record('a', 'k2', {}), record('b', 'k3', {})]);

    expect(infos).toEqual([
      { topic: 'a', key: 'k1', partition: 0, offset: '0', attempt: 1, headers: { h: '1' } },
      { topic: 'a', key: 'k2', partition: 0, offset: '1', attempt: 1, headers: {} },
      { topic: 'b', key: 'k3', partition: 0, offset: '0', attempt: 1, headers: {} },
    ]);
  });

  it('dead-letters a failing handler to <topic>.dlq subscribers, keeps it in deadLetters, and goes on', async () => {
    const broker = new InProcessBroker({ maxAttempts: 3, backoffMs: 0 });
    let attempts = 0;
    const others: unknown[] = [];
    const dlq: { value: unknown; info: DeliveryInfo }[] = [];
    broker.subscribe(
      'orders',
      recordOf(() => {
        attempts++;
        throw new Error('handler broke');
      }),
    );
    broker.subscribe(
      'orders',
      recordOf((v) => void others.push(v)),
    );
    broker.subscribe(
      'orders.dlq',
      recordOf((value, i) => void dlq.push({ value, info: i })),
    );

    await expect(broker.publish([record('orders', 'o-1', { n: 1 }), record('orders', 'o-2', { n: 2 })])).resolves.toBeUndefined();

    expect(attempts).toBe(6); // 3 attempts per record
    expect(others).toEqual([{ n: 1 }, { n: 2 }]); // the healthy subscriber still got both
    expect(dlq.map((d) => [d.info.key, d.value])).toEqual([
      ['o-1', { n: 1 }],
      ['o-2', { n: 2 }],
    ]);
    expect(dlq[0].info.topic).toBe('orders.dlq');
    expect(dlq[0].info.headers).toMatchObject({
      'x-dlq-error': 'handler broke',
      'x-dlq-original-topic': 'orders',
      'x-dlq-original-offset': '0',
      'x-dlq-attempts': '3',
    });
    expect(broker.deadLetters.map((d) => [d.topic, d.key])).toEqual([
      ['orders.dlq', 'o-1'],
      ['orders.dlq', 'o-2'],
    ]);
    expect(logged).toHaveBeenCalledTimes(2);
  });

  it('keeps a dead letter even when nobody listens on <topic>.dlq', async () => {
    const broker = new InProcessBroker({ maxAttempts: 2, backoffMs: 0 });
    broker.subscribe(
      'orders',
      recordOf(() => {
        throw Object.assign(new Error('invalid'), { retryable: false });
      }),
    );
    await broker.publish([record('orders', 'o-1', { n: 1 })]);
    expect(broker.deadLetters).toHaveLength(1);
    expect(broker.deadLetters[0].headers?.['x-dlq-attempts']).toBe('1');
  });

  it('records each dead letter with the recorder before going on; a recorder that fails fails the publish', async () => {
    const broker = new InProcessBroker({ maxAttempts: 2, backoffMs: 0 });
    const recorded: DeadLetterEntry[] = [];
    let broken = false;
    broker.recordDeadLettersIn(
      new (class extends DeadLetterRecorder {
        record(entry: DeadLetterEntry) {
          if (broken) return Promise.reject(new Error('database is down'));
          recorded.push(entry);
          return Promise.resolve();
        }
      })(),
    );
    broker.subscribe(
      'orders',
      recordOf(() => {
        throw new Error('handler broke');
      }),
    );
    await broker.publish([record('orders', 'o-1', { n: 1 }, { 'x-correlation-id': 'c-1' })]);
    expect(recorded).toEqual([
      {
        consumer: 'in-process',
        topic: 'orders',
        partition: 0,
        offset: '0',
        key: 'o-1',
        value: { n: 1 },
        json: true,
        // The record's headers, which a replay sends again.
        headers: { 'x-correlation-id': 'c-1' },
        error: 'handler broke',
        attempts: 2,
        sourceRef: null,
      },
    ]);
    // Unrecorded, the event must stay in the outbox: the publish fails and the relay sends it again.
    broken = true;
    await expect(broker.publish([record('orders', 'o-2', { n: 2 })])).rejects.toThrow('database is down');
    expect(recorded).toHaveLength(1);
  });

  it('keeps only the last 1000 dead letters', async () => {
    const broker = new InProcessBroker({ maxAttempts: 1, backoffMs: 0 });
    broker.subscribe(
      'orders',
      recordOf(() => {
        throw new Error('no');
      }),
    );
    await broker.publish(Array.from({ length: 1005 }, (_, i) => record('orders', `o-${i}`, { i })));
    expect(broker.deadLetters).toHaveLength(1000);
    expect(broker.deadLetters[0].key).toBe('o-5');
    expect(broker.deadLetters[999].key).toBe('o-1004');
  });

  it('refuses to publish after unsubscribeAll, so the outbox keeps the rows unsent', async () => {
    const broker = new InProcessBroker({ maxAttempts: 1, backoffMs: 0 });
    const seen: unknown[] = [];
    broker.subscribe(
      'a',
      recordOf((v) => void seen.push(v)),
    );
    broker.unsubscribeAll();
    await expect(broker.publish([record('a', 'k', { n: 1 })])).rejects.toThrow(/closed/);
    expect(seen).toEqual([]);
  });
});
