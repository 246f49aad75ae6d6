import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Request } from 'express';
import { ApiKeyGuard, assertSourceAllowed } from '@cur/intake';
import { AuthRepository } from '@cur/persistence';
import { ApiKeyAccess, CurrentUser, DomainException, ErrorCode, IsInstant, Principal, Roles } from '@cur/platform';
import { WorkflowService } from './workflow.service';

export class RatingBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId!: string;

  @IsInt({ message: 'score must be a whole number 1..5' })
  @Min(1)
  @Max(5)
  score!: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;

  /** When the applicant rated, with an offset. */
  @IsInstant()
  ratedAt!: string;
}

/** The applicant's rating of an answer, reported by the source that delivered the message (its X-Api-Key). */
@Controller('api/v1/ratings')
@UseGuards(ApiKeyGuard)
@ApiKeyAccess()
export class RatingsController {
  constructor(private readonly workflow: WorkflowService) {}

  @Post()
  @HttpCode(200)
  rate(@Body() body: RatingBody, @Req() request: Request & { intakeSources?: Set<string> }) {
    assertSourceAllowed(request.intakeSources, body.source);
    return this.workflow.rate({ ...body, ratedAt: new Date(body.ratedAt) });
  }
}

/** The people of one's organization a head can give a message to. */
@Controller('api/v1/staff')
export class StaffController {
  constructor(private readonly users: AuthRepository) {}

  @Get()
  @Roles('executor', 'head')
  async list(@CurrentUser() principal: Principal) {
    if (!principal.organizationId) throw new DomainException(ErrorCode.Forbidden, 'Нет организации');
    const users = await this.users.usersOf(principal.organizationId, ['executor', 'head']);
    return { items: users.map((u) => ({ login: u.login, name: u.displayName, roles: u.roles })) };
  }
}
