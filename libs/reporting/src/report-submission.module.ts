import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { MonthlyReportService } from './monthly-report.service';
import { ReportSubmissionWatch } from './report-submission.watch';

/** The monthly summaries' generation on the first working day and their deadline watch, for the service that runs scheduled work. */
@Module({ imports: [ScheduleModule.forRoot()], providers: [MonthlyReportService, ReportSubmissionWatch], exports: [ReportSubmissionWatch] })
export class ReportSubmissionModule {}
