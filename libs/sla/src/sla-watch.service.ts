import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EntityManager } from 'typeorm';
import { Environment, RegionCatalog } from '@cur/config';
import { envelope, MessageOverdueV1, SlaWarningV1, TopicEvent, topicEvent, TOPICS } from '@cur/contracts';
import { BREACH_ON_EXPIRY, fractionInstants, OPEN_STATUSES, replayClock } from '@cur/domain';
import { BLOCKED_RETRY_MS, ClockService, MessageLifecycle, toData } from '@cur/lifecycle';
import { MessageEntity, MessageRepository, OutboxRepository, SlaClockEntity, SlaRepository } from '@cur/persistence';
import { Clock, describeError } from '@cur/platform';

const JOB = 'sla-watch';
const BATCH = 200;

export interface SweepResult {
  warnings: number;
  breaches: number;
  /** Due dates computed once their year's production calendar was loaded. */
  computed: number;
}

const WATCH_ACTOR = 'system:sla';

/**
 * The deadline watch: at-risk warnings at the configured fractions of each clock and a breach at
 * its expiry, each recorded once (unique keys), with the true instant it happened, also when the
 * watch was down at the time. Events go out through the outbox in the same transaction.
 */
@Injectable()
export class SlaWatchService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SlaWatchService.name);
  private running?: Promise<SweepResult>;

  constructor(
    private readonly sla: SlaRepository,
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly lifecycle: MessageLifecycle,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.env.CUR_SLA_WATCH_INTERVAL_MS);
    this.scheduler.addInterval(JOB, timer);
    // After downtime, catch up at once rather than after the first interval; clocks that waited for
    // a production calendar year this start has loaded are computed in that pass, not an hour later.
    void this.sla
      .recheckBlockedOn(this.region.productionCalendar.years, this.clock.now())
      .then((n) => void (n && this.logger.log(`${n} clock(s) waited for a production calendar year now loaded: computing their due dates`)))
      .catch((error) => this.logger.warn(`blocked clocks not re-checked: ${describeError(error)}`))
      .then(() => this.backfill())
      .catch((error) => this.logger.warn(`clock backfill failed: ${describeError(error)}`))
      .then(() => this.tick());
  }

  /**
   * Gives clocks to open messages that have none (stored by a version without clocks), counted
   * from their receipt as triage would have: their warnings and breaches then follow as usual.
   */
  async backfill(): Promise<number> {
    const now = this.clock.now();
    let done = 0;
    const tried = new Set<string>();
    for (;;) {
      // A message whose policy starts nothing yet (all clocks wait for an event) stays without clocks: tried once.
      const ids = (await this.sla.messagesWithoutClocks(OPEN_STATUSES, BATCH + tried.size)).filter((id) => !tried.has(id));
      for (const id of ids) {
        tried.add(id);
        await this.messages.transaction(async (manager) => {
          const message = (await this.lifecycle.lock(manager, [id])).get(id);
          if (!message || (await this.sla.clocksOf(manager, id)).length) return;
          await this.lifecycle.apply(
            manager,
            message,
            WATCH_ACTOR,
            {
              to: message.status,
              type: 'clocks-started',
              reason: 'Сроки рассчитаны для сообщения, сохранённого до появления сроков',
              clockEvents: [
                { type: 'routed', at: message.statusChangedAt, receivedAt: message.receivedAt, organizationId: message.organizationId, by: WATCH_ACTOR },
              ],
            },
            now,
          );
        });
        done++;
      }
      if (ids.length === 0) break;
    }
    if (done) this.logger.log(`gave clocks to ${done} open message(s) stored before clocks existed`);
    return done;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      const { warnings, breaches, computed } = await this.sweep();
      if (warnings || breaches || computed) this.logger.log(`recorded ${warnings} warning(s), ${breaches} breach(es); ${computed} due date(s) computed`);
    } catch (error) {
      this.logger.warn(`deadline sweep failed: ${describeError(error)}`);
    }
  }

  /** One pass over every clock whose next check is due; a pass already under way (the interval's, the catch-up at start) finishes first. */
  async sweep(): Promise<SweepResult> {
    while (this.running) await this.running.catch(() => undefined);
    const pass = this.pass();
    this.running = pass;
    try {
      return await pass;
    } finally {
      if (this.running === pass) this.running = undefined;
    }
  }

  private async pass(): Promise<SweepResult> {
    const now = this.clock.now();
    const result: SweepResult = { warnings: 0, breaches: 0, computed: 0 };
    const seen = new Set<string>();
    for (;;) {
      const batch = (await this.sla.dueForCheck(now, BATCH)).filter((c) => !seen.has(c.id));
      if (batch.length === 0) break;
      for (const { id, messageId } of batch) {
        seen.add(id);
        const outcome = await this.messages.transaction((manager) => this.check(manager, id, messageId, now));
        result.warnings += outcome.warnings;
        result.breaches += outcome.breaches;
        result.computed += outcome.computed;
      }
      if (batch.length < BATCH) break;
    }
    if (result.warnings || result.breaches || result.computed) this.lifecycle.wake();
    return result;
  }

  /**
   * One clock, in its own transaction, locking the message first (as every state change does) so
   * the watch and a person acting on the message never deadlock; a message being changed right
   * now is skipped and looked at on the next pass.
   */
  private async check(manager: EntityManager, clockId: string, messageId: string, now: Date): Promise<SweepResult> {
    const message = (await this.lifecycle.lock(manager, [messageId], { skipLocked: true })).get(messageId);
    if (!message) return { warnings: 0, breaches: 0, computed: 0 };
    const clock = await this.sla.lockClock(manager, clockId);
    if (!clock || clock.status !== 'running' || !clock.nextCheckAt || clock.nextCheckAt > now) return { warnings: 0, breaches: 0, computed: 0 };
    if (clock.blockedYear !== null) return this.unblock(manager, message, clock, now);
    const time = this.clocks.timeOf(clock);
    const replay = replayClock(toData(clock), time);
    const due = replay.dueAt;
    const events: TopicEvent[] = [];
    let warnings = 0;
    let breaches = 0;
    let next: Date | null = null;
    if (due && now > due && BREACH_ON_EXPIRY[clock.kind]) {
      const recorded = await this.clocks.recordBreach(manager, message, clock, due, now, null);
      if (recorded.length) {
        breaches++;
        events.push(...recorded);
        if (clock.kind === 'final_answer') await this.flagOverdue(manager, message, due, now);
      }
    } else if (due && now <= due) {
      const instants = fractionInstants(toData(clock), replay, time, this.region.data.slaPolicies.warnAt);
      // After downtime several thresholds may have passed: the highest one is the news.
      const reached = instants.filter((i) => i.at <= now).at(-1);
      if (
        reached &&
        (await this.sla.insertWarning(manager, {
          clockId: clock.id,
          messageId,
          organizationId: clock.organizationId,
          kind: clock.kind,
          fraction: reached.fraction,
          epoch: clock.extensions,
          dueAt: due,
          reachedAt: reached.at,
          recordedAt: now,
        }))
      ) {
        warnings++;
        const event: SlaWarningV1 = {
          ...envelope('sla.warning', message.region, messageId, now),
          clockId: clock.id,
          kind: clock.kind,
          policyId: clock.policyId,
          organizationId: clock.organizationId,
          dueAt: due.toISOString(),
          fraction: reached.fraction,
          reachedAt: reached.at.toISOString(),
          workingMsLeft: time.workingTimeBetween(now, due),
        };
        events.push(topicEvent(TOPICS.slaWarning, event));
      }
      next = [...instants.map((i) => i.at), new Date(due.getTime() + 1)].find((at) => at > now) ?? null;
    }
    await this.sla.updateClock(manager, clock.id, { nextCheckAt: next, updatedAt: now });
    if (events.length) await this.outbox.add(manager, events, now);
    return { warnings, breaches, computed: 0 };
  }

  /**
   * A clock whose due date needed a production calendar that was not loaded: computed now if the
   * year has arrived in the config (after a restart with the new file), else tried again later.
   * Once known, the next pass records whatever the due date already implies.
   */
  private async unblock(manager: EntityManager, message: MessageEntity, clock: SlaClockEntity, now: Date): Promise<SweepResult> {
    const year = clock.blockedYear;
    this.clocks.compute(clock, now);
    if (clock.blockedYear !== null) {
      await this.sla.updateClock(manager, clock.id, { nextCheckAt: new Date(now.getTime() + BLOCKED_RETRY_MS), updatedAt: now });
      this.logger.warn(`clock ${clock.id}: no production calendar for ${clock.blockedYear}, its due date is still unknown`);
      return { warnings: 0, breaches: 0, computed: 0 };
    }
    await this.sla.updateClock(manager, clock.id, {
      dueAt: clock.dueAt,
      extensions: clock.extensions,
      blockedYear: null,
      status: clock.status,
      nextCheckAt: clock.nextCheckAt && clock.nextCheckAt < now ? now : clock.nextCheckAt,
      updatedAt: now,
    });
    await this.lifecycle.apply(
      manager,
      message,
      WATCH_ACTOR,
      {
        to: message.status,
        type: 'due-computed',
        reason: `Загружен производственный календарь на ${year} год: срок рассчитан`,
        data: { clockId: clock.id, kind: clock.kind, dueAt: clock.dueAt?.toISOString() ?? null },
        fields: clock.kind === 'final_answer' ? { dueAt: clock.dueAt } : {},
      },
      now,
    );
    return { warnings: 0, breaches: 0, computed: 1 };
  }

  /** The message's overdue flag and its history entry, once (the breach is recorded once). */
  private async flagOverdue(manager: EntityManager, message: MessageEntity, due: Date, now: Date): Promise<void> {
    const event: MessageOverdueV1 = {
      ...envelope('message.overdue', message.region, message.id, now),
      dueAt: due.toISOString(),
      organizationId: message.organizationId,
    };
    await this.lifecycle.apply(
      manager,
      message,
      WATCH_ACTOR,
      {
        to: message.status,
        type: 'overdue',
        reason: `Срок ответа истёк ${this.region.zone.formatRussian(due)}`,
        data: { dueAt: due.toISOString(), organizationId: message.organizationId },
        fields: { overdue: true },
        events: [topicEvent(TOPICS.messageEvents, event)],
      },
      now,
    );
  }
}
