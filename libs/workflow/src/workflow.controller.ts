import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DURATION_UNITS, DurationUnit } from '@cur/calendar';
import { CurrentUser, DomainException, ErrorCode, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { RedirectDirection, WorkflowService } from './workflow.service';

export class ReasonBody {
  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

export class OptionalReasonBody {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class AnswerBody {
  @IsString()
  @IsNotEmpty({ message: 'text must not be empty' })
  @MaxLength(20_000)
  text!: string;
}

export class RedirectBody extends ReasonBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  organizationId!: string;

  /** down: to a subordinate; up: to the parent; competence: to the competent body (59-ФЗ ст. 8 ч. 3). */
  @IsIn(['down', 'up', 'competence'])
  direction!: RedirectDirection;
}

export class ExtensionBody extends ReasonBody {
  @IsInt({ message: 'amount must be a whole number' })
  @Min(1)
  @Max(365)
  amount!: number;

  /** Default: the unit of the policy's longest extension. */
  @IsOptional()
  @IsIn(DURATION_UNITS)
  unit?: DurationUnit;
}

export class AssignmentBody {
  /** An executor of the handling organization; null takes the message back from whoever had it. */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  login!: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

const REQUEST_ID = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainException(ErrorCode.ValidationFailed, 'Некорректный id запроса', [
      { field: 'requestId', message: 'Поле «requestId»: должно быть идентификатором (UUID)' },
    ]),
});

/** What the organization handling a message does with it (its staff only), and ЦУР's moderation. */
@Controller('api/v1/messages/:id')
export class WorkflowController {
  constructor(private readonly workflow: WorkflowService) {}

  @Post('take')
  @Roles('executor', 'head')
  @HttpCode(200)
  take(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.workflow.take(id, by);
  }

  /** Ask the applicant for details; the policy may stand the clocks still meanwhile. */
  @Post('clarification-request')
  @Roles('executor', 'head')
  @HttpCode(200)
  askApplicant(@Param('id', UUID_PARAM) id: string, @Body() body: ReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.askApplicant(id, body.reason, by);
  }

  @Post('clarification-received')
  @Roles('executor', 'head')
  @HttpCode(200)
  applicantAnswered(@Param('id', UUID_PARAM) id: string, @Body() body: OptionalReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.applicantAnswered(id, body.reason, by);
  }

  @Post('interim-answer')
  @Roles('executor', 'head')
  @HttpCode(200)
  interimAnswer(@Param('id', UUID_PARAM) id: string, @Body() body: AnswerBody, @CurrentUser() by: Principal) {
    return this.workflow.interimAnswer(id, body.text, by);
  }

  @Post('answer')
  @Roles('executor', 'head')
  @HttpCode(200)
  answer(@Param('id', UUID_PARAM) id: string, @Body() body: AnswerBody, @CurrentUser() by: Principal) {
    return this.workflow.answer(id, body.text, by);
  }

  /** The head gives the message to one of the organization's executors. */
  @Post('assignment')
  @HttpCode(200)
  @Roles('head')
  assign(@Param('id', UUID_PARAM) id: string, @Body() body: AssignmentBody, @CurrentUser() by: Principal) {
    return this.workflow.assign(id, body.login, body.reason, by);
  }

  /** A draft answer for the head's approval. */
  @Post('answer-draft')
  @HttpCode(200)
  @Roles('executor', 'head')
  draftAnswer(@Param('id', UUID_PARAM) id: string, @Body() body: AnswerBody, @CurrentUser() by: Principal) {
    return this.workflow.draftAnswer(id, body.text, by);
  }

  /** The head approves the draft and it is sent. */
  @Post('answer-approval')
  @HttpCode(200)
  @Roles('head')
  approveAnswer(@Param('id', UUID_PARAM) id: string, @Body() body: OptionalReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.approveAnswer(id, body.reason, by);
  }

  /** The head returns the draft for rework. */
  @Post('answer-return')
  @HttpCode(200)
  @Roles('head')
  returnAnswer(@Param('id', UUID_PARAM) id: string, @Body() body: ReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.returnAnswer(id, body.reason, by);
  }

  @Post('reconsideration')
  @Roles('operator')
  @HttpCode(200)
  reconsider(@Param('id', UUID_PARAM) id: string, @Body() body: ReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.reconsider(id, body.reason, by);
  }

  /** Declined by moderation, with the reason the applicant will see. */
  @Post('rejection')
  @Roles('operator')
  @HttpCode(200)
  reject(@Param('id', UUID_PARAM) id: string, @Body() body: ReasonBody, @CurrentUser() by: Principal) {
    return this.workflow.reject(id, body.reason, by);
  }

  @Post('redirect')
  @Roles('executor', 'head')
  @HttpCode(200)
  redirect(@Param('id', UUID_PARAM) id: string, @Body() body: RedirectBody, @CurrentUser() by: Principal) {
    return this.workflow.redirect(id, body, by);
  }

  @Get('extensions')
  @Roles('operator', 'supervisor', 'executor', 'head')
  extensions(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.workflow.extensions(id, by);
  }

  @Post('extensions')
  @Roles('executor', 'head')
  requestExtension(@Param('id', UUID_PARAM) id: string, @Body() body: ExtensionBody, @CurrentUser() by: Principal) {
    return this.workflow.requestExtension(id, body, by);
  }

  @Post('extensions/:requestId/approval')
  @Roles('head', 'operator')
  @HttpCode(200)
  approve(
    @Param('id', UUID_PARAM) id: string,
    @Param('requestId', REQUEST_ID) requestId: string,
    @Body() body: OptionalReasonBody,
    @CurrentUser() by: Principal,
  ) {
    return this.workflow.decideExtension(id, requestId, { approve: true, reason: body.reason }, by);
  }

  @Post('extensions/:requestId/rejection')
  @Roles('head', 'operator')
  @HttpCode(200)
  rejectExtension(
    @Param('id', UUID_PARAM) id: string,
    @Param('requestId', REQUEST_ID) requestId: string,
    @Body() body: ReasonBody,
    @CurrentUser() by: Principal,
  ) {
    return this.workflow.decideExtension(id, requestId, { approve: false, reason: body.reason }, by);
  }
}
