import { Injectable } from '@nestjs/common';
import { ClassifierService } from '@cur/classification';
import { RegionCatalog } from '@cur/config';
import { envelope, MessageRoutedV1, MessageStatusChangedV1, TOPICS } from '@cur/contracts';
import { CHANNEL_RUBRICATOR, MessageStatus } from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import { MessageRepository, OutboxRepository, outboxEvent } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';
import { ClockService } from '@cur/sla';

/** A person may set the category while the message is still with ЦУР or just handed over. */
export const CATEGORIZABLE: readonly MessageStatus[] = ['new', 'needs_triage', 'assigned'];

export interface CategorizeCommand {
  categoryCode: string;
  organizationId?: string;
  reason?: string;
}

/**
 * An operator's triage decision: the category (and, where no rule routes it, the organization).
 * The message is routed as the triage would have routed it, its due date follows the category,
 * and the decision is stored as a labelled example for retraining, all in one transaction.
 */
@Injectable()
export class OperatorTriageService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly region: RegionCatalog,
    private readonly classifiers: ClassifierService,
    private readonly clock: Clock,
    private readonly clocks: ClockService,
  ) {}

  async categorize(id: string, command: CategorizeCommand, actor: string) {
    const now = this.clock.now();
    const result = await this.messages.transaction(async (manager) => {
      const message = await this.messages.lockById(manager, id);
      if (!message) throw new DomainException(ErrorCode.NotFound, `Сообщение ${id} не найдено`);
      if (!CATEGORIZABLE.includes(message.status)) {
        throw new DomainException(ErrorCode.Conflict, `Категорию нельзя изменить в статусе «${message.status}»`);
      }
      const rubricator = CHANNEL_RUBRICATOR[message.channel];
      const category = this.region.category(command.categoryCode);
      if (!category || category.rubricator !== rubricator) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная категория', [
          { field: 'categoryCode', message: `нет категории «${command.categoryCode}» в рубрикаторе ${rubricator}` },
        ]);
      }
      const territory = this.region.territory(message.territoryId);
      const chosen = command.organizationId ? this.region.organization(command.organizationId) : undefined;
      if (command.organizationId && !chosen) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [
          { field: 'organizationId', message: `нет организации «${command.organizationId}»` },
        ]);
      }
      const route = chosen ? { organizationId: chosen.id, ruleId: undefined } : this.region.router.route(category, territory);
      if (!route) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Нет правила маршрутизации', [
          { field: 'organizationId', message: `для категории ${category.code} и территории ${territory?.name ?? '(не указана)'} нет правила — укажите организацию` },
        ]);
      }
      const previous = message.classification;
      const top = previous?.suggestions[0];
      // The category decides the policy: a reclassified message's clocks follow the new one.
      const clocks = await this.clocks.apply(
        manager,
        { ...message, categoryCode: category.code, organizationId: route.organizationId, status: 'assigned' },
        { type: 'routed', at: now, receivedAt: message.receivedAt, organizationId: route.organizationId, by: actor },
        now,
      );
      const dueAt = clocks.dueAt?.toISOString() ?? null;
      await this.messages.update(manager, id, {
        status: 'assigned',
        statusChangedAt: now,
        categoryCode: category.code,
        organizationId: route.organizationId,
        // A new organization starts without the old one's executor.
        ...(route.organizationId !== message.organizationId ? { assignee: null } : {}),
        dueAt: clocks.dueAt,
        ...(clocks.freshAnswerClock ? { overdue: false } : {}),
        classification: {
          ...(previous ?? { suggestions: [] }),
          method: 'operator',
          decidedBy: actor,
          ruleId: route.ruleId,
          policyId: clocks.policy.id,
        },
      });
      await this.messages.addHistory(manager, [
        {
          messageId: id,
          type: 'categorized',
          fromStatus: message.status,
          toStatus: 'assigned',
          actor,
          reason: command.reason ?? `Категория ${category.code} выбрана оператором`,
          data: {
            categoryCode: category.code,
            previousCategoryCode: message.categoryCode,
            organizationId: route.organizationId,
            previousOrganizationId: message.organizationId,
            ...(message.assignee && route.organizationId !== message.organizationId ? { assignee: { before: message.assignee, after: null } } : {}),
            suggested: top?.code ?? null,
            dueAt,
          },
          at: now,
        },
      ]);
      await this.classifiers.recordCorrection(manager, {
        messageId: id,
        rubricator,
        label: category.code,
        predicted: top?.code ?? null,
        predictedProbability: top?.probability ?? null,
        modelVersion: previous?.modelVersion ?? null,
        actor,
        at: now,
      });
      const routed: MessageRoutedV1 = {
        ...envelope('message.routed', message.region, id, now),
        categoryCode: category.code,
        organizationId: route.organizationId,
        ...(dueAt ? { dueAt } : {}),
        method: 'operator',
      } as MessageRoutedV1;
      const changed: MessageStatusChangedV1 = {
        ...envelope('message.status-changed', message.region, id, now),
        fromStatus: message.status,
        toStatus: 'assigned',
        actor,
        reason: 'categorized',
      };
      await this.outbox.add(manager, [outboxEvent(TOPICS.messageRouted, routed), outboxEvent(TOPICS.messageEvents, changed)], now);
      return { id, status: 'assigned' as const, categoryCode: category.code, organizationId: route.organizationId, dueAt };
    });
    this.relay.kick();
    return result;
  }
}
