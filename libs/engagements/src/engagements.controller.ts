import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ENGAGEMENT_KINDS, ENGAGEMENT_STATUSES, EngagementKind, EngagementStatus, QUESTION_TYPES, QuestionType, type Answer } from '@cur/domain';
import { ApiKeyAccess, CurrentUser, IsInstant, Principal, Public, Roles, UUID_PARAM } from '@cur/platform';
import { EngagementsService } from './engagements.service';

/** The portal's source of ballots and comments (its API key must allow it). */
export const ENGAGEMENT_SOURCE = 'engagements';

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ID_MESSAGE = 'должен состоять из строчных латинских букв, цифр и дефисов (до 40)';

class OptionBody {
  @IsOptional()
  @Matches(ID, { message: `Идентификатор ${ID_MESSAGE}` })
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  /** Roubles, for a budget vote. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  cost?: number;
}

class ChoiceBody {
  @IsOptional()
  @Matches(ID, { message: `Идентификатор ${ID_MESSAGE}` })
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;
}

class ShowIfBody {
  @Matches(ID, { message: `Вопрос ${ID_MESSAGE}` })
  questionId!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ID, { each: true, message: `Вариант ${ID_MESSAGE}` })
  choiceIds!: string[];
}

class QuestionBody {
  @IsOptional()
  @Matches(ID, { message: `Идентификатор ${ID_MESSAGE}` })
  id?: string;

  @IsIn(QUESTION_TYPES, { message: `Тип вопроса: один из ${QUESTION_TYPES.join(', ')}` })
  type!: QuestionType;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title!: string;

  @IsBoolean()
  required!: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ChoiceBody)
  choices?: ChoiceBody[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxLength?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ShowIfBody)
  showIf?: ShowIfBody;
}

class SectionBody {
  @IsOptional()
  @Matches(ID, { message: `Идентификатор ${ID_MESSAGE}` })
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsString()
  @MaxLength(100_000)
  text!: string;
}

class DocumentBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SectionBody)
  sections!: SectionBody[];
}

export class EngagementBody {
  @IsIn(ENGAGEMENT_KINDS, { message: `Вид: один из ${ENGAGEMENT_KINDS.join(', ')}` })
  kind!: EngagementKind;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  /** One of `GET /api/v1/engagements/themes`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  theme!: string;

  /** Municipalities' territories; omitted or empty: the whole region. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  territoryIds?: string[];

  @IsInstant()
  opensAt!: string;

  @IsInstant()
  closesAt!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxChoices?: number;

  /** Roubles: a budget vote. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  budgetLimit?: number;

  /** A budget vote's threshold: the least share of the budget a ballot must spend, 0..1. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minSpendShare?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OptionBody)
  options?: OptionBody[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionBody)
  questions?: QuestionBody[];

  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentBody)
  document?: DocumentBody;
}

export class EngagementUpdateBody extends EngagementBody {
  /** The version the change was made on: a change made meanwhile is a 409, not overwritten. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

class ReasonBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

class ResultBody {
  /** The result in words, as published (the counts are taken by the service). */
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  text?: string;
}

class DecisionBody {
  /** What was done about the result. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  text!: string;

  /** The document it was done by (its number and date). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  documentRef!: string;
}

class ListQuery {
  @IsOptional()
  @IsIn(ENGAGEMENT_STATUSES, { message: `Состояние: одно из ${ENGAGEMENT_STATUSES.join(', ')}` })
  status?: EngagementStatus;
}

export class BallotBody {
  /** The citizen's id on the portal: kept only as a keyed hash, never as given. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  citizenId!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  optionIds?: string[];

  /** Question id → answer (a choice id, choice ids, 1..5, or text). */
  @IsOptional()
  @IsObject()
  answers?: Record<string, Answer>;
}

/** Discussions, votes and surveys: organizers manage their organization's, supervisors read every one. */
@Controller('api/v1/engagements')
export class EngagementsController {
  constructor(private readonly engagements: EngagementsService) {}

  @Get('themes')
  @Roles('organizer', 'supervisor')
  themes() {
    return this.engagements.themes();
  }

  /** The results and decisions still to come, and how their terms stand. */
  @Get('deadlines')
  @Roles('organizer', 'supervisor')
  deadlines(@CurrentUser() by: Principal) {
    return this.engagements.deadlines(by);
  }

  /** Results and decisions late or overdue, for the discipline registry. */
  @Get('breaches')
  @Roles('organizer', 'supervisor')
  breaches(@CurrentUser() by: Principal) {
    return this.engagements.breaches(by);
  }

  @Get()
  @Roles('organizer', 'supervisor')
  list(@Query() query: ListQuery, @CurrentUser() by: Principal) {
    return this.engagements.list(by, query.status);
  }

  @Post()
  @Roles('organizer')
  create(@Body() body: EngagementBody, @CurrentUser() by: Principal) {
    return this.engagements.create(body, by);
  }

  @Get(':id')
  @Roles('organizer', 'supervisor')
  get(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.engagements.get(id, by);
  }

  @Patch(':id')
  @Roles('organizer')
  update(@Param('id', UUID_PARAM) id: string, @Body() body: EngagementUpdateBody, @CurrentUser() by: Principal) {
    return this.engagements.update(id, body, by);
  }

  @Post(':id/publish')
  @Roles('organizer')
  @HttpCode(200)
  publish(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.engagements.publish(id, by);
  }

  @Post(':id/close')
  @Roles('organizer')
  @HttpCode(200)
  close(@Param('id', UUID_PARAM) id: string, @Body() body: ReasonBody, @CurrentUser() by: Principal) {
    return this.engagements.close(id, body.reason, by);
  }

  @Post(':id/result')
  @Roles('organizer')
  @HttpCode(200)
  result(@Param('id', UUID_PARAM) id: string, @Body() body: ResultBody, @CurrentUser() by: Principal) {
    return this.engagements.publishResult(id, body.text, by);
  }

  @Post(':id/decision')
  @Roles('organizer')
  @HttpCode(200)
  decision(@Param('id', UUID_PARAM) id: string, @Body() body: DecisionBody, @CurrentUser() by: Principal) {
    return this.engagements.recordDecision(id, body, by);
  }

  @Get(':id/results')
  @Roles('organizer', 'supervisor')
  results(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.engagements.results(id, by);
  }

  @Get(':id/history')
  @Roles('organizer', 'supervisor')
  history(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.engagements.history(id, by);
  }

  /** A citizen's ballot from the portal (its API key). */
  @Post(':id/ballots')
  @ApiKeyAccess({ fixed: ENGAGEMENT_SOURCE })
  @HttpCode(201)
  ballot(@Param('id', UUID_PARAM) id: string, @Body() body: BallotBody) {
    return this.engagements.castBallot(id, body.citizenId, { optionIds: body.optionIds, answers: body.answers });
  }
}

/** The published results of an engagement, for anyone: the public page of each (no personal data). */
@Controller('api/v1/public/engagements')
export class PublicEngagementsController {
  constructor(private readonly engagements: EngagementsService) {}

  @Get(':id')
  @Public()
  results(@Param('id', UUID_PARAM) id: string) {
    return this.engagements.publicResults(id);
  }
}
