import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { Freshness, ScrapeRead } from './scrape-read';

/** How long a scrape waits for one database figure; the query is cancelled by PostgreSQL after the same time. */
export const DATABASE_GAUGE_TIMEOUT_MS = 2_000;

/**
 * The database figures behind the gauges, one cheap query each, every query bounded by the
 * timeout it is given. @cur/persistence's PipelineFiguresRepository reads them; the bootstrap
 * binds it (the platform does not depend on persistence).
 */
export abstract class PipelineFigures {
  abstract outboxBacklog(timeoutMs: number): Promise<{ pending: number; oldestAgeSeconds: number }>;
  abstract deadLetters(timeoutMs: number): Promise<{ topic: string; status: string; count: number }[]>;
  abstract openMessages(timeoutMs: number): Promise<{ open: number; overdue: number }>;
  abstract triageDecisions(timeoutMs: number): Promise<{ routed: number; decided: number }>;
}

/**
 * How long the figures that count a large table (open and overdue messages, triage's decisions of
 * a day) are answered again after a read: Prometheus scrapes every service, often every 15 s or
 * less, and each of them counting the open messages is a scan of that set. The outbox backlog and
 * the dead letters are read at every scrape (the backlog must be seen moving; both are small).
 */
export const DATABASE_COUNTS_FRESHNESS = Symbol('DATABASE_COUNTS_FRESHNESS');

/** Sets a gauge without labels, or leaves it without a sample when its figure was not read (an unknown is not a 0). */
function show(gauge: Gauge, value: number | undefined): void {
  gauge.reset();
  if (value === undefined) gauge.remove();
  else gauge.set(value);
}

/**
 * Gauges read from the database when Prometheus scrapes: the outbox backlog and its age, dead
 * letters, open and overdue messages, and triage's auto-route share. Each service exposes them;
 * each figure is one query bounded by a timeout, so a slow database leaves them out of a scrape
 * rather than holding it; the counts of messages and decisions are read at most once per
 * `DATABASE_COUNTS_FRESHNESS`.
 */
@Injectable()
export class DatabaseGauges {
  constructor(registry: Registry, figures: PipelineFigures, @Optional() @Inject(DATABASE_COUNTS_FRESHNESS) counts: Freshness = { forMs: 0 }) {
    const logger = new Logger('Metrics');
    const ms = DATABASE_GAUGE_TIMEOUT_MS;
    const outbox = new ScrapeRead('outbox backlog', ms, () => figures.outboxBacklog(ms), logger);
    const deadLetters = new ScrapeRead('dead letters', ms, () => figures.deadLetters(ms), logger);
    const messages = new ScrapeRead('open messages', ms, () => figures.openMessages(ms), logger, counts);
    const decisions = new ScrapeRead('triage decisions', ms, () => figures.triageDecisions(ms), logger, counts);
    const registers = [registry];

    new Gauge({
      name: 'cur_outbox_pending',
      help: 'Outbox events not yet published.',
      registers,
      async collect() {
        show(this, (await outbox.value())?.pending);
      },
    });
    new Gauge({
      name: 'cur_outbox_oldest_pending_age_seconds',
      help: "Age of the oldest unpublished outbox event, seconds, by the database's clock (0 when none waits).",
      registers,
      async collect() {
        show(this, (await outbox.value())?.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'cur_dead_letters_stored',
      help: 'Dead letters kept, by original topic and status (pending, replayed).',
      labelNames: ['topic', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await deadLetters.value()) ?? []) this.set({ topic: row.topic, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'cur_messages_open',
      help: 'Messages in an open status (their answer clock runs).',
      registers,
      async collect() {
        show(this, (await messages.value())?.open);
      },
    });
    new Gauge({
      name: 'cur_messages_overdue',
      help: 'Open messages the deadline watch flagged overdue.',
      registers,
      async collect() {
        show(this, (await messages.value())?.overdue);
      },
    });
    new Gauge({
      name: 'cur_triage_auto_route_share',
      help: "Share of triage's automatic decisions that routed the message (the rest went to operators), over the 24 hours up to the latest decision.",
      registers,
      async collect() {
        const read = await decisions.value();
        show(this, read && read.decided > 0 ? read.routed / read.decided : undefined);
      },
    });
  }
}
