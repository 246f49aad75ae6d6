import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CountedFigure } from '@cur/contracts';
import type { Channel, ReportFactDraft } from '@cur/domain';
import { MonthlyReportEntity, MonthlyReportEventEntity, ReportBreachEntity, ReportFactEntity, ReportSubmissionEntity } from '../entities';
import { insertJsonRows, insertJsonRowsTogether, JsonInsert, jsonInsert } from './json-rows';

/**
 * The definitions of libs/domain report-facts compiled to SQL, once: the aggregate and the
 * drill-down list of a figure use the same predicate over the same rows, so a list's length is
 * its figure. Flow figures look at the last fact of a kind per message in the month (`f`); the
 * state figures at each message's last fact before the month's end (`s`) and its receipt in the
 * month (`r`). $1 = the month's start, $2 = its end.
 */
export const FLOW: Partial<Record<CountedFigure, string>> = {
  answered: `f.kind = 'answered'`,
  answeredOnTime: `f.kind = 'answered' AND f.on_time`,
  answeredLate: `f.kind = 'answered' AND NOT f.on_time`,
  extensions: `f.kind = 'extended'`,
  redirects: `f.kind = 'redirected'`,
  rejectedByModeration: `f.kind = 'rejected'`,
  reconsiderations: `f.kind = 'reconsidered'`,
  ratings: `f.kind = 'rated'`,
};
export const STATE: Partial<Record<CountedFigure, string>> = {
  received: `r.message_id IS NOT NULL`,
  openOverdue: `s.open AND s.due_at < $2`,
  openNotDue: `s.open AND s.due_at >= $2`,
  openNoDueDate: `s.open AND s.due_at IS NULL`,
};

export const FLOW_ROWS = `
  SELECT DISTINCT ON (kind, message_id) kind, message_id, at, channel, category_code,
         CASE WHEN kind = 'redirected' THEN from_organization_id ELSE organization_id END AS organization_id,
         on_time, elapsed, rating
  FROM report_fact
  WHERE at >= $1 AND at < $2 AND kind IN ('answered', 'extended', 'redirected', 'rejected', 'reconsidered', 'rated')
  ORDER BY kind, message_id, at DESC, id DESC`;
/**
 * Each message's state at the end of the period: of its facts dated before the end, the one
 * recorded last (the best knowledge: a portal's answer dated back to a day arrives after that
 * day's other changes and must still close the message).
 */
export const STATE_ROWS = `
  SELECT DISTINCT ON (message_id) message_id, channel, category_code, organization_id, open, due_at
  FROM report_fact WHERE at < $2
  ORDER BY message_id, id DESC`;
/** Memory a summary's sorts may use per query (two run at once). */
export const REPORT_WORK_MEM = '128MB';

export const RECEIVED_ROWS = `SELECT DISTINCT message_id FROM report_fact WHERE kind = 'received' AND at >= $1 AND at < $2`;
/** RECEIVED_ROWS with the instant of each receipt (the first, should a message have two in the month): the day a message counts on. */
export const RECEIVED_AT_ROWS = `SELECT message_id, min(at) AS at FROM report_fact WHERE kind = 'received' AND at >= $1 AND at < $2 GROUP BY message_id`;

/** One aggregate row: a channel's totals (`organizationId` and `categoryCode` both absent), or by organization, or by category. */
/** A report fact to store: a change's fact of a message, with its time to answer when computed. */
export type ReportFactRow = ReportFactDraft & { messageId: string; elapsed?: number | null };

export interface FigureRow {
  channel: Channel;
  /** 'organization' | 'category' | 'total': what the row is grouped by. */
  by: 'organization' | 'category' | 'total';
  organizationId: string | null;
  categoryCode: string | null;
  counts: Partial<Record<CountedFigure, number>>;
  timeToAnswerMedian: number | null;
  timeToAnswerMean: number | null;
  ratingMean: number | null;
  ratingHigh: number;
}

export interface MonthScope {
  from: Date;
  to: Date;
  /** Only these organizations (an organization with its subordinates); undefined: the region. */
  organizationIds?: string[];
}

