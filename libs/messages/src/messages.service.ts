import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import type { MessagePage, MessageSummary, PersonalDataAccessPage, Person, SimilarPage } from '@cur/contracts';
import { CHANNEL_TITLES, historyTitle, isOpen, QUEUE_REASON_TITLES, queueReasonOf, STATUS_TITLES } from '@cur/domain';
import { MessageAccess } from '@cur/auth';
import { MessageLifecycle } from '@cur/lifecycle';
import { ApplicantEntity, AuthRepository, MessageEntity, MessageEventEntity, MessageRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, Principal } from '@cur/platform';
import { ListMessagesQuery } from './list-messages.query';

export type { MessageSummary, Named, Person } from '@cur/contracts';

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
    private readonly auth: AuthRepository,
    private readonly lifecycle: MessageLifecycle,
  ) {}

  /**
   * One message, if it is the principal's to see (else 404). The applicant's personal data is
   * shown to those who handle it, and each such showing is recorded; everyone else sees it masked.
   */
  async get(id: string, principal: Principal) {
    const message = await this.messages.findById(id);
    this.access.assertReadable(principal, message);
    const m = message as NonNullable<typeof message>;
    let applicant: ReturnType<typeof maskApplicant> | ReturnType<typeof openApplicant> | null = null;
    if (m.applicant) {
      if (this.access.seesPersonalData(principal, m)) {
        applicant = openApplicant(m.applicant);
        await this.auth.recordPersonalDataAccess({
          messageId: m.id,
          actor: principal.login,
          organizationId: principal.organizationId,
          purpose: 'message-view',
          fields: Object.entries(applicant)
            .filter(([k, v]) => k !== 'masked' && v !== null)
            .map(([k]) => k),
          at: this.clock.now(),
        });
      } else {
        applicant = maskApplicant(m.applicant);
      }
    }
    return { ...this.detail(m, applicant), actions: await this.lifecycle.actionsFor(principal, m), people: await this.people(logins(m)) };
  }

  /** Who saw the applicant's personal data of this message unmasked, when and for what (152-ФЗ). */
  async personalDataAccess(id: string): Promise<PersonalDataAccessPage> {
    const message = await this.messages.findRow(id);
    if (!message) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
    const rows = await this.auth.personalDataAccessOf(id);
    return {
      items: rows.map((r) => ({
        at: r.at.toISOString(),
        actor: r.actor,
        organization: this.region.named(r.organizationId),
        purpose: r.purpose,
        fields: r.fields,
      })),
      people: await this.people(new Set(rows.map((r) => r.actor))),
    };
  }

  private detail(message: MessageEntity & { history: MessageEventEntity[] }, applicant: unknown) {
    return {
      ...this.summary(message),
      source: message.source,
      externalId: message.externalId,
      text: message.text,
      url: message.url,
      territoryRaw: message.territoryRaw,
      organizationRaw: message.organizationRaw,
      sourceSubcategory: message.sourceSubcategory,
      sourceFact: message.sourceFact,
      classification: message.classification,
      pos: message.pos,
      applicant,
      history: message.history.map((h) => ({
        at: h.at.toISOString(),
        type: h.type,
        typeTitle: historyTitle(h.type),
        fromStatus: h.fromStatus,
        toStatus: h.toStatus,
        actor: h.actor,
        reason: h.reason,
        data: h.data,
      })),
    };
  }

  /** Names for every login a screen shows (see AuthRepository.people). */
  people(list: Iterable<string>): Promise<Record<string, Person>> {
    return this.auth.people(list, (id) => this.region.named(id));
  }

  /**
   * The principal's messages only: an agency sees its own and its subordinates'. With `q`, those that
   * match it (see ListMessagesQuery.q), each with its highlighted fragment, best match first unless
   * another sort is asked for. A message found by its applicant's phone or name is recorded in the
   * personal data access log (purpose 'search', the fields matched): the searcher learns that this
   * applicant wrote it.
   */
  async list(query: ListMessagesQuery, principal: Principal): Promise<MessagePage> {
    const sort = query.sort ?? (query.q ? 'relevance' : 'received');
    if (sort === 'relevance' && !query.q)
      throw new DomainException(ErrorCode.ValidationFailed, 'Сортировка по релевантности — только при поиске', [
        { field: 'sort', message: 'Сортировка: «по релевантности» — только вместе с поиском (q)' },
      ]);
    const filter = {
      statuses: query.status,
      organizationIds: this.access.organizationFilter(principal, query.organizationId),
      channel: query.channel,
      categoryCode: query.categoryCode,
      territoryId: query.territoryId,
      importance: query.importance,
      assignee: query.assignee === 'me' ? principal.login : query.assignee,
      overdue: query.overdue,
      limit: query.limit + 1,
      now: this.clock.now(),
    };
    if (!query.q) {
      const rows = await this.messages.list({ ...filter, sort: sort as 'received' | 'due', after: query.cursor ? decodeCursor(query.cursor) : undefined });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((m) => this.summary(m)),
        nextCursor: rows.length > query.limit && last ? encodeCursor(sort === 'due' ? last.dueAt : last.receivedAt, last.id) : null,
      };
    }
    const after = query.cursor ? (sort === 'relevance' ? decodeRelevanceCursor(query.cursor) : decodeCursor(query.cursor)) : undefined;
    const personalData = this.access.personalDataScope(principal);
    const hits = await this.messages.search(
      { ...filter, sort, after },
      {
        q: query.q,
        phoneKey: phoneKey(query.q),
        personalData: personalData ? { organizationIds: personalData.all ? undefined : personalData.organizationIds } : undefined,
      },
    );
    const page = hits.slice(0, query.limit);
    const at = this.clock.now();
    await this.auth.recordPersonalDataAccess(
      page
        .filter((h) => h.personalDataFields.length > 0)
        .map((h) => ({
          messageId: h.message.id,
          actor: principal.login,
          organizationId: principal.organizationId,
          purpose: 'search',
          fields: h.personalDataFields,
          at,
        })),
    );
    const highlights = await this.messages.highlights(
      page.map((h) => h.message.id),
      query.q,
    );
    const last = page[page.length - 1];
    return {
      items: page.map((h) => ({ ...this.summary(h.message), highlight: highlights.get(h.message.id) ?? null })),
      nextCursor:
        hits.length > query.limit && last
          ? sort === 'relevance'
            ? encodeRelevanceCursor(last.rank, last.message.id)
            : encodeCursor(sort === 'due' ? last.message.dueAt : last.message.receivedAt, last.message.id)
          : null,
    };
  }

  /**
   * Messages that may be duplicates of this one, for the card: same territory (or both without),
   * received within the region's window, open or closed within it, not merged already, texts at
   * least `duplicates.minSimilarity` alike (pg_trgm), most similar first, at most 10, of those the
   * principal may read.
   */
  async similar(id: string, principal: Principal): Promise<SimilarPage> {
    const message = await this.messages.findRow(id);
    this.access.assertReadable(principal, message);
    const m = message;
    if (!m.text?.trim()) return { items: [] };
    const { windowDays, minSimilarity } = this.region.data.duplicates;
    const window = windowDays * 24 * 60 * 60 * 1000;
    const rows = await this.messages.similar({
      id: m.id,
      text: m.text,
      territoryId: m.territoryId,
      from: new Date(m.receivedAt.getTime() - window),
      to: new Date(m.receivedAt.getTime() + window),
      closedSince: new Date(this.clock.now().getTime() - window),
      minSimilarity,
      organizationIds: this.access.organizationFilter(principal, undefined),
      limit: 10,
    });
    return { items: rows.map((r) => ({ ...this.summary(r.message), similarity: r.similarity })) };
  }

  async stats(principal: Principal): Promise<{ byStatus: Record<string, number> }> {
    return { byStatus: await this.messages.countByStatus(this.access.organizationFilter(principal, undefined)) };
  }

  private summary(m: MessageEntity): MessageSummary {
    const category = this.region.category(m.categoryCode);
    const territory = this.region.territory(m.territoryId);
    const organization = this.region.organization(m.organizationId);
    const now = this.clock.now();
    const queueReason = queueReasonOf(m.status, m.classification);
    return {
      id: m.id,
      channel: m.channel,
      channelTitle: CHANNEL_TITLES[m.channel],
      status: m.status,
      statusTitle: STATUS_TITLES[m.status] ?? m.status,
      importance: m.importance,
      assignee: m.assignee,
      rating: m.rating,
      duplicateOf: m.duplicateOf,
      category: category ? { code: category.code, name: category.name } : null,
      sourceCategory: m.sourceCategory,
      territory: territory ? { id: territory.id, name: territory.name } : null,
      organization: organization ? { id: organization.id, name: organization.name } : m.organizationRaw ? { id: '', name: m.organizationRaw } : null,
      dueAt: m.dueAt?.toISOString() ?? null,
      overdue: m.overdue || (m.dueAt !== null && isOpen(m.status) && m.dueAt < now),
      createdAt: m.createdAt.toISOString(),
      receivedAt: m.receivedAt.toISOString(),
      preview: m.text ? m.text.slice(0, 160) : null,
      queueReason,
      queueReasonTitle: queueReason ? QUEUE_REASON_TITLES[queueReason] : null,
    };
  }
}

