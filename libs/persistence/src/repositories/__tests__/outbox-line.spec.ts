import { readOutboxLine } from '../outbox.repository';

/** A line as the outbox writes it: `[topic, key, headers]`, a tab, the payload's JSON. */
const line = (address: unknown, payload = '{"n":1,"text":"Яма\\tна дороге"}') => `${JSON.stringify(address)}\t${payload}`;

describe('an outbox line as the relay reads it', () => {
  it('reads the topic, key and headers, and keeps the payload as stored (a tab inside the payload included)', () => {
    expect(readOutboxLine('7', 3, line(['cur.message.events', 'a-key', { 'x-correlation-id': 'c1' }]))).toEqual({
      id: '7',
      line: 3,
      topic: 'cur.message.events',
      key: 'a-key',
      json: '{"n":1,"text":"Яма\\tна дороге"}',
      headers: { 'x-correlation-id': 'c1' },
    });
    const bare = readOutboxLine('7', 1, line(['cur.message.routed', '', null], '[]'));
    expect(bare).toEqual({ id: '7', line: 1, topic: 'cur.message.routed', key: '', json: '[]', headers: undefined });
    expect(bare.unreadable).toBeUndefined();
  });

  it.each([
    ['no tab', 'garbage', 'no tab between', ''],
    ['an address that is not JSON', '[cur.x, k]\t{}', 'is not JSON', ''],
    ['an address of two parts', line(['cur.x', 'k']), 'is not [topic, key, headers]', ''],
    ['an object for an address', line({ topic: 'cur.x' }), 'is not [topic, key, headers]', ''],
    ['a topic Kafka would refuse', line(['cur message', 'k', null]), 'not a Kafka topic name', 'cur message'],
    ['an empty topic', line(['', 'k', null]), 'not a Kafka topic name', ''],
    ['a topic of 250 characters', line(['t'.repeat(250), 'k', null]), 'not a Kafka topic name', 't'.repeat(250)],
    ['a number for a topic', line([5, 'k', null]), 'not a Kafka topic name', ''],
    ['the topic `.`', line(['.', 'k', null]), 'not a Kafka topic name', '.'],
    ['the topic `..`', line(['..', 'k', null]), 'not a Kafka topic name', '..'],
    ['a number for a key', line(['cur.x', 5, null]), 'key is not a text', 'cur.x'],
    ['an array for headers', line(['cur.x', 'k', ['a']]), 'headers are not an object of texts', 'cur.x'],
    ['a header that is not a text', line(['cur.x', 'k', { a: 1 }]), 'headers are not an object of texts', 'cur.x'],
    ['a text for headers', line(['cur.x', 'k', 'a']), 'headers are not an object of texts', 'cur.x'],
  ])('names what is wrong with a line with %s, and keeps the line whole', (_, text, reason, topic) => {
    const read = readOutboxLine('12', 2, text);
    expect(read.unreadable).toContain(reason);
    expect(read).toMatchObject({ id: '12', line: 2, topic, key: '', json: text });
  });
});
