import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MissingCalendarYearError } from '@cur/calendar';
import { MessageAccess } from '@cur/auth';
import { RegionCatalog } from '@cur/config';
import { envelope, MessageStatusChangedV1, TopicEvent, topicEvent, TOPICS } from '@cur/contracts';
import {
  actionAllowedIn,
  actionRule,
  admissionFacts,
  answerUnitOf,
  changeFacts,
  ReportFactDraft,
  ReportedMessage,
  timeToAnswer,
  availableActions,
  canTransition,
  ClockEvent,
  isOpen,
  MessageActionName,
  MessageStatus,
  SlaPolicy,
  STATUS_TITLES,
} from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import {
  insertJsonRowsTogether,
  JsonInsert,
  MessageEntity,
  MessageRepository,
  NewHistoryEntry,
  NewMessage,
  OutboxRepository,
  ReportRepository,
  SlaRepository,
} from '@cur/persistence';
import { Clock, correlationHeaders, DomainException, ErrorCode, hasRole, Principal, withCorrelation } from '@cur/platform';
import { ClockBatch, ClockService } from './clock.service';

/** The fields of a message a change may set besides its status (the status has its own rules). */
export type MessageFields = Partial<Omit<NewMessage, 'id' | 'region' | 'source' | 'externalId' | 'status' | 'statusChangedAt'>>;

/** What a writer decided to do with a locked message; the life cycle does the rest. */
export interface Decision {
  /** The history entry's type: 'taken', 'routed', 'import-updated'… */
  type: string;
  /** The status after the change (the current one when only fields change). */
  to: MessageStatus;
  /** A status passed through on the way (redirected → assigned), checked against the transition table too. */
  via?: MessageStatus;
  reason: string | null;
  /** Recorded with the history entry (next to the before/after the life cycle computes). */
  data?: Record<string, unknown>;
  fields?: MessageFields;
  /** What happened, as far as the clocks care; applied under the policy of the message after the change. */
  clockEvents?: ClockEvent[];
  /** Events besides the status event (routed, needs-triage, overdue…), typed by topic; a function when they carry the outcome (the new due date). */
  events?: TopicEvent[] | ((changed: Changed) => TopicEvent[]);
  /**
   * The status comes from the message's source system (a ПОС export row says where the message is
   * on the portal): recorded as it is, not checked against this system's transition table.
   */
  imposed?: boolean;
  /** Work that needs the change's outcome (the new due date), in the same transaction. */
  afterwards?: (changed: Changed, manager: EntityManager) => Promise<void>;
}

export interface DecisionContext {
  now: Date;
  manager: EntityManager;
  /** Every message locked for this change (the `alsoLock` ones too), by id. */
  locked: ReadonlyMap<string, MessageEntity>;
}

export interface ChangeOptions {
  /** The action a person takes: its allowed statuses are checked before `decide` runs. */
  action?: MessageActionName;
  /** Runs on the locked row before anything else: throw to refuse (404 / 403). */
  authorize?: (message: MessageEntity | null) => void;
  /** Other messages to lock with this one (a merge's target), all in id order so two changes never deadlock. */
  alsoLock?: string[];
}

/** The message after a change. */
export interface Changed {
  message: MessageEntity;
  /** Whether the status changed (a status event went out). */
  statusChanged: boolean;
  /** The policy the message's clocks run under, when clocks moved. */
  policy?: SlaPolicy;
  /** Nothing was changed: the decision found nothing to do. */
  unchanged?: boolean;
}

/** The first history entry of a message that comes in. */
export interface AdmissionEntry {
  type: string;
  reason: string | null;
  data?: Record<string, unknown>;
}

/** A message admitted with others (`admitMany`). */
export interface AdmissionItem {
  message: NewMessage;
  entry: AdmissionEntry;
  /** Events before the status event (intake's message.received). */
  events?: TopicEvent[];
  /** When not the batch's actor (intake: `intake:<source>`). */
  actor?: string;
  /** The request's correlation id, carried by the message's events. */
  correlationId?: string;
}

/**
 * Many changes written together (an import's chunk, a triage batch): the message rows' updates,
 * the clocks they start, their history entries, events and report facts, each kind in one
 * statement by `flush`.
 */
export class ChangeBatch {
  /** Each message's row changes, merged when one message changes twice in the batch (one UPDATE row per message). */
  readonly updates = new Map<string, Partial<NewMessage>>();
  readonly clocks = new ClockBatch();
  readonly history: NewHistoryEntry[] = [];
  /** With the correlation id of the work that made each (a batch mixes many requests' and records' messages). */
  readonly events: TopicEvent[] = [];
  readonly facts: ReportFact[] = [];
  /** Rows of other tables written by the same statement as these (intake's applicants); nothing in the batch may read them before. */
  readonly inserts: (JsonInsert | undefined)[] = [];