/**
 * A phone number as the applicant's phone is matched: its last ten digits, when q has 10 or 11 digits
 * and nothing but digits, spaces, brackets, dashes and a leading + (so «+7 (918) 555-12-34»,
 * «8 918 555 12 34» and «9185551234» are one number).
 */
export function phoneKey(q: string): string | null {
  if (!/^\+?[\d\s()-]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  if (digits.length === 10) return digits;
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return digits.slice(1);
  return null;
}

/**
 * With sort=relevance the cursor is the last row's rank and id, `["r", rank, id]`: the rank as the
 * server gave it (a decimal of six places), so the next page starts exactly after it. The ranks
 * belong to the q they came from; the cursor is for the next page of the same search.
 */
function encodeRelevanceCursor(rank: string, id: string): string {
  return Buffer.from(JSON.stringify(['r', rank, id])).toString('base64url');
}

function decodeRelevanceCursor(cursor: string): { rank: string; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 3) {
    const [tag, rank, id] = decoded as unknown[];
    if (tag === 'r' && typeof rank === 'string' && /^\d{1,3}(\.\d{1,6})?$/.test(rank) && typeof id === 'string' && UUID.test(id)) return { rank, id };
  }
  throw new DomainException(ErrorCode.ValidationFailed, 'Некорректный курсор', [
    { field: 'cursor', message: 'cursor must be a nextCursor value from a previous page of the same search and sort' },
  ]);
}

