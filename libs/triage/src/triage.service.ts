import { Injectable, Logger, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RegionCatalog } from '@cur/config';
import { envelope, MessageNeedsTriageV1, MessageReceivedV1, MessageRoutedV1, topicEvent, TOPICS } from '@cur/contracts';
import { ClassifierService, decisionOutcomes, RoutingContext } from '@cur/classification';
import { Channel, CHANNEL_RUBRICATOR, Classification, MessageStatus, NO_CONTENT_TITLES, NoContentKind, Rubricator } from '@cur/domain';
import { AdmissionTriage, ChangeBatch, Changed, ClockService, TriageDecision, MessageLifecycle } from '@cur/lifecycle';
import { MessageEntity, MessageRepository, ProcessedEventRepository } from '@cur/persistence';
import { Clock, Metrics, withCorrelation } from '@cur/platform';

export const TRIAGE_CONSUMER = 'triage';
export const TRIAGE_ACTOR = 'system:triage';

export class MessageNotFoundError extends Error {
  constructor(id: string) {
    super(`message ${id} not found`);
  }
}

export type TriageOutcome = 'routed' | 'needs-triage' | 'duplicate-event' | 'already-triaged';

/** The active learned models by rubricator, read before a transaction (loading one must not hold a connection). */
type Models = Map<Rubricator, Awaited<ReturnType<ClassifierService['active']>>>;

/**
 * Classifies, computes the answer due date and picks the responsible organization. Idempotent:
 * the event id is recorded in the transaction of the effect, and only a `new` message is triaged.
 * Events come in batches (one transaction each, every write multi-row); the same decision runs in
 * intake's transaction when intake triages what it admits (`AdmissionTriage`).
 */
