import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WorkingTime } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { envelope, SlaBreachedV1, TopicEvent, topicEvent, TOPICS } from '@cur/contracts';
import {
  ClockAction,
  ClockData,
  ClockEvent,
  ExistingClock,
  nextCheckAt,
  planClocks,
  resolvePolicy,
  SlaPolicy,
  timeOrderedId,
  tryReplayClock,
} from '@cur/domain';
import { insertJsonRowsTogether, JsonInsert, MessageEntity, OutboxRepository, SlaClockEntity, SlaRepository } from '@cur/persistence';

/** How soon the watch tries again a clock whose due date needs a production calendar not loaded yet. */
export const BLOCKED_RETRY_MS = 60 * 60_000;

export interface ClockOutcome {
  policy: SlaPolicy;
  /** Whether the message has an answer clock (one not cancelled); without one, its stored due date stands (a ПОС row's portal term). */
  answerClock: boolean;
  /** The due date of the latest answer clock for the message row (null while paused, not started or not computable). */
  dueAt: Date | null;
  /** True when a new final-answer clock started: the message is not overdue any more. */
  freshAnswerClock: boolean;
  clocks: SlaClockEntity[];
}

/** The clocks of a batch of changes: read once for all its messages, the new ones written together. */
export class ClockBatch {
  /** Each message's clocks as they stand in the batch (read before its first change, or prefetched). */
  readonly byMessage = new Map<string, SlaClockEntity[]>();
  /** Clocks started in the batch and not written yet, by id. */
  readonly pending = new Map<string, SlaClockEntity>();
}

/**
 * Keeps a message's clocks in step with what happens to it. Every change is applied in the
 * caller's transaction, with the message row already locked by the caller, so clocks and message
 * never disagree; a clock stopped late records its breach in the same transaction.
 */
@Injectable()
export class ClockService {
  /**
   * Counts of clocks just started (no operation yet), by what decides them: the calendar they count
   * on, kind, term, start instant and `now` (the next check depends on it). A batch's messages were
   * received together and start the same clocks at the same instants, and counting working days and
   * the warning thresholds was 8% of triage: each is counted once per batch. `now` in the key keeps
   * an entry to the batch that made it, and the calendar and thresholds are compared by identity,
   * so a reloaded region counts afresh.
   */
  private readonly started = new Map<string, StartedCount>();

  constructor(
    private readonly sla: SlaRepository,
    private readonly outbox: OutboxRepository,
    private readonly region: RegionCatalog,
  ) {}

  policyOf(message: Pick<MessageEntity, 'channel' | 'categoryCode' | 'sourceSubcategory' | 'importance'>): SlaPolicy {
    return resolvePolicy(this.region.data.slaPolicies.policies, {
      channel: message.channel,
      categoryCode: message.categoryCode,
      subcategory: message.sourceSubcategory,
      importance: message.importance,
    });
  }

  /** The office hours a clock counts on. */
  timeOf(clock: Pick<SlaClockEntity, 'calendarOrganizationId'>): WorkingTime {
    return this.region.workingTime(clock.calendarOrganizationId);
  }

