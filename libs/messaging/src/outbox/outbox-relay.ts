import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OutboxRepository } from '@cur/persistence';
import { describeError } from '@cur/platform';
import { EventPublisher } from '../bus';

export class OutboxRelayOptions {
  batchSize = 500;
  /** How long the relay waits when the outbox is empty, unless kicked. */
  idlePollMs = 200;
  /** How long a claimed batch is reserved for this relay before another may take it. */
  leaseMs = 30_000;
}

/**
 * Publishes outbox rows in id order and marks them sent. Claims are leases, so several relays
 * (one per service instance) never publish the same row at the same time; a relay that dies
 * mid-batch leaves rows that are published again after the lease (consumers are idempotent).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** The first shutdown step, before Nest closes the transports: nothing is published into a closed bus. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Wake the relay now: new rows were committed. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Publishes everything pending now; returns how many were sent. Used by the loop and by tests. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.outbox.claim(this.options.batchSize, this.options.leaseMs);
      if (batch.length === 0) return total;
      try {
        await this.publisher.publish(batch.map((e) => ({ topic: e.topic, key: e.key, value: e.payload })));
      } catch (error) {
        await this.outbox.release(batch.map((e) => e.id)).catch(() => undefined);
        throw error;
      }
      await this.outbox.markSent(batch.map((e) => e.id));
      total += batch.length;
      if (batch.length < this.options.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.kicked = false;
      try {
        await this.drain();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn(`outbox publish failed (${failures} in a row): ${describeError(error)}`);
      }
      if (!this.running) break;
      if (this.kicked && failures === 0) continue;
      const wait = failures ? Math.min(this.options.idlePollMs * 2 ** failures, 10_000) : this.options.idlePollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
