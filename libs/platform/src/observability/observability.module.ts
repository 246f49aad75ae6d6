import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { ConsumerHealth } from './consumer-health';
import { DATABASE_COUNTS_FRESHNESS, DatabaseGauges, PipelineFigures } from './database-gauges';
import { HealthChecksController, SchedulerCheck } from './health-checks.controller';
import { HttpMetrics } from './http-metrics';
import { KafkaAdmin, KafkaLagGauge, KafkaObservation } from './kafka-admin';
import { createMetricsRegistry, Metrics } from './metrics';
import { METRICS_TOKEN, MetricsController, MetricsTokenGuard } from './metrics.controller';

export interface ObservabilityOptions {
  /** The service's name: the `service` label of every metric. */
  service: string;
  /** CUR_METRICS_TOKEN: when set, GET /metrics answers only to `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** The deployment's Kafka when the bus is Kafka: consumer lag and the broker's readiness. */
  kafka?: KafkaObservation;
  /** What reads the database gauges' figures (@cur/persistence's PipelineFiguresRepository). */
  figures: Type<PipelineFigures>;
  /** CUR_METRICS_COUNTS_SECONDS: how long the counts of open messages and triage's decisions are answered again after a read (0: every scrape). */
  countsFreshSeconds?: number;
}

/**
 * GET /metrics (Prometheus), GET /health/live and /health/ready (terminus), and the `Metrics`
 * instruments every feature may inject. The bootstrap mounts `HttpMetrics.middleware` before the
 * routes.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const observation = options.kafka;
    const kafka: Provider[] = observation ? [{ provide: KafkaAdmin, useFactory: () => new KafkaAdmin(observation) }, KafkaLagGauge] : [];
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [MetricsController, HealthChecksController],
      providers: [
        { provide: Registry, useFactory: () => createMetricsRegistry(options.service) },
        { provide: METRICS_TOKEN, useValue: options.metricsToken },
        { provide: PipelineFigures, useExisting: options.figures },
        { provide: DATABASE_COUNTS_FRESHNESS, useValue: { forMs: (options.countsFreshSeconds ?? 0) * 1000 } },
        Metrics,
        HttpMetrics,
        MetricsTokenGuard,
        DatabaseGauges,
        SchedulerCheck,
        ConsumerHealth,
        ...kafka,
      ],
      exports: [Metrics, HttpMetrics, ConsumerHealth],
    };
  }
}
