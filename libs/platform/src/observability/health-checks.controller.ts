import { Controller, Get, Injectable, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { UnknownElementException } from '@nestjs/core/errors/exceptions';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../access';
import { describeError } from '../error-log';
import { Readiness } from '../health.controller';
import { ConsumerHealth } from './consumer-health';
import { KafkaAdmin } from './kafka-admin';

/** How long the readiness check waits for the database's `SELECT 1`. */
export const DATABASE_PING_TIMEOUT_MS = 2_000;

/**
 * The @nestjs/schedule jobs of this service (the deadline, summaries' and engagements' watches,
 * the nightly retraining): those it had when it first answered ready must all still be
 * registered, and its cron jobs running. The watches register their jobs while the application
 * boots, before it answers at all, and remove them only when it stops. Each feature module that
 * imports `ScheduleModule.forRoot()` gets a registry of its own (Nest 11 tells dynamic modules
 * apart by reference), so every registry of the application is read.
 */
@Injectable()
export class SchedulerCheck {
  private expected?: Set<string>;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Every job by kind and name (`interval:sla-watch`, `cron:classifier-nightly-retrain`), and the cron jobs not running. */
  private jobs(): { names: string[]; stopped: string[] } | undefined {
    let registries: SchedulerRegistry[];
    try {
      registries = [...new Set(this.moduleRef.get(SchedulerRegistry, { strict: false, each: true }))];
    } catch (error) {
      if (error instanceof UnknownElementException) return undefined; // a service without scheduled jobs (intake)
      throw error;
    }
    const names: string[] = [];
    const stopped: string[] = [];
    for (const registry of registries) {
      names.push(...registry.getIntervals().map((name) => `interval:${name}`), ...registry.getTimeouts().map((name) => `timeout:${name}`));
      for (const [name, job] of registry.getCronJobs()) {
        names.push(`cron:${name}`);
        if (!job.isActive) stopped.push(`cron:${name}`);
      }
    }
    return { names: names.sort(), stopped };
  }

  /** Undefined for a service that schedules nothing. */
  check(): HealthIndicatorResult | undefined {
    const jobs = this.jobs();
    if (!jobs) return undefined;
    const indicator = this.indicators.check('scheduler');
    if (this.readiness.ready) this.expected ??= new Set(jobs.names);
    const missing = [...(this.expected ?? [])].filter((name) => !jobs.names.includes(name));
    return missing.length || jobs.stopped.length ? indicator.down({ missing, stopped: jobs.stopped }) : indicator.up({ jobs: jobs.names });
  }
}

/**
 * Liveness and readiness for an orchestrator, in @nestjs/terminus's shape
 * (`{status, info, error, details}`); GET /health stays as it is for people and scripts.
 */
@Controller('health')
export class HealthChecksController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly readiness: Readiness,
    private readonly scheduler: SchedulerCheck,
    private readonly consumer: ConsumerHealth,
    @Optional() private readonly kafka?: KafkaAdmin,
  ) {}

  /** 200 while the process answers (its event loop turns); 503 once it is shutting down. */
  @Get('live')
  @Public()
  live(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, []);
  }

  /**
   * 200 when the service can take work: its transports listen, the database answers `SELECT 1`
   * in time, the Kafka cluster can be described (when the bus is Kafka), its scheduled jobs run
   * and its consumer runs (when it has one on Kafka); 503 with each check's detail otherwise.
   */
  @Get('ready')
  @Public()
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () => {
        const indicator = this.indicators.check('service');
        return this.readiness.ready ? indicator.up() : indicator.down({ message: 'starting or stopping' });
      },
      () => this.database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
    ];
    const kafka = this.kafka;
    if (kafka) {
      checks.push(async () => {
        const indicator = this.indicators.check('broker');
        try {
          const cluster = await kafka.use('Kafka cluster', (admin) => admin.describeCluster());
          return indicator.up({ brokers: cluster.brokers.length });
        } catch (error) {
          return indicator.down({ message: describeError(error) });
        }
      });
    }
    const scheduler = this.scheduler.check();
    if (scheduler) checks.push(() => scheduler);
    const consumer = this.consumer.check(this.indicators);
    if (consumer) checks.push(() => consumer);
    return this.answer(response, checks);
  }

  /** Terminus's result with its status: 503 keeps terminus's body, not the API's error shape. */
  private async answer(response: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