@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The facts of changes, in the changes' transaction. */
  async addFacts(manager: EntityManager, facts: readonly ReportFactRow[]): Promise<void> {
    await insertJsonRowsTogether(manager, [this.factInsert(manager, facts)]);
  }

  /**
   * The insert of `addFacts`, for `insertJsonRowsTogether`: one statement for all the facts, in
   * their order (ids follow it; the inserts of one statement run in no set order).
   */
  factInsert(manager: EntityManager, facts: readonly ReportFactRow[]): JsonInsert | undefined {
    return jsonInsert(
      manager,
      ReportFactEntity,
      facts.map((f) => ({
        messageId: f.messageId,
        kind: f.kind,
        at: f.at,
        channel: f.channel,
        categoryCode: f.categoryCode,
        organizationId: f.organizationId,
        fromOrganizationId: f.fromOrganizationId ?? null,
        open: f.open,
        dueAt: f.dueAt,
        onTime: f.onTime ?? null,
        elapsed: f.elapsed ?? null,
        rating: f.rating ?? null,
      })),
    );
  }

  /** When the message's latest re-consideration opened it, if it was ever re-considered. */
  async lastReconsideredAt(manager: EntityManager, messageId: string): Promise<Date | null> {
    const rows = await manager.query<{ at: Date }[]>(
      `SELECT at FROM report_fact WHERE message_id = $1 AND kind = 'reconsidered' ORDER BY at DESC, id DESC LIMIT 1`,
      [messageId],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * Every figure of a month at once, by channel: totals, by organization and by category (one
   * pass per fact family, grouping sets in the database; nothing per message reaches the app).
   */
  async monthFigures(scope: MonthScope): Promise<FigureRow[]> {
    const params = [scope.from, scope.to, scope.organizationIds ?? null];
    const sets = `GROUPING SETS ((channel, organization_id), (channel, category_code), (channel))`;
    const by = `CASE WHEN GROUPING(organization_id) = 0 THEN 'organization' WHEN GROUPING(category_code) = 0 THEN 'category' ELSE 'total' END AS by`;
    const count = (defs: Partial<Record<CountedFigure, string>>) =>
      Object.entries(defs)
        .map(([name, where]) => `count(*) FILTER (WHERE ${where})::int AS "${name}"`)
        .join(',\n');
    // The two families in parallel, each sorting in memory (the default work_mem spills a month's facts to disk).
    const query = (sql: string) =>
      this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
        return manager.query<Record<string, unknown>[]>(sql, params);
      });
    const [flow, state] = await Promise.all([
      query(
        `WITH f AS (${FLOW_ROWS})
       SELECT channel, organization_id, category_code, ${by},
              ${count(FLOW)},
              percentile_cont(0.5) WITHIN GROUP (ORDER BY elapsed) FILTER (WHERE f.kind = 'answered') AS median,
              avg(elapsed) FILTER (WHERE f.kind = 'answered') AS mean,
              avg(rating) FILTER (WHERE f.kind = 'rated') AS rating_mean,
              count(*) FILTER (WHERE f.kind = 'rated' AND rating >= 4)::int AS rating_high
       FROM f WHERE ($3::text[] IS NULL OR organization_id = ANY($3))
       GROUP BY ${sets}`,
      ),
      query(
        `WITH s AS (${STATE_ROWS}), r AS (${RECEIVED_ROWS})
       SELECT channel, organization_id, category_code, ${by},
              ${count(STATE)}
       FROM s LEFT JOIN r USING (message_id)
       WHERE (s.open OR r.message_id IS NOT NULL) AND ($3::text[] IS NULL OR s.organization_id = ANY($3))
       GROUP BY ${sets}`,
      ),
    ]);
    const rows = new Map<string, FigureRow>();
    const rowOf = (raw: Record<string, unknown>): FigureRow => {
      const by = raw.by as FigureRow['by'];
      const organizationId = by === 'organization' ? ((raw.organization_id as string | null) ?? null) : null;
      const categoryCode = by === 'category' ? ((raw.category_code as string | null) ?? null) : null;
      const key = `${String(raw.channel)}|${by}|${organizationId ?? ''}|${categoryCode ?? ''}`;
      let row = rows.get(key);
      if (!row)
        rows.set(
          key,
          (row = {
            channel: raw.channel as Channel,
            by,
            organizationId,
            categoryCode,
            counts: {},
            timeToAnswerMedian: null,
            timeToAnswerMean: null,
            ratingMean: null,
            ratingHigh: 0,
          }),
        );
      return row;
    };
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    for (const raw of flow) {
      const row = rowOf(raw);
      for (const name of Object.keys(FLOW) as CountedFigure[]) row.counts[name] = Number(raw[name]);
      row.timeToAnswerMedian = num(raw.median);
      row.timeToAnswerMean = num(raw.mean);
      row.ratingMean = num(raw.rating_mean);
      row.ratingHigh = Number(raw.rating_high);
    }
    for (const raw of state) {
      const row = rowOf(raw);
      for (const name of Object.keys(STATE) as CountedFigure[]) row.counts[name] = Number(raw[name]);
    }
    return [...rows.values()];
  }

  /**
   * The messages a figure counts (a drill-down), by the same definition as `monthFigures`:
   * optionally for one organization (null: ЦУР, no organization) or one category (null: none),
   * one territory of the message (null: none), or the counted fact's instant within a part of the
   * period (`within`: the receipt for `received`, the last fact of the kind for a flow figure; the
   * dashboard's day cells), each narrowing the same rows, so a cell's list is its count.
   */
  async figureMessages(
    scope: MonthScope & {
      figure: CountedFigure;
      channels: Channel[];
      organizationId?: string | null;
      categoryCode?: string | null;
      territoryId?: string | null;
      within?: { from: Date; to: Date };
      limit: number;
      offset: number;
    },
  ): Promise<{ total: number; messageIds: string[] }> {
    const flow = FLOW[scope.figure];
    const alias = flow ? 'f' : 's';
    const params: unknown[] = [scope.from, scope.to, scope.organizationIds ?? null, scope.channels];
    const where = [flow ?? STATE[scope.figure]!, `${alias}.channel = ANY($4)`, `($3::text[] IS NULL OR ${alias}.organization_id = ANY($3))`];
    if (scope.organizationId !== undefined) where.push(`${alias}.organization_id IS NOT DISTINCT FROM $${params.push(scope.organizationId)}::text`);
    if (scope.categoryCode !== undefined) where.push(`${alias}.category_code IS NOT DISTINCT FROM $${params.push(scope.categoryCode)}::text`);
    if (scope.territoryId !== undefined)
      where.push(
        `EXISTS (SELECT 1 FROM message m WHERE m.id = ${alias}.message_id AND m.territory_id IS NOT DISTINCT FROM $${params.push(scope.territoryId)}::text)`,
      );
    if (scope.within) {
      const [start, end] = [params.push(scope.within.from), params.push(scope.within.to)];
      if (flow) where.push(`f.at >= $${start} AND f.at < $${end}`);
      else if (scope.figure === 'received')
        where.push(`s.message_id IN (SELECT message_id FROM (${RECEIVED_AT_ROWS}) d WHERE d.at >= $${start} AND d.at < $${end})`);
      else throw new RangeError(`${scope.figure} is a state at the period's end: it has no instant to narrow by`);
    }
    const from = flow
      ? `WITH f AS (${FLOW_ROWS}) SELECT f.message_id FROM f`
      : `WITH s AS (${STATE_ROWS}), r AS (${RECEIVED_ROWS}) SELECT s.message_id FROM s LEFT JOIN r USING (message_id)`;
    const condition = where.join(' AND ');
    const rows = await this.dataSource.query<{ message_id: string; total: number }[]>(
      `SELECT message_id, count(*) OVER ()::int AS total FROM (${from} WHERE ${condition}) x ORDER BY message_id LIMIT ${Number(scope.limit)} OFFSET ${Number(scope.offset)}`,
      params,
    );
    if (rows.length === 0 && scope.offset > 0) {
      const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${from} WHERE ${condition}) x`, params);
      return { total: n, messageIds: [] };
    }
    return { total: rows[0]?.total ?? 0, messageIds: rows.map((r) => r.message_id) };
  }

  /** What a drill-down list shows of its messages: no text, no personal data. */
  messageRows(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.query<
      {
        id: string;
        channel: Channel;
        status: string;
        category_code: string | null;
        organization_id: string | null;
        received_at: Date;
        due_at: Date | null;
        answered_at: Date | null;
        pos_number: string | null;
      }[]
    >(
      `SELECT id, channel, status, category_code, organization_id, received_at, due_at, answered_at, pos->>'number' AS pos_number
       FROM message WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
  }

  async insertReport(manager: EntityManager, row: MonthlyReportEntity): Promise<void> {
    await manager.insert(MonthlyReportEntity, row as QueryDeepPartialEntity<MonthlyReportEntity>);
  }

  /** The next version number of a scope's summary for a month (the unique index settles a race). */
  async nextVersion(manager: EntityManager, year: number, month: number, scope: string): Promise<number> {
    const [{ v }] = await manager.query<{ v: number }[]>(
      `SELECT COALESCE(max(version), 0)::int + 1 AS v FROM monthly_report WHERE year = $1 AND month = $2 AND scope = $3`,
      [year, month, scope],
    );
    return v;
  }

  findReport(id: string): Promise<MonthlyReportEntity | null> {
    return this.dataSource.getRepository(MonthlyReportEntity).findOne({ where: { id } });
  }

  lockReport(manager: EntityManager, id: string): Promise<MonthlyReportEntity | null> {
    return manager.findOne(MonthlyReportEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateReport(manager: EntityManager, id: string, changes: Partial<Pick<MonthlyReportEntity, 'status' | 'approvedBy' | 'approvedAt'>>): Promise<void> {
    await manager.update(MonthlyReportEntity, { id }, changes);
  }

  /** The summaries of a month (every version), without their bodies. */
  listReports(filter: { year?: number; month?: number; scopes?: string[] }): Promise<Omit<MonthlyReportEntity, 'body'>[]> {
    const q = this.dataSource
      .getRepository(MonthlyReportEntity)
      .createQueryBuilder('r')
      .select([
        'r.id',
        'r.year',
        'r.month',
        'r.organizationId',
        'r.scope',
        'r.version',
        'r.status',
        'r.dataAsOf',
        'r.generatedBy',
        'r.generatedAt',
        'r.approvedBy',
        'r.approvedAt',
      ])
      .orderBy('r.year', 'DESC')
      .addOrderBy('r.month', 'DESC')
      .addOrderBy('r.scope')
      .addOrderBy('r.version', 'DESC')
      .limit(500);
    if (filter.year !== undefined) q.andWhere('r.year = :year', { year: filter.year });
    if (filter.month !== undefined) q.andWhere('r.month = :month', { month: filter.month });
    if (filter.scopes) q.andWhere('r.scope IN (:...scopes)', { scopes: filter.scopes.length ? filter.scopes : ['\u0000'] });
    return q.getMany();
  }

  async addEvent(manager: EntityManager, event: Omit<MonthlyReportEventEntity, 'id'>): Promise<void> {
    await manager.insert(MonthlyReportEventEntity, event as QueryDeepPartialEntity<MonthlyReportEventEntity>);
  }

  events(reportId: string): Promise<MonthlyReportEventEntity[]> {
    return this.dataSource.getRepository(MonthlyReportEventEntity).find({ where: { reportId }, order: { id: 'ASC' } });
  }

  /** Disciplinary measures ordered in a period (by the order's date), for the summary's discipline section. */
  measuresOrdered(from: string, to: string, organizationIds?: string[]) {
    return this.dataSource.query<
      {
        person_name: string;
        person_position: string;
        organization_id: string;
        measure: string;
        description: string;
        order_number: string | null;
        order_date: string;
        discovered_date: string;
        breaches: number;
      }[]
    >(
      `SELECT c.person_name, c.person_position, c.organization_id, c.measure, c.description, c.order_number,
              to_char(c.order_date, 'YYYY-MM-DD') AS order_date, to_char(c.discovered_date, 'YYYY-MM-DD') AS discovered_date,
              (SELECT count(*)::int FROM discipline_case_breach b WHERE b.case_id = c.id) AS breaches
       FROM discipline_case c
       WHERE c.measure IS NOT NULL AND c.order_date >= $1::date AND c.order_date < $2::date
         AND ($3::text[] IS NULL OR c.organization_id = ANY($3))
       ORDER BY c.order_date, c.person_name`,
      [from, to, organizationIds ?? null],
    );
  }

  /** Of a month's summaries generated after it ended, the first approved version per scope. */
  async approvedVersions(year: number, month: number, monthEnd: Date): Promise<Map<string, { id: string; approvedAt: Date }>> {
    const rows = await this.dataSource.query<{ scope: string; id: string; approved_at: Date }[]>(
      `SELECT DISTINCT ON (scope) scope, id, approved_at FROM monthly_report
       WHERE year = $1 AND month = $2 AND status = 'approved' AND data_as_of >= $3
       ORDER BY scope, approved_at`,
      [year, month, monthEnd],
    );
    return new Map(rows.map((r) => [r.scope, { id: r.id, approvedAt: r.approved_at }]));
  }

  /** Ties a generated summary to its submission unless one already is (another instance's). */
  async claimReport(manager: EntityManager, submissionId: string, reportId: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ReportSubmissionEntity)
      .set({ reportId })
      .where('id = :submissionId AND report_id IS NULL', { submissionId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The submissions of a month, created once (a second instance's insert changes nothing). */
  async openSubmissions(rows: ReportSubmissionEntity[]): Promise<void> {
    if (rows.length === 0) return;
    await insertJsonRows(this.dataSource.manager, ReportSubmissionEntity, rows, 'ON CONFLICT (year, month, scope) DO NOTHING');
  }

  submissions(filter: { year?: number; month?: number; scopes?: string[]; waitingOnly?: boolean }): Promise<ReportSubmissionEntity[]> {
    const q = this.dataSource.getRepository(ReportSubmissionEntity).createQueryBuilder('s');
    if (filter.year !== undefined) q.andWhere('s.year = :year', { year: filter.year });
    if (filter.month !== undefined) q.andWhere('s.month = :month', { month: filter.month });
    if (filter.scopes) q.andWhere('s.scope IN (:...scopes)', { scopes: filter.scopes.length ? filter.scopes : ['\u0000'] });
    if (filter.waitingOnly) q.andWhere('s.approved_at IS NULL');
    return q.orderBy('s.year', 'DESC').addOrderBy('s.month', 'DESC').addOrderBy('s.scope').limit(1000).getMany();
  }

  /** Submissions the watch must act on now: not generated yet, or a warning or the deadline due. */
  submissionsDue(now: Date): Promise<ReportSubmissionEntity[]> {
    return this.dataSource
      .getRepository(ReportSubmissionEntity)
      .createQueryBuilder('s')
      .where('s.report_id IS NULL')
      .orWhere('s.approved_at IS NULL AND ((s.warn_at <= :now AND s.warned_at IS NULL) OR (s.due_at < :now AND s.overdue_at IS NULL))', { now })
      .orderBy('s.due_at')
      .addOrderBy('s.scope')
      .getMany();
  }

  lockSubmission(manager: EntityManager, where: { id: string } | { year: number; month: number; scope: string }): Promise<ReportSubmissionEntity | null> {
    return manager.findOne(ReportSubmissionEntity, { where, lock: { mode: 'pessimistic_write' } });
  }

  async updateSubmission(manager: EntityManager, id: string, changes: Partial<ReportSubmissionEntity>): Promise<void> {
    await manager.update(ReportSubmissionEntity, { id }, changes);
  }

  /** A late summary's breach, once per submission; returns whether this call recorded it. */
  async insertBreach(manager: EntityManager, row: ReportBreachEntity): Promise<boolean> {
    const inserted = await insertJsonRows(manager, ReportBreachEntity, [row], 'ON CONFLICT (submission_id) DO NOTHING RETURNING id');
    return inserted.length > 0;
  }

  breachOf(manager: EntityManager, submissionId: string): Promise<ReportBreachEntity | null> {
    return manager.findOne(ReportBreachEntity, { where: { submissionId } });
  }

  async completeBreach(manager: EntityManager, id: string, approvedAt: Date, latenessWorkingMs: number | null): Promise<void> {
    await manager.update(ReportBreachEntity, { id }, { approvedAt, latenessWorkingMs: latenessWorkingMs === null ? null : String(latenessWorkingMs) });
  }

  breaches(filter: { organizationIds?: (string | null)[]; limit: number }): Promise<ReportBreachEntity[]> {
    const q = this.dataSource.getRepository(ReportBreachEntity).createQueryBuilder('b');
    if (filter.organizationIds) {
      const ids = filter.organizationIds.filter((id): id is string => id !== null);
      const region = filter.organizationIds.includes(null);
      q.andWhere(`(${ids.length ? 'b.organization_id IN (:...ids)' : 'false'}${region ? ' OR b.organization_id IS NULL' : ''})`, ids.length ? { ids } : {});
    }
    return q.orderBy('b.due_at', 'DESC').addOrderBy('b.organization_id').limit(filter.limit).getMany();
  }
}
