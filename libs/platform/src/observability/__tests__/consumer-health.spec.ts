import { HealthIndicatorService } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { ConsumerHealth } from '../consumer-health';

describe("the consumer's health", () => {
  const indicators = new HealthIndicatorService();

  it('has no check in a service that consumes nothing', () => {
    expect(new ConsumerHealth(new Registry()).check(indicators)).toBeUndefined();
  });

  it('is down from a stop until a new consumer runs, keeping the first stop, and counts the consumers started anew', async () => {
    const registry = new Registry();
    const health = new ConsumerHealth(registry);
    health.running('cur-triage');
    expect(health.check(indicators)).toEqual({ consumer: { status: 'up', group: 'cur-triage' } });
    // The series exists from the first run, so that the first restart shows as an increase.
    expect(await registry.metrics()).toContain('cur_bus_consumer_restarts_total{group="cur-triage"} 0');

    health.stopped('cur-triage', 'KafkaJSGroupCoordinatorNotFound');
    const down = health.check(indicators)?.consumer;
    expect(down).toMatchObject({ status: 'down', group: 'cur-triage', error: 'KafkaJSGroupCoordinatorNotFound' });
    // A failed start of the new one does not move the moment it stopped.
    health.stopped('cur-triage', 'KafkaJSConnectionError');
    expect(health.check(indicators)?.consumer).toEqual(down);

    health.running('cur-triage');
    expect(health.check(indicators)).toEqual({ consumer: { status: 'up', group: 'cur-triage' } });
    expect(await registry.metrics()).toContain('cur_bus_consumer_restarts_total{group="cur-triage"} 1');
    // Running again without a stop is no restart.
    health.running('cur-triage');
    expect(await registry.metrics()).toContain('cur_bus_consumer_restarts_total{group="cur-triage"} 1');
  });
});
