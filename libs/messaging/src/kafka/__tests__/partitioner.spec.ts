import { createHash } from 'node:crypto';
import { PartitionerArgs, Partitioners } from 'kafkajs';
import { KeyHashPartitioner, murmur2 } from '../partitioner';

/** kafkajs's own hash (64-bit Long arithmetic), the reference here: not part of its typed API. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

/** Bytes that look random but are the same on every run: the i-th of a given length. */
const bytes = (i: number, length: number): Buffer => {
  const out = Buffer.alloc(length);
  for (let at = 0, n = 0; at < length; n++) at += createHash('sha256').update(`${i}/${length}/${n}`).digest().copy(out, at);
  return out;
};
/** A message id as the outbox keys records by (a UUID's text). */
const id = (i: number): string => {
  const hex = bytes(i, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const args = (key: string | Buffer | null, partitions: number): PartitionerArgs => ({
  topic: 'cur.message.events',
  partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] })),
  message: { key, value: '{}' },
});

describe('KeyHashPartitioner', () => {
  it("hashes as the Java client's Utils.murmur2 (the values of Kafka's own test)", () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect([key, murmur2(Buffer.from(key))]).toEqual([key, hash]);
  });

  it("gives kafkajs's hash for ids, every length of random bytes and non-ASCII text", () => {
    const keys: Buffer[] = [Buffer.alloc(0), Buffer.from('Таганрог, ул. Ленина')];
    for (let i = 0; i < 2_000; i++) keys.push(Buffer.from(id(i)));
    for (let length = 1; length <= 64; length++) for (let i = 0; i < 20; i++) keys.push(bytes(i, length));
    const differ = keys.filter((key) => murmur2(key) !== kafkajsMurmur2(key));
    expect(differ.map((k) => k.toString('hex'))).toEqual([]);
  });

  it("puts a keyed record in the partition kafkajs's default partitioner puts it in", () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 12, 50]) {
      for (let i = 0; i < 500; i++) {
        const key = i % 2 ? id(i) : bytes(i, 1 + (i % 40));
        expect(ours(args(key, partitions))).toBe(theirs(args(key, partitions)));
      }
    }
  });

  it('leaves a record without a key, or with its partition given, to kafkajs', () => {
    const ours = KeyHashPartitioner();
    const given = args('key', 6);
    given.message.partition = 4;
    expect(ours(given)).toBe(4);
    const spread = new Set(Array.from({ length: 60 }, () => ours(args(null, 6))));
    expect(spread.size).toBeGreaterThan(1); // round robin, not one partition
  });
});
