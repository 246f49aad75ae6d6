import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntity } from '../entities';
import { insertJsonRows } from './json-rows';

/** An event to publish: built and validated by `topicEvent` (@cur/contracts). */
export interface OutboxEvent {
  eventId: string;
  topic: string;
  key: string;
  payload: object;
}

export interface ClaimedEvent extends OutboxEvent {
  id: string;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Call inside the transaction that makes the change the events describe. */
  async add(manager: EntityManager, events: readonly OutboxEvent[], now: Date): Promise<void> {
    if (events.length === 0) return;
    await insertJsonRows(
      manager,
      OutboxEntity,
      events.map((e) => ({ ...e, createdAt: now })),
    );
  }

  /**
   * Leases the oldest unsent events. The lease, not a held transaction, keeps two relays apart,
   * so publishing happens outside any transaction.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
    const rows: { id: string; event_id: string; topic: string; key: string; payload: object }[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE outbox SET claimed_until = now() + ($2::int * interval '1 millisecond')
          WHERE id IN (
            SELECT id FROM outbox
             WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
             ORDER BY id LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING id, event_id, topic, key, payload)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    return rows
      .map((r) => ({ id: String(r.id), eventId: r.event_id, topic: r.topic, key: r.key, payload: r.payload }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async markSent(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox SET sent_at = now(), claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return row.n;
  }
}
