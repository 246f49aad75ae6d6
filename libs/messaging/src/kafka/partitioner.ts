import { ICustomPartitioner, Partitioners } from 'kafkajs';

const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`), in 32-bit integer arithmetic. kafkajs's
 * default partitioner computes the same hash with 64-bit `Long` objects, several allocated per four
 * bytes of the key: profiled under the pipeline bench, its hashing was about a third of the relay's
 * produce work in kafkajs (four records per message, each key a 36-character id).
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const at = i * 4;
    let k = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition of a keyed record as Kafka's Java client and kafkajs's default partitioner choose
 * it (`(murmur2(key) & 0x7fffffff) % partitions`), so a key keeps its partition, and its order,
 * whichever of them produced it; a record without a key, or with a partition given, is left to
 * kafkajs's own partitioner.
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.key === null || message.key === undefined || (message.partition !== null && message.partition !== undefined)) return fallback(args);
    const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
    return (murmur2(key) & 0x7fffffff) % partitionMetadata.length;
  };
};
