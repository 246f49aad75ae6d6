import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { CurrentUser, Principal, Roles } from '@cur/platform';
import type { RatingsTableView } from '@cur/contracts';
import { RATING_SECTIONS, type RatingSection } from './rating-formula';
import type { RatingPeriodKind } from './rating-period';
import { ratingsCsv, ratingsXlsx } from './ratings-files';
import { RatingsReportService } from './ratings-report.service';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class RatingsQueryDto {
  @IsIn(['month', 'quarter'], { message: 'period must be month or quarter' })
  period!: RatingPeriodKind;

  @Transform(toInt)
  @IsInt({ message: 'year must be an integer 2000..2100' })
  @Min(2000)
  @Max(2100)
  year!: number;

  /** With period=month (and only then: the service refuses it with a quarter). */
  @ValidateIf((q: RatingsQueryDto) => q.period === 'month' || q.month !== undefined)
  @Transform(toInt)
  @IsInt({ message: 'month must be an integer 1..12' })
  @Min(1)
  @Max(12)
  month?: number;

  @ValidateIf((q: RatingsQueryDto) => q.period === 'quarter' || q.quarter !== undefined)
  @Transform(toInt)
  @IsInt({ message: 'quarter must be an integer 1..4' })
  @Min(1, { message: 'quarter must be an integer 1..4' })
  @Max(4, { message: 'quarter must be an integer 1..4' })
  quarter?: number;

  /** pos | appeals | social | all (the default). */
  @IsOptional()
  @IsIn(RATING_SECTIONS, { message: `section must be one of ${RATING_SECTIONS.join(', ')}` })
  section?: RatingSection;
}

export class RatingsFileQueryDto extends RatingsQueryDto {
  @IsIn(['csv', 'xlsx'], { message: 'format must be csv or xlsx' })
  format!: 'csv' | 'xlsx';
}

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The organizations' league table for a month or a quarter (issue 12, point 6), and its files. */
@Controller('api/v1/reports/ratings')
@Roles('supervisor', 'head')
export class RatingsReportController {
  constructor(private readonly ratings: RatingsReportService) {}

  @Get()
  table(@Query() query: RatingsQueryDto, @CurrentUser() by: Principal): Promise<RatingsTableView> {
    return this.ratings.table(query, by);
  }

  @Get('file')
  async file(@Query() query: RatingsFileQueryDto, @CurrentUser() by: Principal): Promise<StreamableFile> {
    const table = await this.ratings.table(query, by);
    const body = query.format === 'csv' ? ratingsCsv(table) : await ratingsXlsx(table);
    const period = table.period.month ? String(table.period.month).padStart(2, '0') : `q${table.period.quarter}`;
    const name = `ratings-${table.period.year}-${period}-${table.section}.${query.format}`;
    return new StreamableFile(body, { type: TYPES[query.format], disposition: `attachment; filename="${name}"`, length: body.length });
  }
}
