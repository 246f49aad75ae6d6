import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { MessageStatus, OPEN_STATUSES } from '@cur/domain';
import { ApplicantEntity, MessageEntity, MessageEventEntity } from '../entities';
import { chunks, insertJsonRows, JsonInsert, jsonInsert, updateJsonRows } from './json-rows';

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

/** What a search looks for, besides the list's filters (which it combines with). */
export interface MessageSearch {
  /** As typed, trimmed: words of the text and address (Russian morphology), or a portal / ПОС number exactly. */
  q: string;
  /** The last ten digits when q reads as a phone number, for the applicant's phone. */
  phoneKey: string | null;
  /**
   * Whose applicants' phone and name q may match: undefined = none (personal data unseen),
   * `organizationIds` undefined = every message's.
   */
  personalData?: { organizationIds?: string[] };
}

export interface SearchFilter extends Omit<MessageListFilter, 'sort' | 'after'> {
  sort: 'received' | 'due' | 'relevance';
  /** sort=relevance: the last row's rank (a decimal as given by the previous page) and id. */
  after?: { at: Date | null; id: string } | { rank: string; id: string };
}

export interface SearchHit {
  message: MessageEntity;
  /** Exact number 2, applicant 1.5, text match ts_rank (shorter texts first at equal matches) normalized into [0, 1); six decimals, so a cursor can repeat it exactly. */
  rank: string;
  /** The applicant's fields q matched ('phone', 'name'): the message was found by its personal data. */
  personalDataFields: string[];
}

export interface SimilarFilter {
  id: string;
  text: string;
  territoryId: string | null;
  /** Received within [from, to]. */
  from: Date;
  to: Date;
  /** A closed message counts only if its status changed since. */
  closedSince: Date;
  minSimilarity: number;
  organizationIds?: string[];
  limit: number;
}

