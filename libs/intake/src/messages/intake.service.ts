import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { CreateMessageDto, CreateMessageResult, envelope, MessageReceivedV1, MessageStatusChangedV1, TOPICS } from '@cur/contracts';
import { OutboxRelay } from '@cur/messaging';
import { MessageRepository, OutboxRepository, outboxEvent } from '@cur/persistence';
import { Clock } from '@cur/platform';

/**
 * Stores an incoming message, its applicant and its first events in one transaction. The same
 * (source, externalId) again returns the stored message and writes nothing.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async accept(dto: CreateMessageDto): Promise<CreateMessageResult & { created: boolean }> {
    const now = this.clock.now();
    const id = randomUUID();
    const regionCode = this.region.data.code;
    const result = await this.messages.transaction(async (manager) => {
      const stored = await this.messages.insertIfNew(manager, {
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
      });
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
      const actor = `intake:${dto.source}`;
      await this.messages.addHistory(manager, [
        { messageId: id, type: 'received', fromStatus: null, toStatus: 'new', actor, reason: null, data: { channel: dto.channel }, at: now },
      ]);
      const received: MessageReceivedV1 = { ...envelope('message.received', regionCode, id, now), channel: dto.channel };
      const changed: MessageStatusChangedV1 = {
        ...envelope('message.status-changed', regionCode, id, now),
        fromStatus: null,
        toStatus: 'new',
        actor,
      };
      await this.outbox.add(manager, [outboxEvent(TOPICS.messageReceived, received), outboxEvent(TOPICS.messageEvents, changed)], now);
      return stored;
    });
    if (result.created) this.relay.kick();
    return { id: result.id, status: result.status, created: result.created };
  }
}
