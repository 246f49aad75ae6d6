import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Environment } from '@cur/config';
import { envelope, MessageOverdueV1, TOPICS } from '@cur/contracts';
import { OutboxRelay } from '@cur/messaging';
import { MessageEntity, MessageRepository, OutboxRepository, outboxEvent } from '@cur/persistence';
import { OPEN_STATUSES } from '@cur/domain';
import { Clock } from '@cur/platform';

const JOB = 'sla-overdue-watch';

/**
 * Flags open messages whose answer due date has passed, once: the flag is set with a conditional
 * update, so a restart or a second instance never records the same breach twice. The full watch
 * (warnings, breach records, working-time lateness) is issue 4.
 */
@Injectable()
export class OverdueWatchService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OverdueWatchService.name);
  private running?: Promise<number>;

  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.env.CUR_SLA_WATCH_INTERVAL_MS);
    this.scheduler.addInterval(JOB, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep();
    try {
      const flagged = await this.running;
      if (flagged) this.logger.log(`flagged ${flagged} overdue message(s)`);
    } catch (error) {
      this.logger.warn(`overdue sweep failed: ${error instanceof Error ? error.message : error}`);
    } finally {
      this.running = undefined;
    }
  }

  /** One pass; returns how many messages became overdue. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let flagged = 0;
    for (;;) {
      const batch = await this.messages.findNewlyOverdue(now, 200);
      if (batch.length === 0) break;
      for (const message of batch) {
        const changed = await this.messages.transaction(async (manager) => {
          const result = await manager
            .createQueryBuilder()
            .update(MessageEntity)
            .set({ overdue: true })
            .where('id = :id AND overdue = false AND due_at < :now AND status IN (:...open)', { id: message.id, now, open: OPEN_STATUSES })
            .execute();
          if (result.affected !== 1) return false;
          await this.messages.addHistory(manager, [
            {
              messageId: message.id,
              type: 'overdue',
              fromStatus: message.status,
              toStatus: message.status,
              actor: 'system:sla',
              reason: `Срок ответа истёк ${message.dueAt!.toISOString()}`,
              data: { dueAt: message.dueAt!.toISOString(), organizationId: message.organizationId },
              at: now,
            },
          ]);
          const event: MessageOverdueV1 = {
            ...envelope('message.overdue', message.region, message.id, now),
            dueAt: message.dueAt!.toISOString(),
            organizationId: message.organizationId,
          };
          await this.outbox.add(manager, [outboxEvent(TOPICS.messageEvents, event)], now);
          return true;
        });
        if (changed) flagged++;
      }
      if (batch.length < 200) break;
    }
    if (flagged) this.relay.kick();
    return flagged;
  }
}