/** Highlight markers: control characters no message keeps (they are stripped from the text first), not HTML. */
export const HIGHLIGHT_START = '\u0001';
export const HIGHLIGHT_END = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "`;
const TSQUERY = `websearch_to_tsquery('russian', :q)`;

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
  async insertManyIfNew(manager: EntityManager, messages: readonly (NewMessage & Partial<Pick<MessageEntity, 'version'>>)[]): Promise<Set<string>> {
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

  /** The inserts of applicants (statements of 1,000), for `insertJsonRowsTogether`. */
  applicantInserts(manager: EntityManager, applicants: readonly NewApplicant[]): (JsonInsert | undefined)[] {
    return chunks(applicants).map((chunk) => jsonInsert(manager, ApplicantEntity, chunk));
  }

  /** The stored messages of (source, externalId) pairs: id and status, for requests that repeat one. */
  async findByKeys(
    manager: EntityManager,
    keys: readonly { source: string; externalId: string }[],
  ): Promise<{ id: string; source: string; externalId: string; status: MessageStatus }[]> {
    if (keys.length === 0) return [];
    return manager.query(
      `SELECT m.id, m.source, m.external_id AS "externalId", m.status
         FROM unnest($1::text[], $2::text[]) AS k(source, external_id)
         JOIN message m ON m.source = k.source AND m.external_id = k.external_id`,
      [keys.map((k) => k.source), keys.map((k) => k.externalId)],
    );
  }

  async addHistory(manager: EntityManager, entries: NewHistoryEntry[]): Promise<void> {
    await insertJsonRows(manager, MessageEventEntity, entries);
  }

  /**
   * The insert of history entries, for `insertJsonRowsTogether`: one statement for all of them, in
   * their order (a message's history is read in id order; the inserts of one statement run in no
   * set order, so entries split over two inserts could get their ids the other way round).
   */
  historyInsert(manager: EntityManager, entries: readonly NewHistoryEntry[]): JsonInsert | undefined {
    return jsonInsert(manager, MessageEventEntity, entries);
  }

  /** Locks the row for a state change. */
  async lockById(manager: EntityManager, id: string): Promise<MessageEntity | null> {
    return manager.findOne(MessageEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks rows for a state change in id order (so two changes of the same rows never deadlock); `skipLocked` leaves out rows locked by others. */
  async lockMany(manager: EntityManager, ids: readonly string[], skipLocked: boolean): Promise<MessageEntity[]> {
    if (ids.length === 0) return [];
    // One array parameter, not one per id: the statement's text stays the same whatever the batch's size.
    const q = manager.createQueryBuilder(MessageEntity, 'm').where('m.id = ANY(:ids::uuid[])', { ids }).orderBy('m.id', 'ASC').setLock('pessimistic_write');
    if (skipLocked) q.setOnLocked('skip_locked');
    return q.getMany();
  }

  async update(manager: EntityManager, id: string, changes: Partial<NewMessage>): Promise<void> {
    await manager.update(MessageEntity, { id }, changes);
  }

  /** Many rows' changes, one statement per set of changed columns (a batch's). */
  async updateMany(manager: EntityManager, updates: readonly { id: string; changes: Partial<NewMessage> }[]): Promise<void> {
    for (let i = 0; i < updates.length; i += 1000) await updateJsonRows(manager, MessageEntity, updates.slice(i, i + 1000));
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
    if (filter.organizationIds?.length === 0) return [];
    const q = this.filtered(filter);
    return this.ordered(q, filter.sort ?? 'received', filter.after)
      .limit(filter.limit)
      .getMany();
  }

  /**
   * The list's filters, plus what matches q: the text's and the address's words (one GIN index on
   * `message_search`), the portal / ПОС number exactly, and — within `personalData` only — the
   * applicant's phone or name. Each branch is its own indexed look-up and the union is joined to
   * the filtered messages, so no branch turns the others into a scan.
   */
  async search(filter: SearchFilter, search: MessageSearch): Promise<SearchHit[]> {
    if (filter.organizationIds?.length === 0) return [];
    const branches = [
      `SELECT message_id AS id, round(ts_rank(search_vector, ${TSQUERY}, 1 | 32)::numeric, 6) AS rank, NULL::text AS field FROM message_search WHERE search_vector @@ ${TSQUERY}`,
      `SELECT id, 2, NULL FROM message WHERE external_id = :q OR (pos ->> 'number') = :q`,
    ];
    const pd = search.personalData;
    if (pd) {
      if (pd.organizationIds?.length === 0) return this.search(filter, { ...search, personalData: undefined });
      // Joined to the message only when scoped: unscoped, the join read every message for a common surname.
      const applicants = pd.organizationIds
        ? `FROM applicant a JOIN message pm ON pm.id = a.message_id AND pm.organization_id IN (:...pdOrgs)`
        : `FROM applicant a`;
      if (search.phoneKey)
        branches.push(`SELECT a.message_id, 1.5, 'phone' ${applicants} WHERE right(regexp_replace(a.phone, '\\D', '', 'g'), 10) = :phoneKey`);
      branches.push(`SELECT a.message_id, 1.5, 'name' ${applicants} WHERE to_tsvector('simple', coalesce(a.name, '')) @@ plainto_tsquery('simple', :q)`);
    }
    const hits = `(SELECT id, max(rank) AS rank, array_remove(array_agg(DISTINCT field), NULL) AS fields FROM (${branches.join(' UNION ALL ')}) hit GROUP BY id)`;
    const q = this.filtered(filter)
      .innerJoin(hits, 'h', 'h.id = m.id')
      .addSelect('CAST(h.rank AS text)', 'search_rank')
      .addSelect('h.fields', 'search_fields')
      .setParameters({ q: search.q, phoneKey: search.phoneKey, pdOrgs: pd?.organizationIds ?? [] });
    if (filter.sort === 'relevance') {
      const after = filter.after as { rank: string; id: string } | undefined;
      if (after) q.andWhere('(h.rank, m.id) < (CAST(:afterRank AS numeric), :afterId)', { afterRank: after.rank, afterId: after.id });
      q.orderBy('h.rank', 'DESC').addOrderBy('m.id', 'DESC');
    } else {
      this.ordered(q, filter.sort, filter.after as { at: Date | null; id: string } | undefined);
    }
    const { entities, raw } = await q.limit(filter.limit).getRawAndEntities<{ m_id: string; search_rank: string; search_fields: string[] | null }>();
    const byId = new Map(raw.map((r) => [r.m_id, r]));
    return entities.map((message) => {
      const r = byId.get(message.id);
      return { message, rank: r?.search_rank ?? '0', personalDataFields: r?.search_fields ?? [] };
    });
  }

  /**
   * The matched words of each message marked with HIGHLIGHT_START / HIGHLIGHT_END (plain text, up to
   * two fragments of the text and address); null when q matched nothing in them (a number, a phone).
   */
  async highlights(ids: string[], q: string): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; headline: string | null }[] = await this.dataSource.query(
      `SELECT id, ts_headline('russian', concat_ws(' · ', translate(text, chr(1) || chr(2), ''), translate(territory_raw, chr(1) || chr(2), '')), websearch_to_tsquery('russian', $2), $3) AS headline
         FROM message WHERE id = ANY($1)`,
      [ids, q, HEADLINE_OPTIONS],
    );
    return new Map(rows.map((r) => [r.id, r.headline && r.headline.includes(HIGHLIGHT_START) ? r.headline : null]));
  }

  /**
   * Messages like this one (pg_trgm similarity of the texts at or above the threshold), same
   * territory or both without one, received within the window, not merged into another, most
   * similar first. The candidates come from the (territory, received_at) index and similarity() is
   * computed on them alone: a trigram index on the text was measured slower (`%` against a whole
   * message matches thousands of trigram lists: 120–180 ms per look-up on 100,000 messages, against
   * a few hundred candidates of one territory's four weeks).
   */
  async similar(filter: SimilarFilter): Promise<{ message: MessageEntity; similarity: number }[]> {
    if (filter.organizationIds?.length === 0) return [];
    const q = this.dataSource
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .addSelect('similarity(m.text, :text)', 'similarity')
      .where('m.id <> :id AND m.duplicate_of IS NULL AND similarity(m.text, :text) >= :min', { id: filter.id, text: filter.text, min: filter.minSimilarity })
      .andWhere(filter.territoryId ? 'm.territory_id = :territoryId' : 'm.territory_id IS NULL', { territoryId: filter.territoryId })
      .andWhere('m.received_at BETWEEN :from AND :to', { from: filter.from, to: filter.to })
      .andWhere('(m.status IN (:...open) OR m.status_changed_at >= :closedSince)', { open: OPEN_STATUSES, closedSince: filter.closedSince });
    if (filter.organizationIds) q.andWhere('m.organization_id IN (:...orgs)', { orgs: filter.organizationIds });
    const { entities, raw } = await q
      .orderBy('similarity', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .limit(filter.limit)
      .getRawAndEntities<{ m_id: string; similarity: number }>();
    const byId = new Map(raw.map((r) => [r.m_id, Number(r.similarity)]));
    return entities.map((message) => ({ message, similarity: Math.round((byId.get(message.id) ?? 0) * 1000) / 1000 }));
  }

  private filtered(filter: Omit<MessageListFilter, 'sort' | 'after' | 'limit'>): SelectQueryBuilder<MessageEntity> {
    const q = this.dataSource.getRepository(MessageEntity).createQueryBuilder('m');
    if (filter.statuses?.length) q.andWhere('m.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.organizationIds) q.andWhere('m.organization_id IN (:...orgs)', { orgs: filter.organizationIds });
    if (filter.channel) q.andWhere('m.channel = :channel', { channel: filter.channel });
    if (filter.categoryCode) q.andWhere('m.category_code = :categoryCode', { categoryCode: filter.categoryCode });
    if (filter.territoryId) q.andWhere('m.territory_id = :territoryId', { territoryId: filter.territoryId });
    if (filter.importance) q.andWhere('m.importance = :importance', { importance: filter.importance });
    if (filter.assignee) q.andWhere('m.assignee = :assignee', { assignee: filter.assignee });
    if (filter.overdue !== undefined) {
      const overdue = `(m.overdue OR (m.due_at < :now AND m.status IN (:...open)))`;
      q.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { now: filter.now, open: OPEN_STATUSES });
    }
    return q;
  }

  private ordered(
    q: SelectQueryBuilder<MessageEntity>,
    sort: 'received' | 'due',
    after: { at: Date | null; id: string } | undefined,
  ): SelectQueryBuilder<MessageEntity> {
    if (sort === 'due') {
      // Least time left first; messages without a due date after all others.
      if (after) {
        if (after.at)
          q.andWhere('(m.due_at > :afterAt OR (m.due_at = :afterAt AND m.id > :afterId) OR m.due_at IS NULL)', {
            afterAt: after.at,
            afterId: after.id,
          });
        else q.andWhere('m.due_at IS NULL AND m.id > :afterId', { afterId: after.id });
      }
      return q.orderBy('m.due_at', 'ASC', 'NULLS LAST').addOrderBy('m.id', 'ASC');
    }
    if (after) q.andWhere('(m.received_at, m.id) < (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
    return q.orderBy('m.received_at', 'DESC').addOrderBy('m.id', 'DESC');
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
