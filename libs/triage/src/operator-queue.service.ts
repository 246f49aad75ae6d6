import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { envelope, MessageStatusChangedV1, TOPICS } from '@cur/contracts';
import { canTransition, Importance, isOpen, MessageStatus, STATUS_TITLES } from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import { MessageEntity, MessageRepository, OutboxRepository, outboxEvent } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';
import { ClockService } from '@cur/sla';

/** Where a duplicate can still be merged: before the organization has started on it. */
export const MERGEABLE: readonly MessageStatus[] = ['new', 'needs_triage', 'moderation', 'assigned'];

/**
 * The operator's other queue actions, each one transaction with its history and event:
 * moderation acceptance, importance (which may change the policy and so the clocks), and merging
 * a duplicate into the message that will be answered.
 */
@Injectable()
export class OperatorQueueService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly clocks: ClockService,
  ) {}

  /** Moderation passed: the message goes to the triage queue for its category and organization. */
  acceptModeration(id: string, reason: string | undefined, actor: string) {
    return this.change(id, actor, async (message, now, manager) => {
      if (message.status !== 'moderation') throw new DomainException(ErrorCode.Conflict, `Модерация не требуется: статус «${STATUS_TITLES[message.status]}»`);
      await this.clocks.apply(manager, { ...message, status: 'needs_triage' }, { type: 'status', at: now, from: 'moderation', to: 'needs_triage', by: actor }, now);
      return { status: 'needs_triage', type: 'moderation-accepted', reason: reason ?? 'Прошло модерацию', fields: {} };
    });
  }

  /** High importance may select a stricter policy: the clocks are re-planned under it. */
  setImportance(id: string, importance: Importance, reason: string, actor: string) {
    return this.change(id, actor, async (message, now, manager) => {
      if (!isOpen(message.status)) throw new DomainException(ErrorCode.Conflict, 'Сообщение закрыто: важность не меняется');
      if (message.importance === importance) throw new DomainException(ErrorCode.Conflict, 'Важность уже такая');
      const next = { ...message, importance };
      const before = this.clocks.policyOf(message);
      const policy = this.clocks.policyOf(next);
      // Only a change of policy re-plans the clocks; under the same policy the running clocks (an
      // interim answer's, a re-consideration's) stay as they are.
      const outcome = policy.id === before.id ? null : await this.clocks.apply(manager, next, { type: 'routed', at: now, receivedAt: message.receivedAt, organizationId: message.organizationId, by: actor }, now);
      const dueAt = outcome ? outcome.dueAt : message.dueAt;
      return {
        status: message.status,
        type: 'importance-changed',
        reason,
        data: { before: { importance: message.importance, dueAt: message.dueAt?.toISOString() ?? null, policyId: before.id }, after: { importance, dueAt: dueAt?.toISOString() ?? null, policyId: policy.id }, policyId: policy.id },
        fields: { importance, dueAt, ...(outcome?.freshAnswerClock ? { overdue: false } : {}) },
      };
    });
  }

  /** A duplicate is closed into the message that will be answered; both histories say so. */
  merge(id: string, targetId: string, reason: string, actor: string) {
    if (id === targetId) throw new DomainException(ErrorCode.ValidationFailed, 'Сообщение не может быть дублем самого себя', [{ field: 'targetId', message: 'укажите другое сообщение' }]);
    return this.change(id, actor, async (message, now, manager) => {
      if (!MERGEABLE.includes(message.status)) throw new DomainException(ErrorCode.Conflict, `Объединить можно только до начала работы: статус «${STATUS_TITLES[message.status]}»`);
      const target = await this.messages.lockById(manager, targetId);
      if (!target) throw new DomainException(ErrorCode.ValidationFailed, 'Основное сообщение не найдено', [{ field: 'targetId', message: `нет сообщения ${targetId}` }]);
      if (target.duplicateOf || !isOpen(target.status)) throw new DomainException(ErrorCode.Conflict, 'Основное сообщение само закрыто или объединено');
      await this.clocks.apply(manager, { ...message, status: 'closed' }, { type: 'closed', at: now, reason: 'closed', by: actor }, now);
      await this.messages.addHistory(manager, [
        { messageId: targetId, type: 'duplicate-attached', fromStatus: target.status, toStatus: target.status, actor, reason, data: { duplicateId: id }, at: now },
      ]);
      return { status: 'closed', type: 'merged', reason, data: { targetId }, fields: { duplicateOf: targetId } };
    }, targetId);
  }

  private async change(
    id: string,
    actor: string,
    decide: (message: MessageEntity, now: Date, manager: EntityManager) => Promise<{ status: MessageStatus; type: string; reason: string; data?: Record<string, unknown>; fields: Partial<MessageEntity> }>,
    lockAlso?: string,
  ) {
    const now = this.clock.now();
    const result = await this.messages.transaction(async (manager) => {
      // Rows locked in id order, so two merges of the same pair in opposite directions cannot deadlock.
      if (lockAlso) await manager.query(`SELECT id FROM message WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [[id, lockAlso]]);
      const message = await this.messages.lockById(manager, id);
      if (!message) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
      const change = await decide(message, now, manager);
      if (change.status !== message.status && !canTransition(message.status, change.status)) {
        throw new DomainException(ErrorCode.Conflict, `Из статуса «${STATUS_TITLES[message.status]}» нельзя перейти в «${STATUS_TITLES[change.status]}»`);
      }
      await this.messages.update(manager, id, { ...change.fields, status: change.status, ...(change.status !== message.status ? { statusChangedAt: now } : {}) });
      await this.messages.addHistory(manager, [{ messageId: id, type: change.type, fromStatus: message.status, toStatus: change.status, actor, reason: change.reason, data: change.data ?? null, at: now }]);
      const event: MessageStatusChangedV1 = { ...envelope('message.status-changed', message.region, id, now), fromStatus: message.status, toStatus: change.status, actor, reason: change.type };
      await this.outbox.add(manager, [outboxEvent(TOPICS.messageEvents, event)], now);
      return { id, status: change.status, importance: change.fields.importance ?? message.importance, duplicateOf: change.fields.duplicateOf ?? message.duplicateOf };
    });
    this.relay.kick();
    return result;
  }
}
