import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EMPLOYMENTS, Employment } from '@cur/domain';
import { Actor, IsInstant, IsLocalDate, Roles, UUID_PARAM } from '@cur/platform';
import { DisciplineService } from './discipline.service';

export class PersonBody {
  @IsString({ message: 'укажите фамилию, имя и отчество' })
  @IsNotEmpty({ message: 'укажите фамилию, имя и отчество' })
  @MaxLength(300, { message: 'не длиннее 300 знаков' })
  name!: string;

  @IsString({ message: 'укажите должность' })
  @IsNotEmpty({ message: 'укажите должность' })
  @MaxLength(300, { message: 'не длиннее 300 знаков' })
  position!: string;
}

export class OpenCaseBody {
  @IsString({ message: 'укажите организацию' })
  @IsNotEmpty({ message: 'укажите организацию' })
  @MaxLength(64, { message: 'не длиннее 64 знаков' })
  organizationId!: string;

  @IsObject({ message: 'укажите работника' })
  @ValidateNested()
  @Type(() => PersonBody)
  person!: PersonBody;

  @IsIn(EMPLOYMENTS, { message: 'выберите вид службы: работник или гражданский служащий' })
  employment!: Employment;

  @IsString({ message: 'опишите проступок' })
  @IsNotEmpty({ message: 'опишите проступок' })
  @MaxLength(5000, { message: 'не длиннее 5000 знаков' })
  description!: string;

  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique({ message: 'breachIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'breachIds must be breach ids (UUID)' })
  breachIds: string[] = [];

  /** Late monthly summaries (GET /api/v1/reports/breaches). */
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'reportBreachIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'reportBreachIds must be ids of late summaries (UUID)' })
  reportBreachIds: string[] = [];

  /** Engagements' late results and decisions (GET /api/v1/engagements/breaches). */
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'engagementBreachIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'engagementBreachIds must be ids of engagement breaches (UUID)' })
  engagementBreachIds: string[] = [];

  @IsOptional()
  @IsLocalDate({ message: 'укажите существующую дату (ГГГГ-ММ-ДД)' })
  offenceDate?: string;

  @IsOptional()
  @IsLocalDate({ message: 'укажите существующую дату (ГГГГ-ММ-ДД)' })
  discoveredDate?: string;

  @IsOptional()
  @IsBoolean({ message: 'да или нет' })
  auditFinding?: boolean;
}

export class AtBody {
  /** Default: now. */
  @IsOptional()
  @IsInstant({ message: 'укажите дату и время с часовым поясом, например 2025-07-03T10:00:00+03:00' })
  at?: string;
}

export class ExplanationBody extends AtBody {
  @IsOptional()
  @IsString({ message: 'заполните поле' })
  @MaxLength(5000, { message: 'не длиннее 5000 знаков' })
  summary?: string;
}

export class ExcludedPeriodBody {
  @IsLocalDate({ message: 'укажите существующую дату (ГГГГ-ММ-ДД)' })
  from!: string;

  @IsLocalDate({ message: 'укажите существующую дату (ГГГГ-ММ-ДД)' })
  to!: string;

  @IsString({ message: 'укажите основание' })
  @IsNotEmpty({ message: 'укажите основание' })
  @MaxLength(500, { message: 'не длиннее 500 знаков' })
  reason!: string;
}

export class OrderBody {
  @IsString({ message: 'выберите взыскание' })
  @IsNotEmpty({ message: 'выберите взыскание' })
  @MaxLength(48, { message: 'не длиннее 48 знаков' })
  measure!: string;

  @IsString({ message: 'укажите номер приказа' })
  @IsNotEmpty({ message: 'укажите номер приказа' })
  @MaxLength(64, { message: 'не длиннее 64 знаков' })
  number!: string;

  @IsLocalDate({ message: 'укажите существующую дату (ГГГГ-ММ-ДД)' })
  date!: string;
}

export class CloseBody {
  @IsString({ message: 'укажите основание' })
  @IsNotEmpty({ message: 'укажите основание' })
  @MaxLength(2000, { message: 'не длиннее 2000 знаков' })
  reason!: string;
}

export class ListCasesQuery {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  @IsOptional()
  @IsIn(['open', 'measure_applied', 'closed'])
  status?: 'open' | 'measure_applied' | 'closed';

  /** Only cases with a warning or a violation. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'attention must be true or false' })
  attention?: boolean;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'limit must be an integer 1..500' })
  @Min(1)
  @Max(500)
  limit = 100;
}

/** The discipline registry, kept by supervisors; each step recorded with who did it. */
@Controller('api/v1/discipline/cases')
@Roles('supervisor')
export class DisciplineController {
  constructor(private readonly discipline: DisciplineService) {}

  @Post()
  open(@Body() body: OpenCaseBody, @Actor() actor: string) {
    return this.discipline.open(body, actor);
  }

  @Get()
  list(@Query() query: ListCasesQuery) {
    return this.discipline.list(query);
  }

  @Get(':id')
  get(@Param('id', UUID_PARAM) id: string) {
    return this.discipline.get(id);
  }

  @Post(':id/explanation-request')
  @HttpCode(200)
  requestExplanation(@Param('id', UUID_PARAM) id: string, @Body() body: AtBody, @Actor() actor: string) {
    return this.discipline.requestExplanation(id, body.at, actor);
  }

  @Post(':id/explanation')
  @HttpCode(200)
  explanation(@Param('id', UUID_PARAM) id: string, @Body() body: ExplanationBody, @Actor() actor: string) {
    return this.discipline.explanationReceived(id, body.at, body.summary, actor);
  }

  @Post(':id/explanation-refusal')
  @HttpCode(200)
  explanationRefusal(@Param('id', UUID_PARAM) id: string, @Body() body: AtBody, @Actor() actor: string) {
    return this.discipline.explanationRefused(id, body.at, actor);
  }

  /** Sick leave, vacation, time for the union's opinion: the one-month limit does not run (ТК ст. 193 ч. 3). */
  @Post(':id/excluded-periods')
  @HttpCode(200)
  excludedPeriod(@Param('id', UUID_PARAM) id: string, @Body() body: ExcludedPeriodBody, @Actor() actor: string) {
    return this.discipline.addExcludedPeriod(id, body, actor);
  }

  @Post(':id/order')
  @HttpCode(200)
  order(@Param('id', UUID_PARAM) id: string, @Body() body: OrderBody, @Actor() actor: string) {
    return this.discipline.applyMeasure(id, body, actor);
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  acknowledgement(@Param('id', UUID_PARAM) id: string, @Body() body: AtBody, @Actor() actor: string) {
    return this.discipline.acknowledged(id, body.at, false, actor);
  }

  @Post(':id/acknowledgement-refusal')
  @HttpCode(200)
  acknowledgementRefusal(@Param('id', UUID_PARAM) id: string, @Body() body: AtBody, @Actor() actor: string) {
    return this.discipline.acknowledged(id, body.at, true, actor);
  }

  @Post(':id/closure')
  @HttpCode(200)
  close(@Param('id', UUID_PARAM) id: string, @Body() body: CloseBody, @Actor() actor: string) {
    return this.discipline.close(id, body.reason, actor);
  }
}
