import { Module } from '@nestjs/common';
import { RatingsReportController } from './ratings-report.controller';
import { RatingsReportService } from './ratings-report.service';

/** The organizations' league table (issue 12, point 6) over HTTP. */
@Module({ controllers: [RatingsReportController], providers: [RatingsReportService], exports: [RatingsReportService] })
export class RatingsReportModule {}
