import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { Environment, RegionCatalog } from '@cur/config';
import { dateOf, FixedOffsetZone, MissingCalendarYearError } from '@cur/calendar';
import { monthBounds, submissionSchedule } from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import { JobLeaseRepository, OutboxRepository, ReportRepository, ReportSubmissionEntity } from '@cur/persistence';
import { Clock, describeError } from '@cur/platform';
import { MonthlyReportService } from './monthly-report.service';
import { SUBMISSION_ACTOR, submissionEvent } from './report-submission';

const JOB = 'report-submission-watch';

export interface SubmissionSweep {
  /** Submissions created for the month just ended. */
  opened: number;
  generated: number;
  warned: number;
  overdue: number;
  /** Another instance was sweeping: this one did nothing. */
  skipped: boolean;
}

/**
 * Submission of the monthly summary by the 3rd (order No. 733, item 4). On the first working day
 * after a month ends, the summaries are generated for the region (ЦУР approves it) and for each
 * organization that answers for its own (executive bodies and municipalities at the top of the
 * directory; their institutions are in their summary). At 75% of the office time to the deadline
 * and at the deadline, the supervisors get a `cur.report.*` event for each summary not approved;
 * at the deadline a breach is recorded for the discipline registry. One instance sweeps at a time.
 */
@Injectable()
export class ReportSubmissionWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportSubmissionWatch.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly reports: ReportRepository,
    private readonly monthly: MonthlyReportService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly region: RegionCatalog,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly env: Environment,
    private readonly leases: JobLeaseRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.tick(), this.env.CUR_REPORT_WATCH_INTERVAL_MS),
    );
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const run = this.sweep();
    this.running = run;
    try {
      const r = await run;
      if (r.opened || r.generated || r.warned || r.overdue)
        this.logger.log(`summaries: ${r.opened} submission(s) opened, ${r.generated} generated, ${r.warned} warned, ${r.overdue} overdue`);
    } catch (error) {
      this.logger.warn(`summaries' sweep failed: ${describeError(error)}`);
    } finally {
      this.running = undefined;
    }
  }

  /** Organizations that submit a summary of their own: the region and the top of the directory that handles messages. */
  submitters(): (string | null)[] {
    const own = this.region.data.organizations.filter((o) => !o.parentId && (o.kind === 'executive_body' || o.kind === 'municipality')).map((o) => o.id);
    return [null, ...own];
  }

  async sweep(): Promise<SubmissionSweep> {
    const result: SubmissionSweep = { opened: 0, generated: 0, warned: 0, overdue: 0, skipped: true };
    await this.leases.exclusively(JOB, async (renew) => {
      result.skipped = false;
      const now = this.clock.now();
      const previous = previousMonth(now, this.region.zone);
      const schedule = this.scheduleOf(previous.year, previous.month);
      if (schedule && now >= schedule.generateAt) result.opened = await this.open(previous.year, previous.month, schedule, now);
      for (const due of await this.reports.submissionsDue(now)) {
        // One summary that fails (a render, a missing calendar) must not hold up the others' warnings and deadlines.
        try {
          await renew();
          if (!due.reportId && (await this.generate(due))) result.generated++;
          const changed = await this.judge(due.id);
          if (changed.warned) result.warned++;
          if (changed.overdue) result.overdue++;
        } catch (error) {
          this.logger.warn(`summary ${due.scope} ${due.year}-${due.month}: ${describeError(error)}`);
        }
      }
    });
    if (result.warned || result.overdue) this.relay.kick();
    return result;
  }

  /** A month's schedule; none while a production calendar year it needs is missing (the calendar notice says so). */
  private scheduleOf(year: number, month: number): ReturnType<typeof submissionSchedule> | null {
    try {
      return submissionSchedule(year, month, this.region.workingTime());
    } catch (error) {
      if (!(error instanceof MissingCalendarYearError)) throw error;
      this.logger.warn(`summaries for ${year}-${month}: no production calendar for ${error.year}, the deadline cannot be set`);
      return null;
    }
  }

  /**
   * The month's submissions, once. A version approved before (generated after the month ended)
   * settles its submission at once. Opened after the deadline (the service was down or deployed
   * later), a submission gets no warning and no breach: nobody could have known it was due.
   */
  private async open(year: number, month: number, schedule: { warnAt: Date; dueAt: Date }, now: Date): Promise<number> {
    const known = new Set((await this.reports.submissions({ year, month })).map((s) => s.scope));
    const { to: monthEnd } = monthBounds(year, month, this.region.zone);
    const approved = await this.reports.approvedVersions(year, month, monthEnd);
    const late = now > schedule.dueAt;
    const rows: ReportSubmissionEntity[] = this.submitters()
      .filter((organizationId) => !known.has(organizationId ?? 'region'))
      .map((organizationId) => {
        const version = approved.get(organizationId ?? 'region');
        return {
          id: randomUUID(),
          year,
          month,
          organizationId,
          scope: organizationId ?? 'region',
          dueAt: schedule.dueAt,
          warnAt: schedule.warnAt,
          reportId: version?.id ?? null,
          warnedAt: late ? now : null,
          overdueAt: late ? now : null,
          approvedReportId: version?.id ?? null,
          approvedAt: version?.approvedAt ?? null,
          createdAt: now,
        };
      });
    await this.reports.openSubmissions(rows);
    return rows.length;
  }

  /** The automatic version of a submission's summary; false when another instance made it meanwhile. */
  private async generate(due: ReportSubmissionEntity): Promise<boolean> {
    const now = this.clock.now();
    const report = await this.monthly.create(due.year, due.month, due.organizationId, SUBMISSION_ACTOR, 'Сводка за месяц сформирована автоматически', now);
    return this.reports.transaction((manager) => this.reports.claimReport(manager, due.id, report.id));
  }

  /** The 75% warning and the deadline of one submission, each once, under its row lock. */
  private judge(id: string): Promise<{ warned: boolean; overdue: boolean }> {
    return this.reports.transaction(async (manager) => {
      const now = this.clock.now();
      const submission = await this.reports.lockSubmission(manager, { id });
      if (!submission || submission.approvedAt) return { warned: false, overdue: false };
      const events = [];
      // The deadline instant itself is still in time, as with a message's clock.
      const warned = submission.warnedAt === null && submission.warnAt <= now && submission.dueAt >= now;
      const overdue = submission.overdueAt === null && submission.dueAt < now;
      if (warned) {
        await this.reports.updateSubmission(manager, submission.id, { warnedAt: now });
        events.push(submissionEvent('report.submission-at-risk', this.region.data.code, submission, now));
      }
      if (overdue) {
        const breachId = randomUUID();
        await this.reports.updateSubmission(manager, submission.id, { overdueAt: now, ...(submission.warnedAt ? {} : { warnedAt: now }) });
        await this.reports.insertBreach(manager, {
          id: breachId,
          submissionId: submission.id,
          year: submission.year,
          month: submission.month,
          organizationId: submission.organizationId,
          dueAt: submission.dueAt,
          recordedAt: now,
          approvedAt: null,
          latenessWorkingMs: null,
        });
        events.push(submissionEvent('report.submission-overdue', this.region.data.code, submission, now, { breachId }));
      }
      await this.outbox.add(manager, events, now);
      return { warned, overdue };
    });
  }
}

/** The month before the one `now` falls in, in the region's zone. */
function previousMonth(now: Date, zone: FixedOffsetZone): { year: number; month: number } {
  const [year, month] = dateOf(zone.dayOf(now.getTime())).split('-').map(Number);
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}
