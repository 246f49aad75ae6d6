import { Injectable, Logger } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import {
  envelope,
  MessageNeedsTriageV1,
  MessageReceivedV1,
  MessageRoutedV1,
  MessageStatusChangedV1,
  TOPICS,
} from '@cur/contracts';
import { ClassifierService } from '@cur/classification';
import { CHANNEL_RUBRICATOR, Classification, MessageStatus, NO_CONTENT_TITLES, NoContentKind, Rubricator } from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import { MessageRepository, OutboxRepository, outboxEvent, ProcessedEventRepository } from '@cur/persistence';
import { Clock } from '@cur/platform';
import { ClockService } from '@cur/sla';

export const TRIAGE_CONSUMER = 'triage';
export const TRIAGE_ACTOR = 'system:triage';

export class MessageNotFoundError extends Error {
  constructor(id: string) {
    super(`message ${id} not found`);
  }
}

export type TriageOutcome = 'routed' | 'needs-triage' | 'duplicate-event' | 'already-triaged';

/**
 * Classifies, computes the answer due date and picks the responsible organization. Idempotent:
 * the event id is recorded in the transaction of the effect, and only a `new` message is triaged.
 */
@Injectable()
export class TriageService {
  private readonly logger = new Logger(TriageService.name);

  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly processed: ProcessedEventRepository,
    private readonly relay: OutboxRelay,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly classifiers: ClassifierService,
    private readonly clocks: ClockService,
  ) {}

  async triage(event: MessageReceivedV1): Promise<TriageOutcome> {
    const now = this.clock.now();
    // Fetched before the transaction: loading a model must not hold a connection while waiting for another.
    const model = await this.classifiers.active(CHANNEL_RUBRICATOR[event.channel]);
    const outcome = await this.messages.transaction(async (manager): Promise<TriageOutcome> => {
      if (!(await this.processed.markProcessed(manager, TRIAGE_CONSUMER, event.eventId, now))) return 'duplicate-event';
      const message = await this.messages.lockById(manager, event.messageId);
      if (!message) throw new MessageNotFoundError(event.messageId);
      if (message.status !== 'new') return 'already-triaged';

      const text = message.text ?? '';
      const territory = this.region.territory(message.territoryId) ?? this.region.territories.findInText(text);
      const rubricator = CHANNEL_RUBRICATOR[message.channel];
      // Intake writes the event's channel from the message; should they ever differ, keywords decide rather than the wrong model.
      const classification = this.classify(text, rubricator, message.categoryHint ?? undefined, rubricator === CHANNEL_RUBRICATOR[event.channel] ? model : undefined);
      const best = classification.confident ?? classification.suggestions[0];
      const category = this.region.category(best?.code);
      const route = classification.confident && category ? this.region.router.route(category, territory) : undefined;
      const status: MessageStatus = route ? 'assigned' : 'needs_triage';
      const reason = route ? undefined : classification.noContent ? 'no_content' : !best ? 'no_category' : !classification.confident ? 'low_confidence' : 'no_route';
      const categoryCode = classification.confident ? (category?.code ?? null) : null;
      const organizationId = route?.organizationId ?? null;
      // The clocks follow the policy of what triage decided: the category when confident, the channel otherwise.
      const clocks = await this.clocks.apply(
        manager,
        { ...message, categoryCode, organizationId, status },
        { type: 'routed', at: now, receivedAt: message.receivedAt, organizationId, by: TRIAGE_ACTOR },
        now,
      );

      await this.messages.update(manager, message.id, {
        status,
        statusChangedAt: now,
        territoryId: territory?.id ?? null,
        categoryCode,
        organizationId,
        dueAt: clocks.dueAt,
        classification: {
          method: classification.method,
          modelVersion: classification.modelVersion,
          threshold: classification.threshold,
          suggestions: classification.suggestions.map((s) => ({ code: s.code, probability: s.probability })),
          ruleId: route?.ruleId,
          policyId: clocks.policy.id,
        },
      });
      await this.messages.addHistory(manager, [
        {
          messageId: message.id,
          type: route ? 'routed' : 'needs-triage',
          fromStatus: message.status,
          toStatus: status,
          actor: TRIAGE_ACTOR,
          reason: route
            ? `Категория ${category!.code}, правило ${route.ruleId}`
            : {
                no_category: 'Категория не определена',
                low_confidence: 'Классификатор не уверен',
                no_route: 'Нет правила маршрутизации',
                no_content: `Нет содержания: ${classification.noContent ? NO_CONTENT_TITLES[classification.noContent] : ''}`,
              }[reason!],
          data: { organizationId, categoryCode: category?.code ?? null, dueAt: clocks.dueAt?.toISOString() ?? null, policyId: clocks.policy.id },
          at: now,
        },
      ]);
      const base = (type: string) => envelope(type, message.region, message.id, now);
      const decided = route
        ? outboxEvent(TOPICS.messageRouted, {
            ...base('message.routed'),
            categoryCode: category!.code,
            organizationId: route.organizationId,
            ...(clocks.dueAt ? { dueAt: clocks.dueAt.toISOString() } : {}),
            method: classification.method,
          } as MessageRoutedV1)
        : outboxEvent(TOPICS.messageNeedsTriage, {
            ...base('message.needs-triage'),
            reason: reason!,
            suggestions: classification.suggestions.map((s) => ({ code: s.code, probability: s.probability })),
          } as MessageNeedsTriageV1);
      const changed: MessageStatusChangedV1 = {
        ...envelope('message.status-changed', message.region, message.id, now),
        fromStatus: message.status,
        toStatus: status,
        actor: TRIAGE_ACTOR,
        reason: route ? 'routed' : reason,
      };
      await this.outbox.add(manager, [decided, outboxEvent(TOPICS.messageEvents, changed)], now);
      return route ? 'routed' : 'needs-triage';
    });
    if (outcome === 'routed' || outcome === 'needs-triage') this.relay.kick();
    return outcome;
  }

  /**
   * A text with nothing to act on (thanks, «когда починят?», a request number, noise) goes to a
   * person whatever is scored, with the suggestions still shown. Otherwise a category named by the
   * source (ПОС) wins; then the active learned model decides, routing automatically only above its
   * per-category threshold; the keyword classifier is the fallback while no model is active.
   */
  private classify(
    text: string,
    rubricator: Rubricator,
    hint: string | undefined,
    model: Awaited<ReturnType<ClassifierService['active']>>,
  ): Classification & { modelVersion?: number; threshold?: number | null; noContent?: NoContentKind } {
    const noContent = this.region.contentFree.detect(text);
    const keep = <T extends Classification>(c: T) => (noContent ? { ...c, confident: undefined, noContent } : c);
    const hinted = this.region.classifier.hinted(rubricator, hint);
    if (hinted) return keep(hinted);
    if (!model) return keep(this.region.classifier.classify(text, rubricator));
    const decision = model.classifier.decide(text, 3);
    const suggestions = decision.ranked.map((r) => ({ code: r.label, score: r.probability, probability: round(r.probability) }));
    return keep({
      method: 'model',
      suggestions,
      confident: decision.automatic ? suggestions[0] : undefined,
      modelVersion: model.version,
      threshold: decision.threshold === null ? null : round(decision.threshold),
    });
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
