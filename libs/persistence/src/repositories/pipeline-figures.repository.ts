import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '@cur/domain';

/** The actor and history types of triage's automatic decisions (the partial index of migration 1765300400000 holds exactly these). */
const TRIAGE_DECISIONS = `actor = 'system:triage' AND type IN ('routed', 'needs-triage')`;

/**
 * Read-only figures for the gauges of GET /metrics, one cheap query each. Every query runs in its
 * own short transaction with a statement timeout, so a slow database cancels it rather than
 * leaving it behind a scrape that gave up; on the embedded database only that transaction's
 * queries use the one connection meanwhile. Ages are measured on the database's clock.
 */
@Injectable()
export class PipelineFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Unsent outbox events (all of them: the relay deletes what it published; a row holds the
   * events of one write) and the age of the oldest, seconds (0 when none waits); the oldest is the
   * first row by the primary key (ids grow with insertion) instead of visiting every pending row
   * for min() (measured on 100,000 pending rows: 55 ms against 95 ms).
   */
  async outboxBacklog(timeoutMs: number): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.read<{ pending: number; oldest_age_seconds: number }>(
      timeoutMs,
      `SELECT (SELECT coalesce(sum(event_count), 0) FROM outbox)::int AS pending,
              coalesce(extract(epoch FROM now() - (SELECT enqueued_at FROM outbox ORDER BY id LIMIT 1)), 0)::float8
                AS oldest_age_seconds`,
    );
    return { pending: row.pending, oldestAgeSeconds: Math.max(0, row.oldest_age_seconds) };
  }

  /** Dead letters by original topic, pending (not replayed) or replayed. */
  async deadLetters(timeoutMs: number): Promise<{ topic: string; status: 'pending' | 'replayed'; count: number }[]> {
    const rows = await this.read<{ topic: string; status: 'pending' | 'replayed'; n: number }>(
      timeoutMs,
      `SELECT topic, CASE WHEN replayed_at IS NULL THEN 'pending' ELSE 'replayed' END AS status, count(*)::int AS n
         FROM dead_letter GROUP BY 1, 2`,
    );
    return rows.map((r) => ({ topic: r.topic, status: r.status, count: r.n }));
  }

  /** Open messages, and those of them flagged overdue (by the deadline watch, on the services' clock). */
  async openMessages(timeoutMs: number): Promise<{ open: number; overdue: number }> {
    const [row] = await this.read<{ open: number; overdue: number }>(
      timeoutMs,
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE overdue)::int AS overdue FROM message WHERE status = ANY($1)`,
      [OPEN_STATUSES],
    );
    return row;
  }

  /**
   * Triage's automatic decisions in the 24 hours up to the latest one, and how many of them routed.
   * The window ends at the latest decision, not at now(): the history's times come from the
   * triage service's clock, which `CUR_CLOCK_FROM` may shift, and the window must hold them.
   */
  async triageDecisions(timeoutMs: number): Promise<{ routed: number; decided: number }> {
    const [row] = await this.read<{ routed: number; decided: number }>(
      timeoutMs,
      `SELECT count(*) FILTER (WHERE type = 'routed')::int AS routed, count(*)::int AS decided
         FROM message_event
        WHERE ${TRIAGE_DECISIONS}
          AND at >= (SELECT max(at) FROM message_event WHERE ${TRIAGE_DECISIONS}) - interval '24 hours'`,
    );
    return row;
  }

  private read<T>(timeoutMs: number, sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [String(Math.max(1, Math.round(timeoutMs)))]);
      return manager.query<T[]>(sql, parameters);
    });
  }
}
