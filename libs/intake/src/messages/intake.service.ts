import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { CreateMessageDto, CreateMessageResult, envelope, topicEvent, TOPICS } from '@cur/contracts';
import { MessageLifecycle } from '@cur/lifecycle';
import { MessageRepository } from '@cur/persistence';
import { Clock } from '@cur/platform';

/**
 * Stores an incoming message, its applicant and its first events in one transaction. The same
 * (source, externalId) again returns the stored message and writes nothing.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async accept(dto: CreateMessageDto): Promise<CreateMessageResult & { created: boolean }> {
    const now = this.clock.now();
    const id = randomUUID();
    const regionCode = this.region.data.code;
    const actor = `intake:${dto.source}`;
    const result = await this.messages.transaction(async (manager) => {
      const stored = await this.lifecycle.admit(
        manager,
        {
          id,
          region: regionCode,
          channel: dto.channel,
          source: dto.source,
          externalId: dto.externalId,
          text: dto.text,
          territoryId: this.region.territories.resolve(dto.territory)?.id ?? null,
          territoryRaw: dto.territory ?? null,
          importance: dto.importance ?? 'normal',
          categoryCode: null,
          categoryHint: dto.categoryHint ?? null,
          sourceCategory: null,
          sourceSubcategory: null,
          sourceFact: null,
          organizationId: null,
          organizationRaw: null,
          status: 'new',
          statusChangedAt: now,
          createdAt: new Date(dto.createdAt),
          receivedAt: now,
          dueAt: null,
          answeredAt: null,
          overdue: false,
          classification: null,
          url: dto.url ?? null,
          pos: null,
        },
        actor,
        { type: 'received', reason: null, data: { channel: dto.channel } },
        [topicEvent(TOPICS.messageReceived, { ...envelope('message.received', regionCode, id, now), channel: dto.channel })],
      );
      if (!stored.created) return stored;
      const applicant = dto.applicant;
      if (applicant && (applicant.name || applicant.phone || applicant.email || applicant.epguId)) {
        await this.messages.insertApplicant(manager, {
          messageId: id,
          name: applicant.name ?? null,
          phone: applicant.phone ?? null,
          email: applicant.email ?? null,
          epguId: applicant.epguId ?? null,
        });
      }
      return stored;
    });
    if (result.created) this.lifecycle.wake();
    return { id: result.id, status: result.status, created: result.created };
  }
}
