import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DatabaseGauges, PipelineFigures } from '../database-gauges';

/** Figures as the repository returns them; a figure set to an Error fails like a query would. */
function figures(values: {
  outbox: { pending: number; oldestAgeSeconds: number } | Error;
  deadLetters?: { topic: string; status: string; count: number }[];
  messages?: { open: number; overdue: number };
  decisions?: { routed: number; decided: number };
}): PipelineFigures {
  const answer = <T>(value: T | Error) => (value instanceof Error ? Promise.reject(value) : Promise.resolve(value));
  return {
    outboxBacklog: () => answer(values.outbox),
    deadLetters: () => answer(values.deadLetters ?? []),
    openMessages: () => answer(values.messages ?? { open: 0, overdue: 0 }),
    triageDecisions: () => answer(values.decisions ?? { routed: 0, decided: 0 }),
  };
}

/** The sample lines of a scrape, without the HELP and TYPE lines. */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line && !line.startsWith('#'));
}

describe('database gauges', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('shows each figure as the database gives it', async () => {
    const registry = new Registry();
    new DatabaseGauges(
      registry,
      figures({
        outbox: { pending: 12, oldestAgeSeconds: 3.5 },
        deadLetters: [
          { topic: 'cur.message.received', status: 'pending', count: 2 },
          { topic: 'cur.message.received', status: 'replayed', count: 1 },
        ],
        messages: { open: 40, overdue: 3 },
        decisions: { routed: 9, decided: 12 },
      }),
    );
    expect(await samples(registry)).toEqual([
      'cur_outbox_pending 12',
      'cur_outbox_oldest_pending_age_seconds 3.5',
      'cur_dead_letters_stored{topic="cur.message.received",status="pending"} 2',
      'cur_dead_letters_stored{topic="cur.message.received",status="replayed"} 1',
      'cur_messages_open 40',
      'cur_messages_overdue 3',
      'cur_triage_auto_route_share 0.75',
    ]);
  });

  it('leaves out a figure it could not read, and a share of no decisions: an unknown is not a 0', async () => {
    const registry = new Registry();
    new DatabaseGauges(registry, figures({ outbox: new Error('canceling statement due to statement timeout'), messages: { open: 1, overdue: 0 } }));
    expect(await samples(registry)).toEqual(['cur_messages_open 1', 'cur_messages_overdue 0']);
  });

  it('reads the counts of messages and decisions once per freshness period, the outbox and dead letters at every scrape', async () => {
    const reads = { outbox: 0, deadLetters: 0, messages: 0, decisions: 0 };
    let clock = 0;
    const registry = new Registry();
    new DatabaseGauges(
      registry,
      {
        outboxBacklog: () => Promise.resolve({ pending: ++reads.outbox, oldestAgeSeconds: 0 }),
        deadLetters: () => (reads.deadLetters++, Promise.resolve([])),
        openMessages: () => Promise.resolve({ open: ++reads.messages, overdue: 0 }),
        triageDecisions: () => Promise.resolve({ routed: 1, decided: ++reads.decisions }),
      },
      { forMs: 15_000, now: () => clock },
    );
    await samples(registry);
    clock = 10_000;
    const second = await samples(registry);
    expect(second).toContain('cur_outbox_pending 2');
    expect(second).toContain('cur_messages_open 1');
    expect(second).toContain('cur_triage_auto_route_share 1');
    expect(reads).toEqual({ outbox: 2, deadLetters: 2, messages: 1, decisions: 1 });
    clock = 15_000;
    const third = await samples(registry);
    expect(third).toContain('cur_messages_open 2');
    expect(third).toContain('cur_triage_auto_route_share 0.5');
    expect(reads).toEqual({ outbox: 3, deadLetters: 3, messages: 2, decisions: 2 });
  });
});