@Injectable()
export class TriageService extends AdmissionTriage {
  private readonly logger = new Logger(TriageService.name);

  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly processed: ProcessedEventRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly classifiers: ClassifierService,
    private readonly clocks: ClockService,
    @Optional() private readonly metrics?: Metrics,
  ) {
    super();
  }

  async triage(event: MessageReceivedV1): Promise<TriageOutcome> {
    return (await this.triageMany([event]))[0];
  }

  /**
   * Many received events in one transaction; outcomes in the events' order. Each message is
   * decided under its correlation id (from its record's headers), which its events carry on.
   */
  async triageMany(events: readonly MessageReceivedV1[], correlations: readonly (string | undefined)[] = []): Promise<TriageOutcome[]> {
    const now = this.clock.now();
    const models = await this.prepare(events.map((e) => e.channel));
    const outcomes = await this.messages.transaction(async (manager): Promise<{ result: TriageOutcome[]; decided: TriageDecision[] }> => {
      const fresh = await this.processed.markProcessedMany(
        manager,
        TRIAGE_CONSUMER,
        events.map((e) => e.eventId),
        now,
      );
      const batch = new ChangeBatch();
      const locked = await this.lifecycle.lockBatch(
        manager,
        events.filter((e) => fresh.has(e.eventId)).map((e) => e.messageId),
        batch,
      );
      const result: TriageOutcome[] = [];
      const decided: TriageDecision[] = [];
      for (const [i, event] of events.entries()) {
        // Recorded now by this batch, once: the same event twice in a batch counts as a repeat.
        if (!fresh.delete(event.eventId)) {
          result.push('duplicate-event');
          continue;
        }
        const message = locked.get(event.messageId);
        if (!message) throw new MessageNotFoundError(event.messageId);
        if (message.status !== 'new') {
          result.push('already-triaged');
          continue;
        }
        const { outcome, changed } = await withCorrelation(correlations[i], () => this.decide(manager, message, event.channel, models, now, batch));
        locked.set(message.id, changed.message);
        result.push(outcome);
        decided.push({ message, outcome, status: changed.message.status });
      }
      await this.lifecycle.flush(manager, batch, now);
      return { result, decided };
    });
    if (outcomes.decided.length) this.lifecycle.wake();
    this.observe(outcomes.decided, now);
    this.metrics?.triageBatchSize.observe(events.length);
    return outcomes.result;
  }

  /** Counts decisions once they are committed (a batch rolled back, or a repeat intake did not store, decided nothing). */
  observe(decided: readonly TriageDecision[], now: Date): void {
    for (const { message, outcome } of decided) {
      this.metrics?.triageDecisionsTotal.inc({ outcome: outcome === 'routed' ? 'routed' : 'needs_triage' });
      // From the message's receipt to this decision, on this service's clock (the same one in production).
      this.metrics?.triageLatencySeconds.observe(Math.max(0, now.getTime() - message.receivedAt.getTime()) / 1000);
    }
  }

  async prepare(channels: readonly Channel[]): Promise<Models> {
    const models: Models = new Map();
    for (const rubricator of new Set(channels.map((c) => CHANNEL_RUBRICATOR[c]))) models.set(rubricator, await this.classifiers.active(rubricator));
    return models;
  }

  /** Messages intake admits in this transaction (new, not yet inserted: the decisions' changes go into their rows). */
  async triageAdmitted(
    manager: EntityManager,
    admitted: readonly MessageEntity[],
    prepared: unknown,
    now: Date,
    batch: ChangeBatch,
  ): Promise<TriageDecision[]> {
    const decided: TriageDecision[] = [];
    for (const message of admitted) {
      const { outcome, changed } = await this.decide(manager, message, message.channel, prepared as Models, now, batch);
      decided.push({ message, outcome, status: changed.message.status });
    }
    return decided;
  }

  /** Triage of one new message locked by the caller's transaction, written through the batch. */
  private async decide(
    manager: EntityManager,
    message: MessageEntity,
    eventChannel: Channel,
    models: Models,
    now: Date,
    batch: ChangeBatch,
  ): Promise<{ outcome: 'routed' | 'needs-triage'; changed: Changed }> {
    const text = message.text ?? '';
    const territory = this.region.territory(message.territoryId) ?? this.region.territories.findInText(text);
    const rubricator = CHANNEL_RUBRICATOR[message.channel];
    // Intake writes the event's channel from the message; should they ever differ, keywords decide rather than the wrong model.
    const classification = this.classify(
      text,
      rubricator,
      message.categoryHint ?? undefined,
      rubricator === CHANNEL_RUBRICATOR[eventChannel] ? models.get(rubricator) : undefined,
      {
        territory,
        channel: message.channel,
        importance: message.importance,
        subcategory: message.sourceSubcategory,
      },
    );
    const best = classification.confident ?? classification.suggestions[0];
    const category = this.region.category(best?.code);
    const route = classification.confident && category ? this.region.router.route(category, territory) : undefined;
    const status: MessageStatus = route ? 'assigned' : 'needs_triage';
    const reason = route
      ? undefined
      : classification.noContent
        ? 'no_content'
        : !best
          ? 'no_category'
          : !classification.confident
            ? 'low_confidence'
            : 'no_route';
    const categoryCode = classification.confident ? (category?.code ?? null) : null;
    const organizationId = route?.organizationId ?? null;
    const fields = { territoryId: territory?.id ?? null, categoryCode, organizationId };
    // The clocks follow the policy of what triage decided: the category when confident, the channel otherwise.
    const policyId = this.clocks.policyOf({ ...message, ...fields }).id;
    const base = (type: string) => envelope(type, message.region, message.id, now);
    const changed = await this.lifecycle.apply(
      manager,
      message,
      TRIAGE_ACTOR,
      {
        to: status,
        type: route ? 'routed' : 'needs-triage',
        reason: route
          ? `Категория ${category!.code}, правило ${route.ruleId}`
          : {
              no_category: 'Категория не определена',
              low_confidence: 'Классификатор не уверен',
              no_route: 'Нет правила маршрутизации',
              no_content: `Нет содержания: ${classification.noContent ? NO_CONTENT_TITLES[classification.noContent] : ''}`,
            }[reason!],
        data: { organizationId, categoryCode: category?.code ?? null, policyId },
        fields: {
          ...fields,
          classification: {
            method: classification.method,
            modelVersion: classification.modelVersion,
            threshold: classification.threshold,
            suggestions: classification.suggestions.map((s) => ({ code: s.code, probability: s.probability })),
            ruleId: route?.ruleId,
            policyId,
            ...(reason ? { queueReason: reason } : {}),
          },
        },
        clockEvents: [{ type: 'routed', at: now, receivedAt: message.receivedAt, organizationId, by: TRIAGE_ACTOR }],
        events: ({ message: decided }) => [
          route
            ? topicEvent(TOPICS.messageRouted, {
                ...base('message.routed'),
                categoryCode: category!.code,
                organizationId: route.organizationId,
                ...(decided.dueAt ? { dueAt: decided.dueAt.toISOString() } : {}),
                method: classification.method,
              } as MessageRoutedV1)
            : topicEvent(TOPICS.messageNeedsTriage, {
                ...base('message.needs-triage'),
                reason: reason!,
                suggestions: classification.suggestions.map((s) => ({ code: s.code, probability: s.probability })),
              } as MessageNeedsTriageV1),
        ],
      },
      now,
      batch,
    );
    return { outcome: route ? 'routed' : 'needs-triage', changed };
  }

  /**
   * A text with nothing to act on (thanks, «когда починят?», a request number, noise) goes to a
   * person whatever is scored, with the suggestions still shown. Otherwise a category named by the
   * source (ПОС) wins; then the active learned model decides by where the message would go: the
   * probabilities of the categories that reach the same organization under the same clocks (for
   * this territory) are summed, and the message is routed automatically, under the most probable
   * of those categories, when the sum reaches that category's threshold (a model trained before
   * decides as it was trained); the keyword classifier is the fallback while no model is active.
   */
  private classify(
    text: string,
    rubricator: Rubricator,
    hint: string | undefined,
    model: Awaited<ReturnType<ClassifierService['active']>> | undefined,
    routing: RoutingContext,
  ): Classification & { modelVersion?: number; threshold?: number | null; noContent?: NoContentKind } {
    const noContent = this.region.contentFree.detect(text);
    const keep = <T extends Classification>(c: T) => (noContent ? { ...c, confident: undefined, noContent } : c);
    const hinted = this.region.classifier.hinted(rubricator, hint);
    if (hinted) return keep(hinted);
    if (!model) return keep(this.region.classifier.classify(text, rubricator));
    const decision = model.classifier.decide(text, 3, decisionOutcomes(model.classifier, this.region.data, rubricator, routing));
    const suggestions = decision.ranked.map((r) => ({ code: r.label, score: r.probability, probability: round(r.probability) }));
    const decided = decision.label && { code: decision.label.label, score: decision.label.probability, probability: round(decision.label.probability) };
    return keep({
      method: 'model',
      suggestions,
      confident: decision.automatic ? decided : undefined,
      modelVersion: model.version,
      threshold: decision.threshold === null ? null : round(decision.threshold),
    });
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
