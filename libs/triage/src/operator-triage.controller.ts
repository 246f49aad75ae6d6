import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Actor, Roles, UUID_PARAM } from '@cur/platform';
import { OperatorTriageService } from './operator-triage.service';

export class CategorizeBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  categoryCode!: string;

  /** Needed only where no routing rule covers the category and territory; otherwise it overrides the rule. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

@Controller('api/v1/messages')
export class OperatorTriageController {
  constructor(private readonly triage: OperatorTriageService) {}

  /** The operator sets the category (and, if needed, the organization): the message is routed. */
  @Post(':id/category')
  @Roles('operator')
  @HttpCode(200)
  categorize(@Param('id', UUID_PARAM) id: string, @Body() body: CategorizeBody, @Actor() actor: string) {
    return this.triage.categorize(id, body, actor);
  }
}
