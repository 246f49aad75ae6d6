import { Injectable } from '@nestjs/common';
import { ClassifierService } from '@cur/classification';
import { RegionCatalog } from '@cur/config';
import { envelope, topicEvent, TOPICS } from '@cur/contracts';
import { CHANNEL_RUBRICATOR, handlesMessages, MESSAGE_ACTIONS, MessageStatus } from '@cur/domain';
import { ClockService, MessageLifecycle } from '@cur/lifecycle';
import { DomainException, ErrorCode } from '@cur/platform';

/** A person may set the category while the message is still with ЦУР or just handed over. */
export const CATEGORIZABLE: readonly MessageStatus[] = MESSAGE_ACTIONS.categorize.from;

export interface CategorizeCommand {
  /** Absent: the message keeps its category and goes to `organizationId` (a bulk reroute). */
  categoryCode?: string;
  organizationId?: string;
  reason?: string;
}

/**
 * An operator's triage decision: the category (and, where no rule routes it, the organization).
 * The message is routed as the triage would have routed it, its due date follows the category,
 * and the decision is stored as a labelled example for retraining, all in one change.
 */
@Injectable()
export class OperatorTriageService {
  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly classifiers: ClassifierService,
  ) {}

  async categorize(id: string, command: CategorizeCommand, actor: string) {
    const { message } = await this.lifecycle.change(
      id,
      actor,
      (message, { now, manager }) => {
        const rubricator = CHANNEL_RUBRICATOR[message.channel];
        const code = command.categoryCode ?? message.categoryCode;
        if (!code) {
          throw new DomainException(ErrorCode.ValidationFailed, 'У сообщения нет категории', [
            { field: 'categoryCode', message: 'у сообщения ещё нет категории: укажите её вместе с организацией' },
          ]);
        }
        const category = this.region.category(code);
        if (!category || category.rubricator !== rubricator) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная категория', [
            { field: 'categoryCode', message: `нет категории «${code}» в рубрикаторе ${rubricator}` },
          ]);
        }
        const territory = this.region.territory(message.territoryId);
        const chosen = command.organizationId ? this.region.organization(command.organizationId) : undefined;
        if (command.organizationId && !chosen) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [
            { field: 'organizationId', message: `нет организации «${command.organizationId}»` },
          ]);
        }
        if (chosen && !handlesMessages(chosen)) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Организация не рассматривает сообщения', [
            {
              field: 'organizationId',
              message: `«${chosen.name}» координирует работу и не рассматривает сообщения: выберите орган власти, учреждение или администрацию`,
            },
          ]);
        }
        const route = chosen ? { organizationId: chosen.id, ruleId: undefined } : this.region.router.route(category, territory);
        if (!route) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Нет правила маршрутизации', [
            {
              field: 'organizationId',
              message: `для категории ${category.code} и территории ${territory?.name ?? '(не указана)'} нет правила — укажите организацию`,
            },
          ]);
        }
        const previous = message.classification;
        const top = previous?.suggestions[0];
        const moved = route.organizationId !== message.organizationId;
        const fields = { categoryCode: category.code, organizationId: route.organizationId, ...(moved ? { assignee: null } : {}) };
        return {
          to: 'assigned',
          type: 'categorized',
          reason: command.reason ?? `Категория ${category.code} выбрана оператором`,
          data: {
            categoryCode: category.code,
            previousCategoryCode: message.categoryCode,
            organizationId: route.organizationId,
            previousOrganizationId: message.organizationId,
            ...(message.assignee && moved ? { assignee: { before: message.assignee, after: null } } : {}),
            suggested: top?.code ?? null,
          },
          // A new organization starts without the old one's executor.
          fields: {
            ...fields,
            classification: {
              ...(previous ?? { suggestions: [] }),
              method: 'operator',
              decidedBy: actor,
              ruleId: route.ruleId,
              policyId: this.clocks.policyOf({ ...message, ...fields }).id,
            },
          },
          // The category decides the policy: a reclassified message's clocks follow the new one.
          clockEvents: [{ type: 'routed', at: now, receivedAt: message.receivedAt, organizationId: route.organizationId, by: actor }],
          events: ({ message: routed }) => [
            topicEvent(TOPICS.messageRouted, {
              ...envelope('message.routed', message.region, id, now),
              categoryCode: category.code,
              organizationId: route.organizationId,
              ...(routed.dueAt ? { dueAt: routed.dueAt.toISOString() } : {}),
              method: 'operator',
            }),
          ],
          afterwards: () =>
            this.classifiers.recordCorrection(manager, {
              messageId: id,
              rubricator,
              label: category.code,
              predicted: top?.code ?? null,
              predictedProbability: top?.probability ?? null,
              modelVersion: previous?.modelVersion ?? null,
              actor,
              at: now,
            }),
        };
      },
      { action: 'categorize' },
    );
    return {
      id,
      status: message.status,
      categoryCode: message.categoryCode,
      organizationId: message.organizationId,
      dueAt: message.dueAt?.toISOString() ?? null,
    };
  }
}
