import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel } from '@cur/domain';
import { MonthScope, RECEIVED_AT_ROWS, RECEIVED_ROWS, REPORT_WORK_MEM, STATE_ROWS } from './report.repository';

/** Received messages of a period by day and channel, by category, and by category and territory. */
export interface ReceivedBreakdown {
  byDay: { channel: Channel; day: string; received: number }[];
  byCategory: { categoryCode: string | null; received: number }[];
  byCategoryTerritory: { categoryCode: string | null; territoryId: string | null; received: number }[];
}

/**
 * The monitoring dashboard's aggregates, written over the monthly summary's SQL fragments
 * (report.repository): `received` is the summary's `received` (each message once, in the state it
 * has at the period's end), cut by the day of its receipt, its category and its territory; a
 * week's answers are the summary's `answered` over that week. So each cell is what the drill-down
 * (`figureMessages` with the same narrowing) lists. Everything is counted in the database.
 */
@Injectable()
export class DashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** As the summary's aggregates run: sorting a month's facts in memory (the default work_mem spills them to disk). */
  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      return manager.query<T>(sql, params);
    });
  }

  /** `offsetMinutes`: the region's zone, whose days the receipts are counted on. */
  async receivedBreakdown(scope: MonthScope, offsetMinutes: number): Promise<ReceivedBreakdown> {
    const rows = await this.query<
      { channel: Channel; day: string | null; category_code: string | null; territory_id: string | null; set: string; received: number }[]
    >(
      `WITH s AS (${STATE_ROWS}), r AS (${RECEIVED_AT_ROWS}),
       x AS (
         SELECT s.channel, s.category_code, m.territory_id,
                to_char((r.at AT TIME ZONE 'UTC') + make_interval(mins => $4::int), 'YYYY-MM-DD') AS day
         FROM s JOIN r USING (message_id) LEFT JOIN message m ON m.id = s.message_id
         WHERE ($3::text[] IS NULL OR s.organization_id = ANY($3)))
       SELECT channel, day, category_code, territory_id, count(*)::int AS received,
              CASE WHEN GROUPING(day) = 0 THEN 'day' WHEN GROUPING(territory_id) = 0 THEN 'territory' ELSE 'category' END AS set
       FROM x
       GROUP BY GROUPING SETS ((channel, day), (category_code), (category_code, territory_id))`,
      [scope.from, scope.to, scope.organizationIds ?? null, offsetMinutes],
    );
    const out: ReceivedBreakdown = { byDay: [], byCategory: [], byCategoryTerritory: [] };
    for (const r of rows) {
      if (r.set === 'day') out.byDay.push({ channel: r.channel, day: r.day!, received: r.received });
      else if (r.set === 'territory') out.byCategoryTerritory.push({ categoryCode: r.category_code, territoryId: r.territory_id, received: r.received });
      else out.byCategory.push({ categoryCode: r.category_code, received: r.received });
    }
    return out;
  }

  /** Received messages of a period by category (the previous month's side of the trend). */
  async receivedByCategory(scope: MonthScope): Promise<{ categoryCode: string | null; received: number }[]> {
    const rows = await this.query<{ category_code: string | null; received: number }[]>(
      `WITH s AS (${STATE_ROWS}), r AS (${RECEIVED_ROWS})
       SELECT s.category_code, count(*)::int AS received
       FROM s JOIN r USING (message_id)
       WHERE ($3::text[] IS NULL OR s.organization_id = ANY($3))
       GROUP BY s.category_code`,
      [scope.from, scope.to, scope.organizationIds ?? null],
    );
    return rows.map((r) => ({ categoryCode: r.category_code, received: r.received }));
  }

  /**
   * Final answers per week from `weeks[0]` on (each week [start, start + 7 days)), counted as the
   * summary counts `answered` over a period: each message once, by its last answer in the week,
   * which decides on time or late and the organization it counts for.
   */
  async answersByWeek(weeks: Date[], organizationIds: string[] | undefined): Promise<{ week: number; answered: number; answeredOnTime: number }[]> {
    if (weeks.length === 0) return [];
    const from = weeks[0];
    const to = new Date(weeks[weeks.length - 1].getTime() + 7 * 86_400_000);
    // The rows FLOW_ROWS gives for each week (its drill-down), in one pass: the week is part of DISTINCT ON.
    const rows = await this.query<{ week: number; answered: number; answered_on_time: number }[]>(
      `WITH a AS (
         SELECT DISTINCT ON (week, message_id) week, message_id, organization_id, on_time
         FROM (SELECT id, message_id, at, organization_id, on_time,
                      floor(extract(epoch FROM at - $1::timestamptz) / 604800)::int AS week
               FROM report_fact WHERE kind = 'answered' AND at >= $1 AND at < $2) w
         ORDER BY week, message_id, at DESC, id DESC)
       SELECT week, count(*)::int AS answered, count(*) FILTER (WHERE on_time)::int AS answered_on_time
       FROM a WHERE ($3::text[] IS NULL OR organization_id = ANY($3))
       GROUP BY week ORDER BY week`,
      [from, to, organizationIds ?? null],
    );
    return rows.map((r) => ({ week: r.week, answered: r.answered, answeredOnTime: r.answered_on_time }));
  }
}