  /**
   * Applies an event under the message's current policy (so set the category before calling).
   * `message` must be locked by the caller's transaction. With a batch, the message's clocks come
   * from the batch (read once for all its messages) and the clocks started are written by the
   * batch's flush, unless a breach must refer to one now.
   */
  async apply(manager: EntityManager, message: MessageEntity, event: ClockEvent, now: Date, batch?: ClockBatch): Promise<ClockOutcome> {
    const policy = this.policyOf(message);
    const rows = batch?.byMessage.get(message.id) ?? (await this.sla.clocksOf(manager, message.id));
    batch?.byMessage.set(message.id, rows);
    const actions = planClocks(policy, rows.map(toExisting), event);
    const events: TopicEvent[] = [];
    let freshAnswerClock = false;
    const save = async (row: SlaClockEntity, changes: Partial<SlaClockEntity>) => {
      Object.assign(row, changes);
      // A clock still waiting for the batch's insert is written with these changes then.
      if (!batch?.pending.has(row.id)) await this.sla.updateClock(manager, row.id, changes);
    };
    for (const action of actions) {
      const row = 'id' in action ? rows.find((r) => r.id === action.id) : undefined;
      switch (action.type) {
        case 'start': {
          const clock = this.newClock(message, action, now);
          rows.push(clock);
          if (batch) batch.pending.set(clock.id, clock);
          else await this.sla.insertClock(manager, clock);
          if (action.kind === 'final_answer') freshAnswerClock = true;
          if (action.stop) events.push(...(await this.stop(manager, message, clock, action.stop.at, action.stop.reason, now, batch)));
          break;
        }
        case 'stop':
          events.push(...(await this.stop(manager, message, row!, action.at, action.reason, now, batch)));
          break;
        case 'cancel':
          await save(row!, { status: 'cancelled', stoppedAt: action.at, stopReason: action.reason, nextCheckAt: null, updatedAt: now });
          break;
        case 'operate': {
          row!.operations = [...row!.operations, action.operation];
          row!.updatedAt = now;
          this.compute(row!, now);
          await save(row!, {
            operations: row!.operations,
            status: row!.status,
            dueAt: row!.dueAt,
            extensions: row!.extensions,
            blockedYear: row!.blockedYear,
            nextCheckAt: row!.nextCheckAt,
            updatedAt: now,
          });
          break;
        }
        case 'reassign':
          await save(row!, { organizationId: action.organizationId, updatedAt: now });
          break;
      }
    }
    if (events.length) await this.outbox.add(manager, events, now);
    // The message shows the answer due date of its latest answer clock, also once answered (in time or late).
    const final = rows.filter((r) => r.kind === 'final_answer' && r.status !== 'cancelled').sort((a, b) => b.generation - a.generation)[0];
    return { policy, answerClock: final !== undefined, dueAt: final?.dueAt ?? null, freshAnswerClock, clocks: rows };
  }

  /** Writes the clocks a batch started (before anything else of the batch that refers to them). */
  async flush(manager: EntityManager, batch: ClockBatch): Promise<void> {
    await insertJsonRowsTogether(manager, this.inserts(manager, batch));
  }

  /** The inserts of the clocks the batch started, for a statement of the caller's (see `insertJsonRowsTogether`); they leave the batch. */
  inserts(manager: EntityManager, batch: ClockBatch): (JsonInsert | undefined)[] {
    const clocks = [...batch.pending.values()];
    batch.pending.clear();
    return this.sla.clockInserts(manager, clocks);
  }

