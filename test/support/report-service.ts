import { randomUUID } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RegionCatalog } from '@cur/config';
import { Channel, Role } from '@cur/domain';
import { MessageLifecycle } from '@cur/lifecycle';
import { MessageRepository } from '@cur/persistence';
import { runService, RunningService } from '@cur/runtime';
import { postJson } from './http';
import { scratchDatabase } from './infrastructure';
import { messageRow } from './message-rows';
import { inProcessEnv } from './services';
import { ManualClock } from './sla-service';
import { TestUsers } from './users';

export interface ReportTestService {
  service: RunningService;
  url: string;
  databaseUrl: string;
  /** Authorization headers of this run's user with the role at the organization. */
  as(role: Role, organizationId?: string | null): Promise<Record<string, string>>;
  /** A workflow action on a message, which must succeed (200 or 201); its body. */
  act(id: string, path: string, body: object, headers: Record<string, string>): Promise<any>;
  /** The organization's head answers the message now. */
  answer(id: string, organizationId: string): Promise<any>;
  /** A message received now, as triage routes it (or leaves it with ЦУР), through the life cycle. */
  receive(message: { channel: Channel; organizationId: string | null; categoryCode?: string | null; territoryId?: string | null }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The reports' side in one process on a database of its own (a month's figures would count
 * everyone else's messages on the shared one), with a clock the test moves: the given modules on
 * the run's Kafka, migrated at start. Messages go through the product's own life cycle.
 */
export async function startReportService(
  label: string,
  clock: ManualClock,
  imports: (Type<unknown> | DynamicModule)[],
  env: Record<string, string> = {},
): Promise<ReportTestService> {
  const database = await scratchDatabase(label);
  const service = await runService(
    { name: 'api', imports, consumes: false, signIn: true, defaultPort: 0 },
    inProcessEnv(database.url, `${label}-${Date.now()}`, env),
    {
      clock,
    },
  ).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const users = TestUsers.of(service.app.get(DataSource));
  const as = (role: Role, organizationId: string | null = null) => users.headers(service.url, role, organizationId);
  const act = async (id: string, path: string, body: object, headers: Record<string, string>) => {
    const res = await postJson(`${service.url}/api/v1/messages/${id}/${path}`, body, headers);
    expect({ path, ok: res.status === 200 || res.status === 201, body: res.status >= 300 ? res.body : undefined }).toEqual({ path, ok: true, body: undefined });
    return res.body;
  };
  return {
    service,
    url: service.url,
    databaseUrl: database.url,
    as,
    act,
    answer: async (id, organizationId) => act(id, 'answer', { text: 'Ответ проекта: работы выполнены' }, await as('head', organizationId)),
    receive: (message) => receive(service, clock, label, message),
    stop: async () => {
      await service.stop();
      await database.drop();
    },
  };
}

async function receive(
  service: RunningService,
  clock: ManualClock,
  source: string,
  input: { channel: Channel; organizationId: string | null; categoryCode?: string | null; territoryId?: string | null },
): Promise<string> {
  const lifecycle = service.app.get(MessageLifecycle);
  const region = service.app.get(RegionCatalog);
  const { organizationId } = input;
  const now = clock.now();
  const id = randomUUID();
  await service.app.get(MessageRepository).transaction((manager) =>
    lifecycle.admit(
      manager,
      messageRow(
        {
          id,
          region: region.data.code,
          channel: input.channel,
          source: `${source}-test`,
          text: 'Тестовое сообщение проекта',
          territoryId: input.territoryId ?? null,
        },
        now,
      ),
      'system:intake',
      { type: 'received', reason: null },
      [],
    ),
  );
  await lifecycle.change(id, 'system:triage', (message) => ({
    to: organizationId ? 'assigned' : 'needs_triage',
    type: organizationId ? 'routed' : 'needs-triage',
    reason: 'fixture',
    fields: { organizationId, categoryCode: input.categoryCode ?? null },
    clockEvents: [{ type: 'routed', at: now, receivedAt: message.receivedAt, organizationId, by: 'system:triage' }],
  }));
  return id;
}
