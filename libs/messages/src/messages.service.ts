import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { CHANNEL_TITLES, historyTitle, isOpen, STATUS_TITLES, systemActorName } from '@cur/domain';
import { MessageAccess } from '@cur/auth';
import { MessageLifecycle } from '@cur/lifecycle';
import { ApplicantEntity, AuthRepository, MessageEntity, MessageEventEntity, MessageRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, Principal } from '@cur/platform';
import { ListMessagesQuery } from './list-messages.query';

export interface Named {
  id: string;
  name: string;
}

/** How a screen names an actor or an assignee: a person by name (the login on hover), a system by what it does. */
export interface Person {
  name: string;
  /** The person's organization; absent for systems and people without one. */
  organization?: Named;
  system: boolean;
}

export interface MessageSummary {
  id: string;
  channel: string;
  channelTitle: string;
  status: string;
  statusTitle: string;
  importance: string;
  assignee: string | null;
  rating: number | null;
  duplicateOf: string | null;
  category: { code: string; name: string } | null;
  sourceCategory: string | null;
  territory: Named | null;
  organization: Named | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  receivedAt: string;
  preview: string | null;
}

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
  async personalDataAccess(id: string) {
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

  /**
   * Names for logins, keyed by the login as written: people from the user table (with their
   * organization), systems from the domain's table; a login nobody holds any more is its own name.
   */
  async people(list: Iterable<string>): Promise<Record<string, Person>> {
    const wanted = [...new Set(list)];
    const people: Record<string, Person> = {};
    const persons = wanted.filter((login) => systemActorName(login) === null);
    const users = new Map((await this.auth.usersByLogins(persons)).map((u) => [u.login.toLowerCase(), u]));
    for (const login of wanted) {
      const system = systemActorName(login);
      if (system !== null) {
        people[login] = { name: system, system: true };
        continue;
      }
      const user = users.get(login.toLowerCase());
      const organization = this.region.named(user?.organizationId ?? null);
      people[login] = { name: user?.displayName ?? login, ...(organization ? { organization } : {}), system: false };
    }
    return people;
  }

  /** The principal's messages only: an agency sees its own and its subordinates'. */
  async list(query: ListMessagesQuery, principal: Principal): Promise<{ items: MessageSummary[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.messages.list({
      statuses: query.status,
      organizationIds: this.access.organizationFilter(principal, query.organizationId),
      channel: query.channel,
      categoryCode: query.categoryCode,
      territoryId: query.territoryId,
      importance: query.importance,
      assignee: query.assignee === 'me' ? principal.login : query.assignee,
      overdue: query.overdue,
      sort: query.sort,
      limit: query.limit + 1,
      after,
      now: this.clock.now(),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((m) => this.summary(m)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(query.sort === 'due' ? last.dueAt : last.receivedAt, last.id) : null,
    };
  }

  async stats(principal: Principal): Promise<{ byStatus: Record<string, number> }> {
    return { byStatus: await this.messages.countByStatus(this.access.organizationFilter(principal, undefined)) };
  }

  private summary(m: MessageEntity): MessageSummary {
    const category = this.region.category(m.categoryCode);
    const territory = this.region.territory(m.territoryId);
    const organization = this.region.organization(m.organizationId);
    const now = this.clock.now();
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
    };
  }
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
