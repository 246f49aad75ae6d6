import { Module } from '@nestjs/common';
import { DashboardModule } from './dashboard/dashboard.module';
import { MonthlyReportController } from './monthly-report.controller';
import { MonthlyReportService } from './monthly-report.service';
import { ReportNotices } from './report-notices';
import { RatingsReportModule } from './ratings/ratings-report.module';

/** The monthly summary (order No. 733, item 4) over HTTP, and the supervisors' notice about its submission. */
@Module({
  imports: [RatingsReportModule, DashboardModule],
  controllers: [MonthlyReportController],
  providers: [MonthlyReportService, ReportNotices],
  exports: [MonthlyReportService],
})
export class ReportingModule {}
