import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Sizes of batches (intake's group commit, triage's consumed batches, the relay's): 1 to 1,000. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Latencies, seconds: 1 ms to 30 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The registry GET /metrics exposes: one per application, never prom-client's global one, so two
 * Nest applications in one process (tests) do not share or collide. Every metric carries the
 * `service` label; the process's own figures (CPU, memory, event loop lag, GC) are prefixed `cur_`.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'cur_' });
  return registry;
}

/**
 * The pipeline's instruments, recorded on its hot paths. Inject `Metrics` (exported by
 * @cur/platform, provided by ObservabilityModule in every service) and call, e.g.
 * `metrics.intakeMessagesTotal.inc({ channel: 'pos', outcome: 'created' })` or
 * `metrics.triageBatchSize.observe(records.length)`. Labels never hold personal data or ids.
 */
@Injectable()
export class Metrics {
  /** Messages intake wrote in one transaction (its group commit). */
  readonly intakeBatchSize: Histogram;
  /** Messages intake took, by `channel` (pos, appeal, social) and `outcome`: `created`, or `duplicate` of a known (source, externalId). */
  readonly intakeMessagesTotal: Counter<'channel' | 'outcome'>;
  /** Messages triage handled in one transaction (one consumed batch). */
  readonly triageBatchSize: Histogram;
  /** From a message's receipt (its `receivedAt`) to triage's decision, seconds, measured on the clock that stamped `receivedAt`. */
  readonly triageLatencySeconds: Histogram;
  /** Triage's automatic decisions by `outcome`: `routed` to an organization, or `needs_triage` by an operator. */
  readonly triageDecisionsTotal: Counter<'outcome'>;
  /** Outbox events the relay published in one batch. */
  readonly relayBatchSize: Histogram;
  /** Outbox events the relay published. */
  readonly relayPublishedTotal: Counter;
  /** Records a consumer gave up on and dead-lettered, and outbox events the relay set aside unpublished, by original `topic`. */
  readonly deadLettersTotal: Counter<'topic'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.intakeBatchSize = new Histogram({
      name: 'cur_intake_batch_size',
      help: 'Messages intake wrote in one transaction.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.intakeMessagesTotal = new Counter({
      name: 'cur_intake_messages_total',
      help: 'Messages intake took, by channel and outcome (created, duplicate).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.triageBatchSize = new Histogram({
      name: 'cur_triage_batch_size',
      help: 'Messages triage handled in one transaction.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.triageLatencySeconds = new Histogram({
      name: 'cur_triage_latency_seconds',
      help: "Seconds from a message's receipt to triage's decision.",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.triageDecisionsTotal = new Counter({
      name: 'cur_triage_decisions_total',
      help: "Triage's automatic decisions by outcome (routed, needs_triage).",
      labelNames: ['outcome'],
      registers,
    });
    this.relayBatchSize = new Histogram({
      name: 'cur_relay_batch_size',
      help: 'Outbox events the relay published in one batch.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.relayPublishedTotal = new Counter({ name: 'cur_relay_published_total', help: 'Outbox events the relay published.', registers });
    this.deadLettersTotal = new Counter({
      name: 'cur_dead_letters_total',
      help: 'Records a consumer dead-lettered, and outbox events the relay set aside unpublished, by original topic.',
      labelNames: ['topic'],
      registers,
    });
  }
}
