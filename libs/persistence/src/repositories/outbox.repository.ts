import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntity } from '../entities';
import { correlationHeaders } from '@cur/platform';
import { chunks, insertJsonRowsTogether, JsonInsert, jsonInsert } from './json-rows';

/** An event to publish: built and validated by `topicEvent` (@cur/contracts). */
export interface OutboxEvent {
  eventId: string;
  topic: string;
  key: string;
  payload: object;
  /** Kafka headers (the correlation id of the request or record that caused it); no personal data. */
  headers?: Record<string, string>;
}

/** A stored event as the relay publishes it: its payload as the JSON text stored (parsed only by its consumers). */
export interface ClaimedEvent extends Omit<OutboxEvent, 'payload'> {
  id: string;
  json: string;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Call inside the transaction that makes the change the events describe. An event without
   * headers carries the correlation id of the work in progress. (A statement trigger notifies the
   * relay once per insert, at commit.)
   */
  async add(manager: EntityManager, events: readonly OutboxEvent[], now: Date): Promise<void> {
    for (const insert of this.inserts(manager, events, now)) await insertJsonRowsTogether(manager, [insert]);
  }

  /** The inserts of `add` (statements of 1,000), for `insertJsonRowsTogether`. */
  inserts(manager: EntityManager, events: readonly OutboxEvent[], now: Date): (JsonInsert | undefined)[] {
    const current = correlationHeaders();
    return chunks(events).map((chunk) =>
      jsonInsert(
        manager,
        OutboxEntity,
        chunk.map((e) => ({ ...e, headers: e.headers ? { ...current, ...e.headers } : current, createdAt: now })),
      ),
    );
  }

  /**
   * The oldest events (after the id given), in id order: every row is unsent, as a published one is
   * deleted. One relay publishes at a time (it holds the relay's advisory lock, or it is the
   * embedded database's only process), so reading needs no lease.
   */
  async pending(limit: number, after?: string): Promise<ClaimedEvent[]> {
    const rows: { id: string; event_id: string; topic: string; key: string; json: string; headers: Record<string, string> | null }[] =
      await this.dataSource.query(`SELECT id, event_id, topic, key, payload::text AS json, headers FROM outbox WHERE id > $2 ORDER BY id LIMIT $1`, [
        limit,
        after ?? '0',
      ]);
    return rows.map((r) => ({ id: String(r.id), eventId: r.event_id, topic: r.topic, key: r.key, json: r.json, headers: r.headers ?? undefined }));
  }

  /**
   * Removes published events: a delete writes no new row version, where marking them sent wrote a
   * copy of each. Its commit does not wait for the WAL flush (`synchronous_commit` off for this
   * statement's transaction alone): a delete lost in a crash only publishes those rows again, which
   * the relay's at-least-once already allows, and the relay's next batch no longer waits for a
   * flush per batch (one per ~10 ms at 1,000 msg/s).
   */
  async deleteSent(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true))
       DELETE FROM outbox WHERE id = ANY($1::bigint[]) AND EXISTS (SELECT FROM unflushed)`,
      [ids],
    );
  }
}
