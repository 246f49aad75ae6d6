import { Module } from '@nestjs/common';
import { MonthlyReportController } from './monthly-report.controller';
import { MonthlyReportService } from './monthly-report.service';

/** The monthly summary (order No. 733, item 4) over HTTP. */
@Module({ controllers: [MonthlyReportController], providers: [MonthlyReportService], exports: [MonthlyReportService] })
export class ReportingModule {}