  private newClock(message: MessageEntity, action: Extract<ClockAction, { type: 'start' }>, now: Date): SlaClockEntity {
    const clock: SlaClockEntity = {
      id: timeOrderedId(),
      messageId: message.id,
      kind: action.kind,
      generation: action.generation,
      policyId: action.policyId,
      organizationId: action.organizationId,
      calendarOrganizationId: action.organizationId,
      amount: action.rule.amount,
      unit: action.rule.unit,
      startsOn: action.rule.startsAt,
      startedAt: action.startedAt,
      operations: action.operations ? [...action.operations] : [],
      status: 'running',
      dueAt: null,
      extensions: 0,
      stoppedAt: null,
      stopReason: null,
      blockedYear: null,
      nextCheckAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.compute(clock, now);
    return clock;
  }

  /**
   * The due date, extension count and next check of a clock from its start and operations. A
   * due date in a year without a production calendar is left unknown (`blockedYear`), and the
   * watch tries again every hour until the calendar is loaded.
   */
  compute(clock: SlaClockEntity, now: Date): void {
    const time = this.timeOf(clock);
    const warnAt = this.region.data.slaPolicies.warnAt;
    // A clock just started, as the rest of its batch's were: counted once (see `started`).
    const key = clock.operations.length === 0 && clock.status === 'running' && clock.stoppedAt === null ? startKey(clock, now) : undefined;
    const known = key === undefined ? undefined : this.started.get(key);
    if (known && known.time === time && known.warnAt === warnAt) {
      clock.blockedYear = null;
      clock.dueAt = new Date(known.dueAt);
      clock.extensions = 0;
      clock.nextCheckAt = known.nextCheckAt === null ? null : new Date(known.nextCheckAt);
      return;
    }
    const { replay, missingYear } = tryReplayClock(toData(clock), time);
    clock.blockedYear = missingYear;
    const last = clock.operations.at(-1);
    if (!replay) {
      // Unknown due date: the last operation says whether it stands still.
      if (clock.status === 'running' || clock.status === 'paused') clock.status = last?.op === 'pause' ? 'paused' : 'running';
      clock.dueAt = null;
      clock.nextCheckAt = clock.status === 'running' ? new Date(now.getTime() + BLOCKED_RETRY_MS) : null;
      return;
    }
    if (clock.status === 'running' || clock.status === 'paused') clock.status = replay.pausedSince ? 'paused' : 'running';
    clock.dueAt = replay.dueAt;
    clock.extensions = replay.extensions;
    clock.nextCheckAt = nextCheckAt(toData(clock), replay, time, warnAt, now);
    // Only a due date known and running is kept: a missing calendar year is asked again each time.
    if (key !== undefined && clock.dueAt && clock.status === 'running' && clock.extensions === 0) {
      if (this.started.size >= STARTED_KEPT) this.started.clear();
      this.started.set(key, { time, warnAt, dueAt: clock.dueAt.getTime(), nextCheckAt: clock.nextCheckAt?.getTime() ?? null });
    }
  }

  /** Stops a clock; one stopped after its due date records its breach with the lateness in office time. */
  private async stop(
    manager: EntityManager,
    message: MessageEntity,
    clock: SlaClockEntity,
    at: Date,
    reason: string,
    now: Date,
    batch?: ClockBatch,
  ): Promise<TopicEvent[]> {
    const time = this.timeOf(clock);
    // A due date that cannot be computed yet cannot be judged: the stop is recorded, the verdict waits.
    const due = tryReplayClock(toData(clock), time).replay?.dueAt ?? null;
    const changes = { status: 'stopped' as const, stoppedAt: at, stopReason: reason, nextCheckAt: null, updatedAt: now };
    Object.assign(clock, changes);
    const late = due !== null && at > due;
    if (batch?.pending.has(clock.id)) {
      // The breach refers to the clock: a late one is written now, with its stop.
      if (late) {
        batch.pending.delete(clock.id);
        await this.sla.insertClock(manager, clock);
      }
    } else {
      await this.sla.updateClock(manager, clock.id, changes);
    }
    if (!late) return [];
    return this.recordBreach(manager, message, clock, due, now, at);
  }

  /**
   * A clock's breach, recorded once whoever notices first (the watch at expiry, or a late stop);
   * a late stop after the watch's record completes it with the lateness in office and wall time.
   * Returns the event to publish when this call recorded it.
   */
  async recordBreach(
    manager: EntityManager,
    message: MessageEntity,
    clock: SlaClockEntity,
    due: Date,
    now: Date,
    stoppedAt: Date | null,
  ): Promise<TopicEvent[]> {
    const lateness = stoppedAt ? { working: this.timeOf(clock).workingTimeBetween(due, stoppedAt), wall: stoppedAt.getTime() - due.getTime() } : null;
    const breachId = timeOrderedId();
    const recorded = await this.sla.insertBreach(manager, {
      id: breachId,
      clockId: clock.id,
      messageId: clock.messageId,
      organizationId: clock.organizationId,
      kind: clock.kind,
      policyId: clock.policyId,
      dueAt: due,
      recordedAt: now,
      stoppedAt,
      latenessWorkingMs: lateness ? String(lateness.working) : null,
      latenessMs: lateness ? String(lateness.wall) : null,
    });
    if (!recorded) {
      if (stoppedAt && lateness) await this.sla.completeBreach(manager, clock.id, stoppedAt, lateness.working, lateness.wall);
      return [];
    }
    const event: SlaBreachedV1 = {
      ...envelope('sla.breached', message.region, message.id, now),
      clockId: clock.id,
      kind: clock.kind,
      policyId: clock.policyId,
      organizationId: clock.organizationId,
      dueAt: due.toISOString(),
      breachId,
      ...(stoppedAt && lateness ? { stoppedAt: stoppedAt.toISOString(), latenessWorkingMs: lateness.working } : {}),
    };
    return [topicEvent(TOPICS.slaBreached, event)];
  }
}

const STARTED_KEPT = 1024;

interface StartedCount {
  time: WorkingTime;
  warnAt: readonly number[];
  dueAt: number;
  nextCheckAt: number | null;
}

function startKey(clock: SlaClockEntity, now: Date): string {
  return `${clock.calendarOrganizationId ?? ''}|${clock.kind}|${clock.amount}|${clock.unit}|${clock.startsOn}|${clock.startedAt.getTime()}|${now.getTime()}`;
}

export function toData(row: SlaClockEntity): ClockData {
  return {
    kind: row.kind,
    generation: row.generation,
    policyId: row.policyId,
    organizationId: row.organizationId,
    term: { amount: row.amount, unit: row.unit },
    startsOn: row.startsOn,
    startedAt: row.startedAt,
    operations: row.operations,
    status: row.status,
    stoppedAt: row.stoppedAt,
    stopReason: row.stopReason,
  };
}

function toExisting(row: SlaClockEntity): ExistingClock {
  return { id: row.id, ...toData(row) };
}
