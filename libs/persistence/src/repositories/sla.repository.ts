import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ExtensionRequestEntity, SlaBreachEntity, SlaClockEntity, SlaWarningEntity } from '../entities';
import { chunks, JsonInsert, jsonInsert } from './json-rows';

export interface AtRiskFilter {
  now: Date;
  organizationIds?: string[];
  limit: number;
}

export interface BreachFilter {
  organizationIds?: string[];
  from?: Date;
  to?: Date;
  messageId?: string;
  limit: number;
}

/** Clocks, warnings, breaches and extension requests: the only place that knows their SQL. */
@Injectable()
export class SlaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A message's clocks; in the caller's transaction, or read on their own (manager null). */
  clocksOf(manager: EntityManager | null, messageId: string): Promise<SlaClockEntity[]> {
    return (manager ?? this.dataSource.manager).find(SlaClockEntity, { where: { messageId }, order: { createdAt: 'ASC', generation: 'ASC' } });
  }

  /** The clocks of many messages (a batch's), by message id, each list in `clocksOf`'s order. */
  async clocksOfMany(manager: EntityManager, messageIds: readonly string[]): Promise<Map<string, SlaClockEntity[]>> {
    const byMessage = new Map<string, SlaClockEntity[]>(messageIds.map((id) => [id, []]));
    if (messageIds.length === 0) return byMessage;
    const rows = await manager
      .createQueryBuilder(SlaClockEntity, 'c')
      .where('c.messageId = ANY(:ids::uuid[])', { ids: [...byMessage.keys()] })
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.generation', 'ASC')
      .getMany();
    for (const row of rows) byMessage.get(row.messageId)!.push(row);
    return byMessage;
  }

  async insertClock(manager: EntityManager, clock: SlaClockEntity): Promise<void> {
    await manager.insert(SlaClockEntity, clock);
  }

  /** The inserts of clocks (statements of 1,000), for `insertJsonRowsTogether`. */
  clockInserts(manager: EntityManager, clocks: readonly SlaClockEntity[]): (JsonInsert | undefined)[] {
    return chunks(clocks).map((chunk) => jsonInsert(manager, SlaClockEntity, chunk));
  }

  async updateClock(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<SlaClockEntity>): Promise<void> {
    await manager.update(SlaClockEntity, { id }, changes);
  }

  /** Running clocks the watch must look at, oldest check first (read without locks; each is locked in its own transaction). */
  async dueForCheck(now: Date, limit: number): Promise<{ id: string; messageId: string }[]> {
    const rows: { id: string; message_id: string }[] = await this.dataSource.query(
      `SELECT id, message_id FROM sla_clock WHERE status = 'running' AND next_check_at IS NOT NULL AND next_check_at <= $1 ORDER BY next_check_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, messageId: r.message_id }));
  }

  /**
   * Running clocks whose due date waited for a production calendar year that is now loaded: due
   * for a check at `now` instead of their hourly retry, so a restart with the new year computes
   * them in its first pass. Returns how many.
   */
  async recheckBlockedOn(years: readonly number[], now: Date): Promise<number> {
    if (years.length === 0) return 0;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SlaClockEntity)
      .set({ nextCheckAt: now })
      .where(`status = 'running' AND blocked_year IN (:...years) AND (next_check_at IS NULL OR next_check_at > :now)`, { years, now })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Open messages routed or queued before clocks existed (a database from an earlier version):
   * no clock at all, and not imported from a ПОС export (those keep the portal's own term).
   */
  async messagesWithoutClocks(openStatuses: readonly string[], limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT m.id FROM message m
        WHERE m.status = ANY($1) AND m.status <> 'new' AND m.pos IS NULL
          AND NOT EXISTS (SELECT 1 FROM sla_clock c WHERE c.message_id = m.id)
        ORDER BY m.received_at LIMIT $2`,
      [openStatuses, limit],
    );
    return rows.map((r) => r.id);
  }

  lockClock(manager: EntityManager, id: string): Promise<SlaClockEntity | null> {
    return manager.findOne(SlaClockEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** True when this call recorded it (a second call for the same clock, fraction and due date records nothing). */
  async insertWarning(manager: EntityManager, warning: Omit<SlaWarningEntity, 'id'>): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO sla_warning (clock_id, message_id, organization_id, kind, fraction, epoch, due_at, reached_at, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
      [
        warning.clockId,
        warning.messageId,
        warning.organizationId,
        warning.kind,
        warning.fraction,
        warning.epoch,
        warning.dueAt,
        warning.reachedAt,
        warning.recordedAt,
      ],
    );
    return rows.length === 1;
  }

  /** True when this call recorded it: one breach per clock, whoever notices first. */
  async insertBreach(manager: EntityManager, breach: SlaBreachEntity): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO sla_breach (id, clock_id, message_id, organization_id, kind, policy_id, due_at, recorded_at, stopped_at, lateness_working_ms, lateness_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (clock_id) DO NOTHING RETURNING id`,
      [
        breach.id,
        breach.clockId,
        breach.messageId,
        breach.organizationId,
        breach.kind,
        breach.policyId,
        breach.dueAt,
        breach.recordedAt,
        breach.stoppedAt,
        breach.latenessWorkingMs,
        breach.latenessMs,
      ],
    );
    return rows.length === 1;
  }

  async completeBreach(manager: EntityManager, clockId: string, stoppedAt: Date, latenessWorkingMs: number, latenessMs: number): Promise<void> {
    await manager.update(SlaBreachEntity, { clockId }, { stoppedAt, latenessWorkingMs: String(latenessWorkingMs), latenessMs: String(latenessMs) });
  }

  warningsOf(messageId: string): Promise<SlaWarningEntity[]> {
    return this.dataSource.getRepository(SlaWarningEntity).find({ where: { messageId }, order: { reachedAt: 'ASC' } });
  }

  breachesOf(messageId: string): Promise<SlaBreachEntity[]> {
    return this.dataSource.getRepository(SlaBreachEntity).find({ where: { messageId }, order: { dueAt: 'ASC' } });
  }

  /**
   * Running clocks that passed a warning threshold (since their last extension) and are not yet
   * due, soonest due first (= least time left). Windows (redirect) are not at risk.
   */
  async atRisk(filter: AtRiskFilter): Promise<(SlaClockEntity & { fraction: number })[]> {
    const q = this.dataSource
      .getRepository(SlaClockEntity)
      .createQueryBuilder('c')
      .innerJoin(
        (sub) =>
          sub
            .select('w.clock_id', 'clock_id')
            .addSelect('w.epoch', 'epoch')
            .addSelect('max(w.fraction)', 'fraction')
            .from(SlaWarningEntity, 'w')
            .groupBy('w.clock_id')
            .addGroupBy('w.epoch'),
        'w',
        'w.clock_id = c.id AND w.epoch = c.extensions',
      )
      .addSelect('w.fraction', 'w_fraction')
      .where(`c.status = 'running' AND c.due_at > :now AND c.kind <> 'redirect'`, { now: filter.now });
    if (filter.organizationIds) q.andWhere('c.organization_id IN (:...orgs)', { orgs: filter.organizationIds.length ? filter.organizationIds : ['\u0000'] });
    const { entities, raw } = await q.orderBy('c.due_at', 'ASC').addOrderBy('c.id', 'ASC').limit(filter.limit).getRawAndEntities();
    return entities.map((e, i) => Object.assign(e, { fraction: Number((raw[i] as { w_fraction: number }).w_fraction) }));
  }

  /**
   * Final answers given in [from, to), on time or late, by organization and by week (weeks start on
   * Monday in the region's zone).
   */
  async answerOutcomes(filter: {
    organizationIds?: string[];
    from: Date;
    to: Date;
    offsetMinutes: number;
  }): Promise<{ organizationId: string | null; week: string; met: number; late: number }[]> {
    if (filter.organizationIds?.length === 0) return [];
    const params: unknown[] = [filter.from, filter.to, filter.offsetMinutes];
    if (filter.organizationIds) params.push(filter.organizationIds);
    return this.dataSource.query(
      `SELECT c.organization_id AS "organizationId", to_char(date_trunc('week', (c.stopped_at AT TIME ZONE 'UTC') + make_interval(mins => $3::int)), 'YYYY-MM-DD') AS week,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM sla_breach b WHERE b.clock_id = c.id))::int AS met,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sla_breach b WHERE b.clock_id = c.id))::int AS late
         FROM sla_clock c
        WHERE c.kind = 'final_answer' AND c.status = 'stopped' AND c.stopped_at >= $1 AND c.stopped_at < $2
          ${filter.organizationIds ? 'AND c.organization_id = ANY($4)' : ''}
        GROUP BY 1, 2`,
      params,
    );
  }

  /** Answer clocks past their due date and still running, by organization. */
  async overdueNow(filter: { organizationIds?: string[]; now: Date }): Promise<{ organizationId: string | null; n: number }[]> {
    if (filter.organizationIds?.length === 0) return [];
    const params: unknown[] = [filter.now];
    if (filter.organizationIds) params.push(filter.organizationIds);
    return this.dataSource.query(
      `SELECT organization_id AS "organizationId", count(*)::int AS n FROM sla_clock
        WHERE kind = 'final_answer' AND status = 'running' AND due_at < $1 ${filter.organizationIds ? 'AND organization_id = ANY($2)' : ''}
        GROUP BY 1`,
      params,
    );
  }

  breaches(filter: BreachFilter): Promise<SlaBreachEntity[]> {
    const q = this.dataSource.getRepository(SlaBreachEntity).createQueryBuilder('b');
    if (filter.organizationIds) q.andWhere('b.organization_id IN (:...orgs)', { orgs: filter.organizationIds.length ? filter.organizationIds : ['\u0000'] });
    if (filter.from) q.andWhere('b.due_at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('b.due_at < :to', { to: filter.to });
    if (filter.messageId) q.andWhere('b.message_id = :messageId', { messageId: filter.messageId });
    return q.orderBy('b.due_at', 'DESC').addOrderBy('b.id', 'DESC').limit(filter.limit).getMany();
  }

  breachesByIds(manager: EntityManager, ids: string[]): Promise<SlaBreachEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.createQueryBuilder(SlaBreachEntity, 'b').where('b.id IN (:...ids)', { ids }).getMany();
  }

  // Extension requests

  async insertExtension(manager: EntityManager, request: ExtensionRequestEntity): Promise<void> {
    await manager.insert(ExtensionRequestEntity, request);
  }

  extensionsOf(manager: EntityManager, messageId: string): Promise<ExtensionRequestEntity[]> {
    return manager.find(ExtensionRequestEntity, { where: { messageId }, order: { requestedAt: 'ASC' } });
  }

  listExtensions(messageId: string): Promise<ExtensionRequestEntity[]> {
    return this.dataSource.getRepository(ExtensionRequestEntity).find({ where: { messageId }, order: { requestedAt: 'ASC' } });
  }

  async updateExtension(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<ExtensionRequestEntity>): Promise<void> {
    await manager.update(ExtensionRequestEntity, { id }, changes);
  }
}
