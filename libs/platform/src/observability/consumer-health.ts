import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Counter, Registry } from 'prom-client';

/** What a bus server tells of its consumer: it runs, or it stopped and is being started again. */
export interface ConsumerObserver {
  running(group: string): void;
  stopped(group: string, error: string): void;
}

/**
 * This service's bus consumer as readiness and /metrics show it: the Kafka bus server reports
 * to it. Ready is down from the moment a consumer crashed until one of the group's joins again
 * (kafkajs restarting it, or a new one the server started); the service still answers requests
 * meanwhile, but reads nothing of its topics. `cur_bus_consumer_restarts_total` counts the
 * consumers that ran again after a crash. A service that consumes nothing reports nothing and
 * has no such check; what is shown of an error is its name, never its text (the probe is public).
 */
@Injectable()
export class ConsumerHealth implements ConsumerObserver {
  private group?: string;
  private down?: { since: Date; error: string };
  private readonly restarts: Counter<'group'>;

  constructor(registry: Registry) {
    this.restarts = new Counter({
      name: 'cur_bus_consumer_restarts_total',
      help: 'Bus consumers that ran again after a crash (restarted by kafkajs or started anew), by consumer group.',
      labelNames: ['group'],
      registers: [registry],
    });
  }

  running(group: string): void {
    // From the first run on the series exists, so the first restart is an increase.
    this.restarts.inc({ group }, this.down ? 1 : 0);
    this.group = group;
    this.down = undefined;
  }

  stopped(group: string, error: string): void {
    this.group = group;
    this.down ??= { since: new Date(), error };
  }

  /** Undefined for a service without a consumer. */
  check(indicators: HealthIndicatorService): HealthIndicatorResult | undefined {
    if (this.group === undefined) return undefined;
    const indicator = indicators.check('consumer');
    return this.down
      ? indicator.down({ group: this.group, stoppedAt: this.down.since.toISOString(), error: this.down.error })
      : indicator.up({ group: this.group });
  }
}
