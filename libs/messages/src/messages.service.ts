import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { CHANNEL_TITLES, isOpen, STATUS_TITLES } from '@cur/domain';
import { ApplicantEntity, MessageEntity, MessageRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';
import { ListMessagesQuery } from './list-messages.query';

export interface Named {
  id: string;
  name: string;
}

export interface MessageSummary {
  id: string;
  channel: string;
  channelTitle: string;
  status: string;
  statusTitle: string;
  importance: string;
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
  ) {}

  async get(id: string) {
    const message = await this.messages.findById(id);
    if (!message) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
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
      // Personal data is masked until role-based access lands: only the handlers may see it in full.
      applicant: message.applicant ? maskApplicant(message.applicant) : null,
      history: message.history.map((h) => ({
        at: h.at.toISOString(),
        type: h.type,
        fromStatus: h.fromStatus,
        toStatus: h.toStatus,
        actor: h.actor,
        reason: h.reason,
        data: h.data,
      })),
    };
  }

  async list(query: ListMessagesQuery): Promise<{ items: MessageSummary[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.messages.list({
      statuses: query.status,
      organizationId: query.organizationId,
      channel: query.channel,
      overdue: query.overdue,
      limit: query.limit + 1,
      after,
      now: this.clock.now(),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((m) => this.summary(m)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.receivedAt, last.id) : null,
    };
  }

  async stats(): Promise<{ byStatus: Record<string, number> }> {
    return { byStatus: await this.messages.countByStatus() };
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
      category: category ? { code: category.code, name: category.name } : null,
      sourceCategory: m.sourceCategory,
      territory: territory ? { id: territory.id, name: territory.name } : null,
      organization: organization
        ? { id: organization.id, name: organization.name }
        : m.organizationRaw
          ? { id: '', name: m.organizationRaw }
          : null,
      dueAt: m.dueAt?.toISOString() ?? null,
      overdue: m.overdue || (m.dueAt !== null && isOpen(m.status) && m.dueAt < now),
      createdAt: m.createdAt.toISOString(),
      receivedAt: m.receivedAt.toISOString(),
      preview: m.text ? m.text.slice(0, 160) : null,
    };
  }
}

function encodeCursor(receivedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([receivedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const receivedAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(receivedAt.getTime())) throw new Error('bad cursor');
    return { receivedAt, id };
  } catch {
    throw new DomainException(ErrorCode.ValidationFailed, 'Некорректный курсор', [
      { field: 'cursor', message: 'cursor must be a nextCursor value from a previous page' },
    ]);
  }
}

export function maskApplicant(a: ApplicantEntity) {
  const mask = (s: string | null, keepStart: number, keepEnd: number) =>
    s === null ? null : s.length <= keepStart + keepEnd ? '*'.repeat(s.length) : s.slice(0, keepStart) + '*'.repeat(s.length - keepStart - keepEnd) + s.slice(s.length - keepEnd);
  const email = a.email ? `${mask(a.email.split('@')[0], 1, 0)}@${a.email.split('@')[1] ?? ''}` : null;
  const name = a.name
    ? a.name
        .split(/\s+/)
        .map((part, i) => (i === 0 ? mask(part, 1, 0) : `${part[0]}.`))
        .join(' ')
    : null;
  return { name, phone: mask(a.phone, 4, 2), email, epguId: a.epguId ? mask(a.epguId, 0, 2) : null, masked: true };
}