/** Every login a message's card shows: its assignee, the history's actors, and assignees named in the history's changes. */
function logins(message: MessageEntity & { history: MessageEventEntity[] }): string[] {
  const found = message.assignee ? [message.assignee] : [];
  const take = (value: unknown) => {
    if (typeof value === 'string' && value) found.push(value);
  };
  for (const h of message.history) {
    found.push(h.actor);
    const data = h.data ?? {};
    const change = data.assignee as { before?: unknown; after?: unknown } | undefined;
    take(change?.before);
    take(change?.after);
    take((data.before as Record<string, unknown> | undefined)?.assignee);
    take((data.after as Record<string, unknown> | undefined)?.assignee);
  }
  return found;
}

function encodeCursor(at: Date | null, id: string): string {
  return Buffer.from(JSON.stringify([at?.toISOString() ?? null, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Only what encodeCursor writes: `[instant | null, id]`, the instant exactly as toISOString gives it
 * (so a number, a boolean, 30 February or year 0, which the database cannot hold, is refused here,
 * not by PostgreSQL) and the id a UUID.
 */
function decodeCursor(cursor: string): { at: Date | null; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [raw, id] = decoded as unknown[];
    const at = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(raw) ? new Date(raw) : undefined;
    const instant = raw === null ? null : at && !Number.isNaN(at.getTime()) && at.toISOString() === raw && at.getUTCFullYear() >= 1 ? at : undefined;
    if (instant !== undefined && typeof id === 'string' && UUID.test(id)) return { at: instant, id };
  }
  throw new DomainException(ErrorCode.ValidationFailed, 'Некорректный курсор', [
    { field: 'cursor', message: 'Курсор страницы: должен быть значением nextCursor предыдущей страницы' },
  ]);
}

export function openApplicant(a: ApplicantEntity) {
  return { name: a.name, phone: a.phone, email: a.email, epguId: a.epguId, masked: false };
}

export function maskApplicant(a: ApplicantEntity) {
  const mask = (s: string | null, keepStart: number, keepEnd: number) =>
    s === null
      ? null
      : s.length <= keepStart + keepEnd
        ? '*'.repeat(s.length)
        : s.slice(0, keepStart) + '*'.repeat(s.length - keepStart - keepEnd) + s.slice(s.length - keepEnd);
  const email = a.email ? `${mask(a.email.split('@')[0], 1, 0)}@${a.email.split('@')[1] ?? ''}` : null;
  const name = a.name
    ? a.name
        .split(/\s+/)
        .map((part, i) => (i === 0 ? mask(part, 1, 0) : `${part[0]}.`))
        .join(' ')
    : null;
  return { name, phone: mask(a.phone, 4, 2), email, epguId: a.epguId ? mask(a.epguId, 0, 2) : null, masked: true };
}
