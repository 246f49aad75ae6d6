import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

@Injectable()
export class ProcessedEventRepository {
  /**
   * Records that a consumer handled an event, in the transaction of the effect. False means it was
   * handled before: the caller must roll back and skip.
   */
  async markProcessed(manager: EntityManager, consumer: string, eventId: string, now: Date): Promise<boolean> {
    const rows = await manager.query<{ event_id: string }[]>(
      `INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventId, now],
    );
    return rows.length === 1;
  }

  /** `markProcessed` for many events in one statement: returns the ids recorded now (the others were handled before). */
  async markProcessedMany(manager: EntityManager, consumer: string, eventIds: readonly string[], now: Date): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await manager.query<{ event_id: string }[]>(
      `INSERT INTO processed_event (consumer, event_id, processed_at) SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, [...new Set(eventIds)], now],
    );
    return new Set(rows.map((r) => r.event_id));
  }
}
