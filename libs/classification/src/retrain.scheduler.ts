import { describeError } from '@cur/platform';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { RegionCatalog } from '@cur/config';
import { JobLeaseRepository } from '@cur/persistence';
import { ClassifierService, RUBRICATORS } from './classifier.service';

const JOB = 'classifier-nightly-retrain';
export const NIGHTLY_ACTOR = 'system:nightly-retrain';
/** The job's lease, renewed a third of the way through while it trains; one left by a crashed process expires. */
const LEASE_MS = 5 * 60_000;

/**
 * The nightly retraining: at the region's configured time, each rubricator with corrections newer
 * than its newest model gets a candidate, activated only if it is not worse. One process trains
 * it: every triage process has the job, and the first to take the lease runs it (a later one
 * finds no corrections newer than the candidate).
 */
@Injectable()
export class RetrainScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetrainScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly classifier: ClassifierService,
    private readonly scheduler: SchedulerRegistry,
    private readonly region: RegionCatalog,
    private readonly leases: JobLeaseRepository,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.region.data.classifier.retrainCron,
      timeZone: this.region.data.timezone,
      onTick: () => {
        if (this.running) return;
        this.running = this.runOnce()
          // The lease's statements: the database may be away tonight; tomorrow's tick tries again.
          .catch((error: unknown) => this.logger.warn(`nightly retraining not run: ${describeError(error)}`))
          .finally(() => (this.running = undefined));
      },
    });
    this.scheduler.addCronJob(JOB, job);
    job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('cron', JOB)) this.scheduler.deleteCronJob(JOB);
    await this.running;
  }

  /** False: another process runs it now, and this one did nothing. */
  async runOnce(): Promise<boolean> {
    const ran = await this.leases.exclusively(
      JOB,
      async (renew) => {
        const renewing = setInterval(
          () => void renew().catch((error: unknown) => this.logger.warn(`nightly retraining: lease not renewed: ${describeError(error)}`)),
          LEASE_MS / 3,
        );
        try {
          for (const rubricator of RUBRICATORS) {
            try {
              if (!(await this.classifier.hasNewCorrections(rubricator))) continue;
              await this.classifier.retrain(rubricator, NIGHTLY_ACTOR, 'Ночное переобучение: есть новые исправления операторов');
            } catch (error) {
              this.logger.warn(`nightly retraining of ${rubricator} failed: ${describeError(error)}`);
            }
          }
        } finally {
          clearInterval(renewing);
        }
      },
      LEASE_MS,
    );
    if (!ran) this.logger.log('nightly retraining: another process runs it now');
    return ran;
  }
}
