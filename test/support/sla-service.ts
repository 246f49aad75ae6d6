import { randomUUID } from 'node:crypto';
import { RegionCatalog } from '@cur/config';
import { DisciplineModule } from '@cur/discipline';
import { DataSource } from 'typeorm';
import { Channel, Importance, Role } from '@cur/domain';
import { MessagesModule } from '@cur/messages';
import { MessageRepository } from '@cur/persistence';
import { Clock } from '@cur/platform';
import { runService, RunningService } from '@cur/runtime';
import { ClockService } from '@cur/lifecycle';
import { DeadlinesModule, SlaModule, SlaWatchService } from '@cur/sla';
import { WorkflowModule } from '@cur/workflow';
import { Infrastructure } from './infrastructure';
import { messageRow } from './message-rows';
import { inProcessEnv } from './services';
import { TestUsers } from './users';

/** A clock the test moves by hand. */
export class ManualClock extends Clock {
  constructor(private instant: Date) {
    super();
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(local: string): void {
    this.instant = new Date(local);
  }
}

/**
 * The deadline side in one process with a clock the test controls: the watch, deadlines,
 * workflow and discipline APIs, on the real PostgreSQL and Kafka of the run. The watch's own
 * interval is an hour, so the test decides when a sweep happens (plus the catch-up at start).
 */
export async function startSlaService(
  infra: Infrastructure,
  clock: ManualClock,
  groupPrefix: string,
  env: Record<string, string> = {},
): Promise<
  RunningService & {
    sweep(): ReturnType<SlaWatchService['sweep']>;
    seed(message: SeedMessage): Promise<string>;
    as(role: Role, organizationId?: string): Promise<Record<string, string>>;
  }
> {
  const service = await runService(
    { name: 'sla', imports: [SlaModule, DeadlinesModule, WorkflowModule, DisciplineModule, MessagesModule], consumes: false, signIn: true, defaultPort: 0 },
    // The shared database, migrated by the run's set-up.
    inProcessEnv(infra.databaseUrl, groupPrefix, {
      KAFKA_BROKERS: infra.kafkaBrokers,
      CUR_SLA_WATCH_INTERVAL_MS: '3600000',
      CUR_RUN_MIGRATIONS: 'false',
      ...env,
    }),
    { clock },
  );
  const app = service.app;
  const users = TestUsers.of(app.get(DataSource));
  return {
    ...service,
    as: (role, organizationId) => users.headers(service.url, role, organizationId ?? null),
    sweep: () => app.get(SlaWatchService).sweep(),
    seed: (message) => seed(app.get(MessageRepository), app.get(ClockService), app.get(RegionCatalog), clock, message),
  };
}

export interface SeedMessage {
  channel: Channel;
  importance?: Importance;
  categoryCode?: string;
  /** null: left with ЦУР (the operator queue). */
  organizationId: string | null;
  text?: string;
}

/**
 * A message as triage leaves it, routed now: the message row and its clocks written by the
 * same clock service triage uses, in one transaction.
 */
async function seed(messages: MessageRepository, clocks: ClockService, region: RegionCatalog, clock: Clock, input: SeedMessage): Promise<string> {
  const now = clock.now();
  const id = randomUUID();
  await messages.transaction(async (manager) => {
    const row = messageRow(
      {
        id,
        region: region.data.code,
        channel: input.channel,
        source: 'sla-test',
        text: input.text ?? 'Тестовое сообщение проекта о яме на дороге',
        importance: input.importance ?? 'normal',
        categoryCode: input.categoryCode ?? null,
        organizationId: input.organizationId,
        status: input.organizationId ? 'assigned' : 'needs_triage',
      },
      now,
    );
    await messages.insertIfNew(manager, row);
    const locked = (await messages.lockById(manager, id))!;
    const outcome = await clocks.apply(
      manager,
      locked,
      { type: 'routed', at: now, receivedAt: now, organizationId: input.organizationId, by: 'system:triage' },
      now,
    );
    await messages.update(manager, id, { dueAt: outcome.dueAt });
  });
  return id;
}
