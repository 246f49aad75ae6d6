import { describeError } from '@cur/platform';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { RegionCatalog } from '@cur/config';
import { ClassifierService, RUBRICATORS } from './classifier.service';

const JOB = 'classifier-nightly-retrain';
export const NIGHTLY_ACTOR = 'system:nightly-retrain';

/**
 * The nightly retraining: at the region's configured time, each rubricator with corrections newer
 * than its newest model gets a candidate, activated only if it is not worse.
 */
@Injectable()
export class RetrainScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetrainScheduler.name);
  private running?: Promise<void>;

  constructor(
    private readonly classifier: ClassifierService,
    private readonly scheduler: SchedulerRegistry,
    private readonly region: RegionCatalog,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.region.data.classifier.retrainCron,
      timeZone: this.region.data.timezone,
      onTick: () => {
        if (!this.running) this.running = this.runOnce().finally(() => (this.running = undefined));
      },
    });
    this.scheduler.addCronJob(JOB, job);
    job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('cron', JOB)) this.scheduler.deleteCronJob(JOB);
    await this.running;
  }

  async runOnce(): Promise<void> {
    for (const rubricator of RUBRICATORS) {
      try {
        if (!(await this.classifier.hasNewCorrections(rubricator))) continue;
        await this.classifier.retrain(rubricator, NIGHTLY_ACTOR, 'Ночное переобучение: есть новые исправления операторов');
      } catch (error) {
        this.logger.warn(`nightly retraining of ${rubricator} failed: ${describeError(error)}`);
      }
    }
  }
}
