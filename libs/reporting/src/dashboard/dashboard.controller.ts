import { Controller, Get, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentUser, Principal, Roles } from '@cur/platform';
import { DashboardService } from './dashboard.service';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class DashboardQuery {
  /** Omitted: the current year in the region's zone. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'year must be an integer 2000..2100' })
  @Min(2000, { message: 'year must be an integer 2000..2100' })
  @Max(2100, { message: 'year must be an integer 2000..2100' })
  year?: number;

  /** Omitted: the current month. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'month must be an integer 1..12' })
  @Min(1, { message: 'month must be an integer 1..12' })
  @Max(12, { message: 'month must be an integer 1..12' })
  month?: number;

  /** An organization with its subordinates (supervisors: any; heads: their own, the default); omitted: the region. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;
}

/** The monitoring dashboard (order No. 733, item 1.4): the figures of a month, each drilling down to its messages. */
@Controller('api/v1/reports')
@Roles('supervisor', 'head')
export class DashboardController {
  constructor(private readonly dashboards: DashboardService) {}

  @Get('dashboard')
  dashboard(@Query() query: DashboardQuery, @CurrentUser() by: Principal) {
    return this.dashboards.dashboard(query, by);
  }
}
