import { applyDecorators, Controller, Get, Param, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentUser, IsInstant, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { DeadlinesService } from './deadlines.service';
import { SupervisionService } from './supervision.service';

const toInt = ({ value }: { value: unknown }) => (/^\d+$/.test(String(value)) ? Number(value) : value);

/** `organizationId`: an organization with its subordinates, within what the caller sees. */
const OrganizationFilter = () => applyDecorators(IsOptional(), IsString(), MaxLength(64));
const Limit = (max: number) => applyDecorators(IsOptional(), Transform(toInt), IsInt({ message: `limit must be an integer 1..${max}` }), Min(1), Max(max));
const OptionalInstant = () => applyDecorators(IsOptional(), IsInstant());

export class AtRiskQuery {
  @OrganizationFilter()
  organizationId?: string;

  @Limit(500)
  limit = 100;
}

export class SummaryQuery {
  @OrganizationFilter()
  organizationId?: string;

  /** From this instant on (breaches: by due date; the summary: answers given; default 8 weeks before `to`). */
  @OptionalInstant()
  from?: string;

  /** Before this instant (default for the summary: now). */
  @OptionalInstant()
  to?: string;
}

export class BreachesQuery extends SummaryQuery {
  @Limit(500)
  limit = 100;
}

@Controller('api/v1')
export class DeadlinesController {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly supervision: SupervisionService,
  ) {}

  /** Every clock of a message: due date, state and how it was counted. */
  @Get('messages/:id/deadlines')
  @Roles('operator', 'supervisor', 'executor', 'head')
  ofMessage(@Param('id', UUID_PARAM) id: string, @CurrentUser() principal: Principal) {
    return this.deadlines.ofMessage(id, principal);
  }

  /** Clocks past a warning threshold and not yet due, least time left first. */
  @Get('sla/at-risk')
  @Roles('operator', 'supervisor', 'executor', 'head')
  atRisk(@Query() query: AtRiskQuery, @CurrentUser() principal: Principal) {
    return this.supervision.atRisk(query, principal);
  }

  /** On-time share of final answers, overdue and at-risk now, per organization and per week. */
  @Get('sla/summary')
  @Roles('operator', 'supervisor', 'executor', 'head')
  summary(@Query() query: SummaryQuery, @CurrentUser() principal: Principal) {
    return this.supervision.summary(query, principal);
  }

  @Get('sla/breaches')
  @Roles('operator', 'supervisor', 'executor', 'head')
  breaches(@Query() query: BreachesQuery, @CurrentUser() principal: Principal) {
    return this.supervision.breaches(query, principal);
  }
}
