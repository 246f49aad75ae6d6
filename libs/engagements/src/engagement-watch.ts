import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Environment } from '@cur/config';
import { JobLeaseRepository } from '@cur/persistence';
import { describeError } from '@cur/platform';
import { EngagementsService } from './engagements.service';

const JOB = 'engagement-watch';

/**
 * Closes each published engagement at its `closesAt` (its secret erased with it), on one instance
 * at a time across several (a lease row, as the summaries' watch).
 */
@Injectable()
export class EngagementWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EngagementWatch.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly engagements: EngagementsService,
    private readonly leases: JobLeaseRepository,
    private readonly scheduler: SchedulerRegistry,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.tick(), this.env.CUR_ENGAGEMENT_WATCH_INTERVAL_MS),
    );
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  /** One sweep (also for tests): how many engagements it closed, or null when another instance was sweeping. */
  async sweep(): Promise<number | null> {
    let closed: number | null = null;
    await this.leases.exclusively(JOB, async () => {
      closed = await this.engagements.closeDue();
    });
    return closed;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const run = this.sweep();
    this.running = run;
    try {
      const closed = await run;
      if (closed) this.logger.log(`engagements: ${closed} closed on time`);
    } catch (error) {
      this.logger.warn(`engagements' sweep failed: ${describeError(error)}`);
    } finally {
      this.running = undefined;
    }
  }
}