  /**
   * @param unstored the messages it changes are not stored yet (`admitMany`'s decisions): every
   * change must be written through it, as nothing may touch their rows before the insert.
   */
  constructor(readonly unstored = false) {}

  /** Takes over what another batch collected, after what this one holds. */
  absorb(other: ChangeBatch): void {
    for (const [id, changes] of other.updates) this.updates.set(id, { ...this.updates.get(id), ...changes });
    for (const [id, clocks] of other.clocks.byMessage) this.clocks.byMessage.set(id, clocks);
    for (const [id, clock] of other.clocks.pending) this.clocks.pending.set(id, clock);
    this.history.push(...other.history);
    this.events.push(...other.events);
    this.facts.push(...other.facts);
    this.inserts.push(...other.inserts);
  }
}

/** A report fact ready to store: its message and, for an answer, the time it took. */
type ReportFact = ReportFactDraft & { messageId: string; elapsed?: number | null };

/** Fields compared before and after a change for its history entry. */
const TRACKED = ['dueAt', 'organizationId', 'assignee', 'importance', 'categoryCode', 'overdue', 'duplicateOf', 'rating'] as const;

/**
 * The one owner of a message's state change. Every writer — triage, the operators' decisions, the
 * agency workflow, the ПОС import, the deadline watch, intake — goes through it:
 *
 *   lock the row(s) in id order → check the action and the transition table → move the clocks →
 *   one update → one history entry with before/after → a typed status event only when the status
 *   changed (plus the decision's own events) → the facts the monthly summary counts (libs/domain
 *   report-facts) → wake the relay after commit.
 *
 * A message without clocks (a ПОС export row runs on the portal's own term) keeps its stored due
 * date: only an answer clock replaces it. The same module tells a reader which actions a caller
 * may take now (`actionsFor`), from the same table the changes are checked against.
 */
