import { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { REPORT_SECTIONS, ReportSectionKey } from '@cur/domain';
import { COUNTED_FIGURES, CountedFigure } from '@cur/contracts';
import { RegionCatalog } from '@cur/config';
import { CurrentUser, describeError, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { renderMonthlyPdf, writeMonthlyCsv, writeMonthlyXlsx } from './render';
import { MonthlyReportService } from './monthly-report.service';

const FIGURE_SECTIONS = [...REPORT_SECTIONS, 'all'] as const;

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class GenerateReportBody {
  @IsInt({ message: 'year must be an integer 2000..2100' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @IsInt({ message: 'month must be an integer 1..12' })
  @Min(1)
  @Max(12)
  month!: number;

  /** An organization's own summary (with its subordinates); omitted: the region's. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  /** Why it is generated (again). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ListReportsQuery {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'year must be an integer 2000..2100' })
  @Min(2000)
  @Max(2100)
  year?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'month must be an integer 1..12' })
  @Min(1)
  @Max(12)
  month?: number;
}

const FORMATS = ['xlsx', 'pdf', 'csv'] as const;
type FileFormat = (typeof FORMATS)[number];
const TYPES: Record<FileFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
};
const WRITERS = { xlsx: writeMonthlyXlsx, pdf: renderMonthlyPdf, csv: writeMonthlyCsv };

export class FileQuery {
  @IsIn(FORMATS, { message: 'format must be one of xlsx, pdf, csv' })
  format!: FileFormat;
}

export class ApproveBody {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class FigureMessagesQuery {
  @Transform(toInt)
  @IsInt({ message: 'year must be an integer 2000..2100' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Transform(toInt)
  @IsInt({ message: 'month must be an integer 1..12' })
  @Min(1)
  @Max(12)
  month!: number;

  /** A section of the summary, or 'all' of them (the dashboard's charts count every channel). */
  @IsIn(FIGURE_SECTIONS, { message: `section must be one of ${FIGURE_SECTIONS.join(', ')}` })
  section!: ReportSectionKey | 'all';

  @IsIn(COUNTED_FIGURES, { message: `figure must be one of ${COUNTED_FIGURES.join(', ')}` })
  figure!: CountedFigure;

  /** The summary's scope: an organization with its subordinates (heads: their own, the default). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  scopeOrganizationId?: string;

  /** One row of the summary: an organization… */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  /** …or a category ('' = the messages without one). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'Категория: должна быть кодом категории' })
  @MaxLength(64)
  categoryCode?: string;

  /** The dashboard's cells: the message's territory ('' = none)… */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'Территория: должна быть кодом территории' })
  @MaxLength(64)
  territoryId?: string;

  /** …a day of the month: the receipt (`received`) or the fact counted (a flow figure) on that day… */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Поле «day»: должно быть датой ГГГГ-ММ-ДД' })
  day?: string;

  /** …or a week from its Monday, as the period instead of the month (flow figures: the on-time share by week). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Поле «week»: должно быть датой ГГГГ-ММ-ДД (понедельником)' })
  week?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer 1..500' })
  @Min(1)
  @Max(500)
  limit = 100;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'offset must be an integer 0..1000000' })
  @Min(0)
  @Max(1_000_000)
  offset = 0;
}

/** The monthly summary of order No. 733, item 4, and the drill-down to the messages behind each figure. */
@Controller('api/v1/reports')
@Roles('supervisor', 'head')
export class MonthlyReportController {
  private readonly logger = new Logger(MonthlyReportController.name);

  constructor(
    private readonly reports: MonthlyReportService,
    private readonly region: RegionCatalog,
  ) {}

  @Post('monthly')
  @HttpCode(201)
  generate(@Body() body: GenerateReportBody, @CurrentUser() by: Principal) {
    return this.reports.generate(body, by);
  }

  @Get('monthly')
  list(@Query() query: ListReportsQuery, @CurrentUser() by: Principal) {
    return this.reports.list(query, by);
  }

  /** The month's expected summaries and their deadline (by the 3rd). */
  @Get('submissions')
  submissions(@Query() query: ListReportsQuery, @CurrentUser() by: Principal) {
    return this.reports.submissions(query, by);
  }

  /** Summaries approved late or not at all, for the discipline registry. */
  @Get('breaches')
  breaches(@CurrentUser() by: Principal) {
    return this.reports.breaches(by);
  }

  @Get('monthly/:id')
  get(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.reports.get(id, by);
  }

  /** The snapshot as a file, streamed as it is written (XLSX, PDF with charts, CSV for Russian Excel); no personal data. */
  @Get('monthly/:id/file')
  async file(@Param('id', UUID_PARAM) id: string, @Query() query: FileQuery, @CurrentUser() by: Principal): Promise<StreamableFile> {
    const report = await this.reports.get(id, by);
    const out = new PassThrough();
    WRITERS[query.format](report, out, { regionName: this.region.data.name }).catch((error: unknown) => {
      this.logger.warn(`summary ${id} as ${query.format} failed: ${describeError(error)}`);
      out.destroy(error instanceof Error ? error : new Error('render failed'));
    });
    const scope = report.organizationId ?? 'region';
    const name = `svodka-${report.year}-${String(report.month).padStart(2, '0')}-${scope}-v${report.version}.${query.format}`;
    return new StreamableFile(out, { type: TYPES[query.format], disposition: `attachment; filename="${name}"` }).setErrorHandler((error, response) => {
      // Before the first byte the client gets a 500; after it, a cut connection, never a truncated file taken as whole.
      const res = response as { headersSent?: boolean; statusCode?: number; end(): void; destroy(): void };
      if (res.headersSent) res.destroy();
      else {
        res.statusCode = 500;
        res.end();
      }
      this.logger.warn(`summary ${id} as ${query.format} not sent: ${describeError(error)}`);
    });
  }

  @Get('monthly/:id/history')
  history(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.reports.history(id, by);
  }

  @Post('monthly/:id/approval')
  @HttpCode(200)
  approve(@Param('id', UUID_PARAM) id: string, @Body() body: ApproveBody, @CurrentUser() by: Principal) {
    return this.reports.approve(id, body.reason, by);
  }

  @Get('figures/messages')
  figureMessages(@Query() query: FigureMessagesQuery, @CurrentUser() by: Principal) {
    return this.reports.figureMessages(query, by);
  }
}
