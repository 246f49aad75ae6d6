import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Environment } from '@cur/config';
import { JobLeaseRepository } from '@cur/persistence';
import { describeError } from '@cur/platform';
import { EngagementsService } from './engagements.service';

const JOB = 'engagement-watch';

/**
 * Closes each published engagement at its `closesAt` (its secret erased with it), and watches the
 * terms of its result and decision (a warning at 75%, a breach at the due instant), on one
 * instance at a time across several (a lease row, as the summaries' watch).
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

  /** One sweep (also for tests): what it did, or null when another instance was sweeping. */
  async sweep(): Promise<{ closed: number; warned: number; breached: number } | null> {
    let done: { closed: number; warned: number; breached: number } | null = null;
    await this.leases.exclusively(JOB, async () => {
      const closed = await this.engagements.closeDue();
      done = { closed, ...(await this.engagements.judgeSteps()) };
    });
    return done;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const run = this.sweep();
    this.running = run;
    try {
      const done = await run;
      if (done && (done.closed || done.warned || done.breached))
        this.logger.log(`engagements: ${done.closed} closed on time, ${done.warned} warned, ${done.breached} overdue`);
    } catch (error) {
      this.logger.warn(`engagements' sweep failed: ${describeError(error)}`);
    } finally {
      this.running = undefined;
    }
  }
}