@Injectable()
export class MessageLifecycle {
  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly clocks: ClockService,
    private readonly sla: SlaRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
    private readonly reports: ReportRepository,
  ) {}

  /**
   * One change of one message in its own transaction. `decide` may return null: nothing to change
   * (a repeated report), nothing written.
   */
  async change(
    id: string,
    actor: string,
    decide: (message: MessageEntity, context: DecisionContext) => Decision | null | Promise<Decision | null>,
    options: ChangeOptions = {},
  ): Promise<Changed> {
    const result = await this.messages.transaction(async (manager): Promise<Changed> => {
      const locked = await this.lock(manager, [id, ...(options.alsoLock ?? [])]);
      const message = locked.get(id) ?? null;
      options.authorize?.(message);
      if (!message) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
      if (options.action) this.assertAction(options.action, message);
      const now = this.clock.now();
      const decision = await decide(message, { now, manager, locked });
      if (!decision) return { message, statusChanged: false, unchanged: true };
      return this.apply(manager, message, actor, decision, now);
    });
    if (!result.unchanged) this.relay.kick();
    return result;
  }

  /**
   * Locks messages for a change, in id order. With `skipLocked`, a message someone is changing
   * right now is left out (the deadline watch looks at it on its next pass).
   */
  async lock(manager: EntityManager, ids: readonly string[], options: { skipLocked?: boolean } = {}): Promise<Map<string, MessageEntity>> {
    const rows = await this.messages.lockMany(manager, [...new Set(ids)].sort(), options.skipLocked ?? false);
    return new Map(rows.map((m) => [m.id, m]));
  }

  /**
   * Locks a batch's messages (id order) and reads their clocks, both in one statement each: then
   * `apply` with the batch asks the database nothing more per message.
   */
  async lockBatch(manager: EntityManager, ids: readonly string[], batch: ChangeBatch): Promise<Map<string, MessageEntity>> {
    const locked = await this.lock(manager, ids);
    for (const [id, clocks] of await this.sla.clocksOfMany(manager, [...locked.keys()])) batch.clocks.byMessage.set(id, clocks);
    return locked;
  }

  /**
   * Applies a decision to a message locked by the caller's transaction. With a batch, the row
   * update, the clocks started, the history entry and the events are collected for `flush` (many
   * messages in one transaction; a decision with `afterwards` work has its row written at once, as
   * that work may read it); the caller then wakes the relay after commit (`wake`).
   */
  async apply(manager: EntityManager, message: MessageEntity, actor: string, decision: Decision, now: Date, batch?: ChangeBatch): Promise<Changed> {
    if (batch?.unstored && decision.afterwards)
      throw new Error(`the decision "${decision.type}" on a message not stored yet has work afterwards: it would write before the message exists`);
    if (!decision.imposed) this.assertTransition(message.status, decision);
    const fields: MessageFields = { ...decision.fields };
    const next: MessageEntity = { ...message, ...fields, status: decision.to };
    let policy: SlaPolicy | undefined;
    for (const event of decision.clockEvents ?? []) {
      const outcome = await this.clocks.apply(manager, next, event, now, batch?.clocks);
      policy = outcome.policy;
      // Only an answer clock gives the message its due date; without one the stored date stands.
      if (outcome.answerClock) next.dueAt = outcome.dueAt;
      if (outcome.freshAnswerClock) next.overdue = false;
    }
    const statusChanged = decision.to !== message.status;
    const { before, after } = difference(message, next);
    const row = { ...fields, status: decision.to, ...(statusChanged ? { statusChangedAt: now } : {}), dueAt: next.dueAt, overdue: next.overdue };
    if (batch && !decision.afterwards) batch.updates.set(message.id, { ...batch.updates.get(message.id), ...row });
    else {
      if (batch) {
        await this.clocks.flush(manager, batch.clocks);
        await this.messages.update(manager, message.id, { ...batch.updates.get(message.id), ...row });
        batch.updates.delete(message.id);
      } else await this.messages.update(manager, message.id, row);
    }
    const data = { ...decision.data };
    const given = (key: 'before' | 'after') => (typeof data[key] === 'object' && data[key] !== null ? (data[key] as Record<string, unknown>) : {});
    if (Object.keys(before).length || 'before' in data)
      Object.assign(data, { before: { ...before, ...given('before') }, after: { ...after, ...given('after') } });
    const entry: NewHistoryEntry = {
      messageId: message.id,
      type: decision.type,
      fromStatus: message.status,
      toStatus: decision.to,
      actor,
      reason: decision.reason,
      data: Object.keys(data).length ? data : null,
      at: now,
    };
    const changed: Changed = { message: { ...next, statusChangedAt: statusChanged ? now : message.statusChangedAt }, statusChanged, policy };
    const own = typeof decision.events === 'function' ? decision.events(changed) : (decision.events ?? []);
    const events = [...own, ...(statusChanged ? [this.statusEvent(message.region, message.id, message.status, decision.to, actor, decision.type, now)] : [])];
    const facts = await this.timed(
      manager,
      message.id,
      changeFacts({ type: decision.type, imposed: decision.imposed ?? false, before: message, after: changed.message, now, zone: this.region.zone }),
      changed.message,
      batch !== undefined,
    );
    if (batch) {
      batch.history.push(entry);
      batch.events.push(...stamped(events));
      batch.facts.push(...facts);
    } else {
      await this.messages.addHistory(manager, [entry]);
      await this.outbox.add(manager, events, now);
      await this.reports.addFacts(manager, facts);
    }
    await decision.afterwards?.(changed, manager);
    return changed;
  }

  /**
   * A message comes in (intake, a new ПОС export row): stored unless its (source, externalId) is
   * known, with its first history entry and the status event from nothing. Returns the stored
   * message's id and status either way.
   */
  async admit(
    manager: EntityManager,
    message: NewMessage,
    actor: string,
    entry: AdmissionEntry,
    events: TopicEvent[],
    batch?: ChangeBatch,
  ): Promise<{ created: boolean; id: string; status: MessageStatus }> {
    const stored = await this.messages.insertIfNew(manager, message);
    if (!stored.created) return stored;
    const first = this.firstRecords(message, actor, entry, events);
    const facts = await this.admissionFacts(manager, message);
    if (batch) {
      batch.history.push(first.history);
      batch.events.push(...stamped(first.events));
      batch.facts.push(...facts);
    } else {
      await this.messages.addHistory(manager, [first.history]);
      await this.outbox.add(manager, first.events, message.statusChangedAt);
      await this.reports.addFacts(manager, facts);
    }
    return stored;
  }

  /**
   * Many new messages in one statement (an import's chunk, intake's group commit), each with its
   * first history entry, its events (given ones first) and the status event in the batch, under
   * its own actor and correlation id when given. Returns the ids stored: fewer when another writer
   * stored some of the same (source, externalId) first.
   *
   * With `decide` (triage in intake), each message is decided before the insert, on its own batch,
   * under its correlation id: the decision's row changes go into the row inserted, so the message is
   * written once (an update of a row just inserted is a second version of it in every index), and
   * its history, clocks, events and facts follow the admission's, kept only for the messages stored.
   * A decision for it must be written through the batch (no `afterwards`).
   */
  async admitMany(
    manager: EntityManager,
    items: AdmissionItem[],
    actor: string,
    batch: ChangeBatch,
    decide?: (message: MessageEntity, own: ChangeBatch) => Promise<void>,
  ): Promise<Set<string>> {
    const own = new Map<string, ChangeBatch>();
    const rows: (NewMessage & Pick<MessageEntity, 'version'>)[] = [];
    for (const item of items) {
      const { message, entry } = item;
      const mine = new ChangeBatch(true);
      // Not stored yet, so it has no clocks: a decision in the same batch need not ask.
      mine.clocks.byMessage.set(message.id, []);
      const first = this.firstRecords(message, item.actor ?? actor, entry, item.events ?? []);
      mine.history.push(first.history);
      mine.events.push(...stamped(first.events, item.correlationId));
      mine.facts.push(...(await this.admissionFacts(manager, message)));
      if (decide) await withCorrelation(item.correlationId, () => decide(admitted(message), mine));
      const changes = mine.updates.get(message.id);
      mine.updates.delete(message.id);
      // A decided message is at its second version, as if admitted and then changed.
      rows.push(changes ? { ...message, ...changes, version: 2 } : { ...message, version: 1 });
      own.set(message.id, mine);
    }
    const created = await this.messages.insertManyIfNew(manager, rows);
    for (const [id, mine] of own) if (created.has(id)) batch.absorb(mine);
    return created;
  }

  /** A new message's first history entry and its events: the given ones, then the status event from nothing. */
  private firstRecords(message: NewMessage, actor: string, entry: AdmissionEntry, events: TopicEvent[]): { history: NewHistoryEntry; events: TopicEvent[] } {
    const at = message.statusChangedAt;
    return {
      history: {
        messageId: message.id,
        type: entry.type,
        fromStatus: null,
        toStatus: message.status,
        actor,
        reason: entry.reason,
        data: entry.data ?? null,
        at,
      },
      events: [...events, this.statusEvent(message.region, message.id, null, message.status, actor, entry.type, at)],
    };
  }

  /** Writes a batch's rows, clocks, history entries, events and facts, in the transaction of its changes. */
  async flush(manager: EntityManager, batch: ChangeBatch, now: Date): Promise<void> {
    await this.messages.updateMany(
      manager,
      [...batch.updates].map(([id, changes]) => ({ id, changes })),
    );
    batch.updates.clear();
    // The clocks started, history, events and facts in one statement: none of them reads another.
    // One insert a table whose ids order its rows (history, events): the inserts of one statement run in no set order.
    await insertJsonRowsTogether(manager, [
      ...this.clocks.inserts(manager, batch.clocks),
      this.messages.historyInsert(manager, batch.history),
      this.outbox.insert(batch.events, now),
      this.reports.factInsert(manager, batch.facts),
      ...batch.inserts.splice(0),
    ]);
  }

  private admissionFacts(manager: EntityManager, message: NewMessage): Promise<ReportFact[]> {
    const reported: ReportedMessage = { ...message, rating: message.rating ?? null, ratedAt: message.ratedAt ?? null, pos: message.pos ?? null };
    return this.timed(manager, message.id, admissionFacts(reported, this.region.zone), reported, true);
  }

  /** Time to answer; unknown (null, left out of the summary's median and mean) across a year without a production calendar. */
  private elapsed(draft: ReportFactDraft, from: Date): number | null {
    try {
      return timeToAnswer(this.region.workingTime(draft.organizationId), from, draft.at, answerUnitOf(draft.channel));
    } catch (error) {
      if (error instanceof MissingCalendarYearError) return null;
      throw error;
    }
  }

  /**
   * The facts of a message with its answers' time to answer, on the handling organization's
   * calendar: from the receipt, or from the latest re-consideration's opening (asked of the stored
   * facts, except in a batch: an imported row's answer counts from the portal's receipt).
   */
  private async timed(manager: EntityManager, messageId: string, drafts: ReportFactDraft[], message: ReportedMessage, batched: boolean): Promise<ReportFact[]> {
    const facts: ReportFact[] = [];
    for (const draft of drafts) {
      if (draft.kind !== 'answered') {
        facts.push({ ...draft, messageId });
        continue;
      }
      const from =
        draft.answerStartedAt ??
        (batched ? null : await this.reports.lastReconsideredAt(manager, messageId)) ??
        (message.pos ? message.createdAt : message.receivedAt);
      facts.push({ ...draft, messageId, elapsed: this.elapsed(draft, from) });
    }
    return facts;
  }

  /** After the commit of changes made with `apply`: the relay publishes their events now. */
  wake(): void {
    this.relay.kick();
  }

  /** The actions a caller may take on a message now, for screens: the same rules `change` enforces. */
  async actionsFor(principal: Principal, message: MessageEntity): Promise<{ action: MessageActionName; title: string }[]> {
    const policy = this.clocks.policyOf(message);
    const pending = (await this.sla.listExtensions(message.id)).some((r) => r.status === 'pending');
    const answerClock = (await this.sla.clocksOf(null, message.id)).some((c) => c.kind === 'final_answer' && (c.status === 'running' || c.status === 'paused'));
    const names = availableActions(
      { roles: principal.roles, handles: this.access.handles(principal, message) },
      {
        status: message.status,
        duplicate: message.duplicateOf !== null,
        answerApproval: this.region.data.workflow.answerApproval,
        extensible: (policy.extensions?.max ?? 0) > 0 && answerClock,
        pendingExtensionForCaller: pending && this.mayDecideExtension(principal, message),
      },
    );
    return names.map((action) => ({ action, title: actionRule(action).title }));
  }

  /**
   * Who decides an extension, per policy: the head of the handling organization or of an
   * organization above it, or a ЦУР operator ("coordinator").
   */
  mayDecideExtension(
    principal: Principal,
    message: Pick<MessageEntity, 'channel' | 'categoryCode' | 'sourceSubcategory' | 'importance' | 'organizationId'>,
  ): boolean {
    const approvedBy = this.clocks.policyOf(message).extensions?.approvedBy ?? 'head';
    if (approvedBy === 'coordinator') return hasRole(principal, 'operator');
    return (
      hasRole(principal, 'head') &&
      principal.organizationId !== null &&
      message.organizationId !== null &&
      (principal.organizationId === message.organizationId || this.region.isBelow(message.organizationId, principal.organizationId))
    );
  }

  /** 409 when the action does not start from the message's status. */
  assertAction(action: MessageActionName, message: Pick<MessageEntity, 'status'>): void {
    if (actionAllowedIn(action, message.status)) return;
    throw new DomainException(
      ErrorCode.Conflict,
      `Действие «${actionRule(action).title}» недоступно в статусе «${STATUS_TITLES[message.status]}»${isOpen(message.status) ? '' : ' (сообщение закрыто)'}`,
    );
  }

  private assertTransition(from: MessageStatus, decision: Decision): void {
    const first = decision.via ?? decision.to;
    const steps: [MessageStatus, MessageStatus][] = [
      [from, first],
      ...(decision.via && decision.via !== decision.to ? [[decision.via, decision.to] as [MessageStatus, MessageStatus]] : []),
    ];
    for (const [a, b] of steps) {
      if (a !== b && !canTransition(a, b))
        throw new DomainException(ErrorCode.Conflict, `Из статуса «${STATUS_TITLES[a]}» нельзя перейти в «${STATUS_TITLES[b]}»`);
    }
  }

  private statusEvent(region: string, id: string, from: MessageStatus | null, to: MessageStatus, actor: string, reason: string, now: Date): TopicEvent {
    const event: MessageStatusChangedV1 = { ...envelope('message.status-changed', region, id, now), fromStatus: from, toStatus: to, actor, reason };
    return topicEvent(TOPICS.messageEvents, event);
  }
}

/** A message about to be admitted, as a decision sees it (what the database would fill in). */
function admitted(message: NewMessage): MessageEntity {
  return { assignee: null, rating: null, ratedAt: null, duplicateOf: null, ...message, version: 1 };
}

/** Events stamped with a correlation id (the current one by default), for a batch written later under another; their own headers kept. */
function stamped(events: TopicEvent[], correlationId?: string): TopicEvent[] {
  const headers = correlationHeaders(correlationId);
  return headers ? events.map((e) => ({ ...e, headers: { ...e.headers, ...headers } })) : events;
}

/** The tracked fields that differ, as JSON values. */
function difference(before: MessageEntity, after: MessageEntity): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of TRACKED) {
    const a = json(before[key]);
    const b = json(after[key]);
    if (a === b) continue;
    out.before[key] = a;
    out.after[key] = b;
  }
  return out;
}

function json(value: unknown): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString();
  return (value ?? null) as string | number | boolean | null;
}
