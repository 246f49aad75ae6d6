import { Controller, Get, Param, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsInstant, UUID_PARAM } from '@cur/platform';
import { DeadlinesService } from './deadlines.service';
import { SupervisionService } from './supervision.service';

const toInt = ({ value }: { value: unknown }) => (/^\d+$/.test(String(value)) ? Number(value) : value);

export class AtRiskQuery {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer 1..500' })
  @Min(1)
  @Max(500)
  limit = 100;
}

export class BreachesQuery extends AtRiskQuery {
  /** Breaches whose due date is at or after this instant. */
  @IsOptional()
  @IsInstant()
  from?: string;

  @IsOptional()
  @IsInstant()
  to?: string;
}

@Controller('api/v1')
export class DeadlinesController {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly supervision: SupervisionService,
  ) {}

  /** Every clock of a message: due date, state and how it was counted. */
  @Get('messages/:id/deadlines')
  ofMessage(@Param('id', UUID_PARAM) id: string) {
    return this.deadlines.ofMessage(id);
  }

  /** Clocks past a warning threshold and not yet due, least time left first. */
  @Get('sla/at-risk')
  atRisk(@Query() query: AtRiskQuery) {
    return this.supervision.atRisk(query);
  }

  @Get('sla/breaches')
  breaches(@Query() query: BreachesQuery) {
    return this.supervision.breaches(query);
  }
}
