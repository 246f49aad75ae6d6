import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetterEntity } from '../entities';
import { TOPIC_NAME_PATTERN } from './outbox.repository';

export type NewDeadLetter = Omit<DeadLetterEntity, 'id' | 'seq' | 'replayedAt' | 'replayedBy' | 'replayReason'>;

export interface DeadLetterFilter {
  topic?: string;
  state: 'pending' | 'replayed' | 'all';
  limit: number;
  /** The `seq` of the previous page's last row: the next page is older. */
  beforeSeq?: string;
}

/** A dead letter taken for a replay: what goes back to its topic. */
export interface ReplayedRecord {
  id: string;
  topic: string;
  key: string;
  payload: object;
  headers: Record<string, string>;
}

/**
 * Only a record whose bytes were JSON goes back unchanged through the outbox (which stores JSON),
 * to a topic Kafka takes (the relay's rule: an event the relay set aside for an unreadable line
 * has none). Keys of any length go (the outbox's lines hold them whole).
 */
const REPLAYABLE = `payload_is_json AND topic ~ '${TOPIC_NAME_PATTERN}'`;

const COLUMNS = `id, seq::text AS seq, consumer, topic, partition, "offset", key, payload, headers, payload_is_json, error, attempts,
  dead_lettered_at, source_ref, replayed_at, replayed_by, replay_reason`;

interface Row {
  id: string;
  seq: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
  payload_is_json: boolean;
  error: string;
  attempts: number;
  dead_lettered_at: Date;
  source_ref: string | null;
  replayed_at: Date | null;
  replayed_by: string | null;
  replay_reason: string | null;
}

/** The stored headers as an object of texts, whatever a row written by hand holds: what is not a text is left out. */
function headersOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function entity(r: Row): DeadLetterEntity {
  return {
    id: r.id,
    seq: r.seq,
    consumer: r.consumer,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key: r.key,
    payload: r.payload,
    headers: headersOf(r.headers),
    payloadIsJson: r.payload_is_json,
    error: r.error,
    attempts: r.attempts,
    deadLetteredAt: r.dead_lettered_at,
    sourceRef: r.source_ref,
    replayedAt: r.replayed_at,
    replayedBy: r.replayed_by,
    replayReason: r.replay_reason,
  };
}

@Injectable()
export class DeadLetterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Records a dead letter once per `sourceRef` (a redelivered Kafka record is not counted twice). */
  /** Whether it was written: a letter of the same `sourceRef` (the same record read again) writes nothing. */
  async record(letter: NewDeadLetter): Promise<boolean> {
    const written: unknown[] = await this.dataSource.query(
      `INSERT INTO dead_letter (id, consumer, topic, partition, "offset", key, payload, payload_is_json, error, attempts, dead_lettered_at, source_ref, headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13::jsonb)
       ON CONFLICT (source_ref) DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        letter.consumer,
        letter.topic,
        letter.partition,
        letter.offset,
        letter.key,
        JSON.stringify(letter.payload ?? null),
        letter.payloadIsJson,
        letter.error,
        letter.attempts,
        letter.deadLetteredAt,
        letter.sourceRef,
        JSON.stringify(letter.headers),
      ],
    );
    return written.length > 0;
  }

  /** Newest first; `replayable` says whether a replay could send it back unchanged. */
  async list(filter: DeadLetterFilter): Promise<(DeadLetterEntity & { replayable: boolean })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.topic !== undefined) where.push(`topic = $${params.push(filter.topic)}`);
    if (filter.state === 'pending') where.push(`replayed_at IS NULL`);
    if (filter.state === 'replayed') where.push(`replayed_at IS NOT NULL`);
    if (filter.beforeSeq !== undefined) where.push(`seq < $${params.push(filter.beforeSeq)}::bigint`);
    const rows: (Row & { replayable: boolean })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${REPLAYABLE} AS replayable FROM dead_letter
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map((r) => ({ ...entity(r), replayable: r.replayable }));
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<(DeadLetterEntity & { replayable: boolean }) | null> {
    const rows: (Row & { replayable: boolean })[] = await manager.query(`SELECT ${COLUMNS}, ${REPLAYABLE} AS replayable FROM dead_letter WHERE id = $1`, [id]);
    return rows[0] ? { ...entity(rows[0]), replayable: rows[0].replayable } : null;
  }

  /**
   * Marks dead letters replayed (who, when, why) and returns them, in the caller's transaction:
   * only rows not replayed before, so two replays never send one record twice. `ids` picks rows;
   * otherwise the oldest pending replayable ones (of `topic`), at most `limit`.
   */
  async markReplayed(
    manager: EntityManager,
    pick: { ids: string[] } | { topic?: string; limit: number; upToSeq: string },
    by: string,
    reason: string,
    now: Date,
  ): Promise<ReplayedRecord[]> {
    const params: unknown[] = [now, by, reason];
    let target: string;
    if ('ids' in pick) {
      target = `id = ANY($${params.push(pick.ids)}::uuid[])`;
    } else {
      const topic = pick.topic === undefined ? '' : `AND topic = $${params.push(pick.topic)}`;
      target = `id IN (SELECT id FROM dead_letter WHERE replayed_at IS NULL AND ${REPLAYABLE} ${topic} AND seq <= $${params.push(pick.upToSeq)}::bigint
                        ORDER BY seq LIMIT $${params.push(pick.limit)} FOR UPDATE SKIP LOCKED)`;
    }
    const rows: (ReplayedRecord & { seq: string })[] = await manager.query(
      // In a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH replayed AS (
         UPDATE dead_letter SET replayed_at = $1, replayed_by = $2, replay_reason = $3
          WHERE ${target} AND replayed_at IS NULL AND ${REPLAYABLE}
          RETURNING id, topic, key, payload, headers, seq::text AS seq)
       SELECT * FROM replayed`,
      params,
    );
    // In the order they were dead-lettered: one key's records go back in their original order.
    return rows
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map(({ id, topic, key, payload, headers }) => ({ id, topic, key, payload, headers: headersOf(headers) }));
  }

  /** The newest row's `seq` ('0' when none): a «replay all» stops there, so what its own replays dead-letter again waits for people. */
  async lastSeq(): Promise<string> {
    const [row] = await this.dataSource.query<{ seq: string }[]>(`SELECT coalesce(max(seq), 0)::text AS seq FROM dead_letter`);
    return row.seq;
  }

  async pendingCount(topic?: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM dead_letter WHERE replayed_at IS NULL AND ${REPLAYABLE} ${topic === undefined ? '' : 'AND topic = $1'}`,
      topic === undefined ? [] : [topic],
    );
    return row.n;
  }
}
