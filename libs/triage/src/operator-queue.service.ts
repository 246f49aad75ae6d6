import { Injectable } from '@nestjs/common';
import { Importance, isOpen, MESSAGE_ACTIONS, MessageStatus } from '@cur/domain';
import { ClockService, MessageLifecycle } from '@cur/lifecycle';
import { DomainException, ErrorCode } from '@cur/platform';

/** Where a duplicate can still be merged: before the organization has started on it. */
export const MERGEABLE: readonly MessageStatus[] = MESSAGE_ACTIONS.merge.from;

/**
 * The operator's other queue actions, each one change through the message life cycle:
 * moderation acceptance, importance (which may change the policy and so the clocks), and merging
 * a duplicate into the message that will be answered.
 */
@Injectable()
export class OperatorQueueService {
  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly clocks: ClockService,
  ) {}

  /** Moderation passed: the message goes to the triage queue for its category and organization. */
  async acceptModeration(id: string, reason: string | undefined, actor: string) {
    const { message } = await this.lifecycle.change(
      id,
      actor,
      (message, { now }) => ({
        to: 'needs_triage',
        type: 'moderation-accepted',
        reason: reason ?? 'Прошло модерацию',
        clockEvents: [{ type: 'status', at: now, from: message.status, to: 'needs_triage', by: actor }],
      }),
      { action: 'accept-moderation' },
    );
    return this.view(message);
  }

  /** High importance may select a stricter policy: the clocks are re-planned under it. */
  async setImportance(id: string, importance: Importance, reason: string, actor: string) {
    const { message } = await this.lifecycle.change(
      id,
      actor,
      (message, { now }) => {
        if (message.importance === importance) throw new DomainException(ErrorCode.Conflict, 'Важность уже такая');
        const before = this.clocks.policyOf(message);
        const policy = this.clocks.policyOf({ ...message, importance });
        return {
          to: message.status,
          type: 'importance-changed',
          reason,
          data: { before: { policyId: before.id }, after: { policyId: policy.id }, policyId: policy.id },
          fields: { importance },
          // Only a change of policy re-plans the clocks; under the same policy the running clocks (an
          // interim answer's, a re-consideration's) stay as they are.
          clockEvents:
            policy.id === before.id ? [] : [{ type: 'routed', at: now, receivedAt: message.receivedAt, organizationId: message.organizationId, by: actor }],
        };
      },
      { action: 'set-importance' },
    );
    return this.view(message);
  }

  /** A duplicate is closed into the message that will be answered; both histories say so. */
  async merge(id: string, targetId: string, reason: string, actor: string) {
    if (id === targetId)
      throw new DomainException(ErrorCode.ValidationFailed, 'Сообщение не может быть дублем самого себя', [
        { field: 'targetId', message: 'укажите другое сообщение' },
      ]);
    const { message } = await this.lifecycle.change(
      id,
      actor,
      (_message, { now, manager, locked }) => {
        const target = locked.get(targetId);
        if (!target)
          throw new DomainException(ErrorCode.ValidationFailed, 'Основное сообщение не найдено', [{ field: 'targetId', message: `нет сообщения ${targetId}` }]);
        if (target.duplicateOf || !isOpen(target.status)) throw new DomainException(ErrorCode.Conflict, 'Основное сообщение само закрыто или объединено');
        return {
          to: 'closed',
          type: 'merged',
          reason,
          data: { targetId },
          fields: { duplicateOf: targetId },
          clockEvents: [{ type: 'closed', at: now, reason: 'closed', by: actor }],
          // The message that stays records the duplicate it took in (its status stays).
          afterwards: async () => {
            await this.lifecycle.apply(manager, target, actor, { to: target.status, type: 'duplicate-attached', reason, data: { duplicateId: id } }, now);
          },
        };
      },
      { action: 'merge', alsoLock: [targetId] },
    );
    return this.view(message);
  }

  private view(message: { id: string; status: MessageStatus; importance: Importance; duplicateOf: string | null }) {
    return { id: message.id, status: message.status, importance: message.importance, duplicateOf: message.duplicateOf };
  }
}
