import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MessageStatus, OPEN_STATUSES } from '@cur/domain';
import { ApplicantEntity, MessageEntity, MessageEventEntity } from '../entities';
import { insertJsonRows } from './json-rows';

/** A message as written; the fields people set later start empty. */
type LaterFields = 'assignee' | 'rating' | 'ratedAt' | 'duplicateOf';
export type NewMessage = Omit<MessageEntity, 'version' | 'applicant' | LaterFields> & Partial<Pick<MessageEntity, LaterFields>>;
export type NewApplicant = Omit<ApplicantEntity, 'message'>;
export type NewHistoryEntry = Omit<MessageEventEntity, 'id'>;

export interface MessageListFilter {
  statuses?: MessageStatus[];
  /** Undefined: every organization; an empty list matches nothing. */
  organizationIds?: string[];
  channel?: string;
  categoryCode?: string;
  territoryId?: string;
  importance?: string;
  assignee?: string;
  overdue?: boolean;
  limit: number;
  sort?: 'received' | 'due';
  /** The last row of the previous page: its receivedAt (sort=received) or dueAt (sort=due, null = no due date). */
  after?: { at: Date | null; id: string };
  now: Date;
}

@Injectable()
export class MessageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts unless (source, externalId) exists; returns the stored message's id and status either way. */
  async insertIfNew(manager: EntityManager, message: NewMessage): Promise<{ created: boolean; id: string; status: MessageStatus }> {
    const inserted = await manager.createQueryBuilder().insert().into(MessageEntity).values(message).orIgnore().returning(['id', 'status']).execute();
    const raw = inserted.raw as { id: string; status: MessageStatus }[];
    if (raw.length === 1) return { created: true, id: raw[0].id, status: raw[0].status };
    const existing = await manager.findOneOrFail(MessageEntity, {
      where: { source: message.source, externalId: message.externalId },
      select: { id: true, status: true },
    });
    return { created: false, id: existing.id, status: existing.status };
  }

  /** Inserts, in one statement, the messages whose (source, externalId) is new; returns the ids inserted. */
  async insertManyIfNew(manager: EntityManager, messages: NewMessage[]): Promise<Set<string>> {
    const inserted = await insertJsonRows<MessageEntity, { id: string }>(
      manager,
      MessageEntity,
      messages,
      'ON CONFLICT (source, external_id) DO NOTHING RETURNING id',
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** What an import compares a row with: the stored message's id, status and the hash of the row it came from. */
  async findImportState(
    manager: EntityManager,
    source: string,
    externalIds: string[],
  ): Promise<{ id: string; externalId: string; status: MessageStatus; statusChangedAt: Date; rowHash: string | null }[]> {
    if (externalIds.length === 0) return [];
    return manager.query(
      `SELECT id, external_id AS "externalId", status, status_changed_at AS "statusChangedAt", pos->>'rowHash' AS "rowHash"
         FROM message WHERE source = $1 AND external_id = ANY($2)`,
      [source, externalIds],
    );
  }

  async findBySourceKeys(manager: EntityManager, source: string, externalIds: string[]): Promise<MessageEntity[]> {
    if (externalIds.length === 0) return [];
    return manager.createQueryBuilder(MessageEntity, 'm').where('m.source = :source AND m.external_id = ANY(:ids)', { source, ids: externalIds }).getMany();
  }

  async insertApplicant(manager: EntityManager, applicant: NewApplicant): Promise<void> {
    await manager.insert(ApplicantEntity, applicant);
  }

  async addHistory(manager: EntityManager, entries: NewHistoryEntry[]): Promise<void> {
    await insertJsonRows(manager, MessageEventEntity, entries);
  }

  /** Locks the row for a state change. */
  async lockById(manager: EntityManager, id: string): Promise<MessageEntity | null> {
    return manager.findOne(MessageEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks rows for a state change in id order (so two changes of the same rows never deadlock); `skipLocked` leaves out rows locked by others. */
  async lockMany(manager: EntityManager, ids: readonly string[], skipLocked: boolean): Promise<MessageEntity[]> {
    if (ids.length === 0) return [];
    const q = manager.createQueryBuilder(MessageEntity, 'm').where('m.id IN (:...ids)', { ids }).orderBy('m.id', 'ASC').setLock('pessimistic_write');
    if (skipLocked) q.setOnLocked('skip_locked');
    return q.getMany();
  }

  async update(manager: EntityManager, id: string, changes: Partial<NewMessage>): Promise<void> {
    await manager.update(MessageEntity, { id }, changes);
  }

  /** The message row alone (no applicant, no history): for access checks. */
  findRow(id: string): Promise<MessageEntity | null> {
    return this.dataSource.getRepository(MessageEntity).findOne({ where: { id } });
  }

  async findById(id: string): Promise<(MessageEntity & { history: MessageEventEntity[] }) | null> {
    const message = await this.dataSource.getRepository(MessageEntity).findOne({
      where: { id },
      relations: { applicant: true },
    });
    if (!message) return null;
    const history = await this.dataSource.getRepository(MessageEventEntity).find({ where: { messageId: id }, order: { id: 'ASC' } });
    return Object.assign(message, { history });
  }

  async list(filter: MessageListFilter): Promise<MessageEntity[]> {
    const q = this.dataSource.getRepository(MessageEntity).createQueryBuilder('m');
    if (filter.statuses?.length) q.andWhere('m.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.organizationIds) {
      if (filter.organizationIds.length === 0) return [];
      q.andWhere('m.organization_id IN (:...orgs)', { orgs: filter.organizationIds });
    }
    if (filter.channel) q.andWhere('m.channel = :channel', { channel: filter.channel });
    if (filter.categoryCode) q.andWhere('m.category_code = :categoryCode', { categoryCode: filter.categoryCode });
    if (filter.territoryId) q.andWhere('m.territory_id = :territoryId', { territoryId: filter.territoryId });
    if (filter.importance) q.andWhere('m.importance = :importance', { importance: filter.importance });
    if (filter.assignee) q.andWhere('m.assignee = :assignee', { assignee: filter.assignee });
    if (filter.overdue !== undefined) {
      const overdue = `(m.overdue OR (m.due_at < :now AND m.status IN (:...open)))`;
      q.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { now: filter.now, open: OPEN_STATUSES });
    }
    if (filter.sort === 'due') {
      // Least time left first; messages without a due date after all others.
      if (filter.after) {
        if (filter.after.at)
          q.andWhere('(m.due_at > :afterAt OR (m.due_at = :afterAt AND m.id > :afterId) OR m.due_at IS NULL)', {
            afterAt: filter.after.at,
            afterId: filter.after.id,
          });
        else q.andWhere('m.due_at IS NULL AND m.id > :afterId', { afterId: filter.after.id });
      }
      return q.orderBy('m.due_at', 'ASC', 'NULLS LAST').addOrderBy('m.id', 'ASC').limit(filter.limit).getMany();
    }
    if (filter.after) q.andWhere('(m.received_at, m.id) < (:afterAt, :afterId)', { afterAt: filter.after.at, afterId: filter.after.id });
    return q.orderBy('m.received_at', 'DESC').addOrderBy('m.id', 'DESC').limit(filter.limit).getMany();
  }

  /** Counts by status, of the given organizations' messages (undefined: all). */
  async countByStatus(organizationIds?: string[]): Promise<Record<string, number>> {
    if (organizationIds?.length === 0) return {};
    const rows: { status: string; n: number }[] = organizationIds
      ? await this.dataSource.query(`SELECT status, count(*)::int AS n FROM message WHERE organization_id = ANY($1) GROUP BY status`, [organizationIds])
      : await this.dataSource.query(`SELECT status, count(*)::int AS n FROM message GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Open messages whose due date passed and that are not flagged yet. */
  async findNewlyOverdue(now: Date, limit: number): Promise<MessageEntity[]> {
    return this.dataSource
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .where('m.overdue = false AND m.due_at < :now AND m.status IN (:...open)', { now, open: OPEN_STATUSES })
      .orderBy('m.due_at', 'ASC')
      .limit(limit)
      .getMany();
  }
}
