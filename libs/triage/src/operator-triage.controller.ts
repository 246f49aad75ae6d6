import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Importance, IMPORTANCES } from '@cur/domain';
import { Actor, Roles, UUID_PARAM } from '@cur/platform';
import { OperatorQueueService } from './operator-queue.service';
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

export class OptionalReasonBody {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ImportanceBody {
  @IsIn(IMPORTANCES, { message: `importance must be one of: ${IMPORTANCES.join(', ')}` })
  importance!: Importance;

  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

export class MergeBody {
  /** The message that stays and will be answered. */
  @IsUUID('all', { message: 'targetId must be a message id (UUID)' })
  targetId!: string;

  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

@Controller('api/v1/messages')
export class OperatorTriageController {
  constructor(
    private readonly triage: OperatorTriageService,
    private readonly queue: OperatorQueueService,
  ) {}

  @Post(':id/moderation-acceptance')
  @HttpCode(200)
  @Roles('operator')
  acceptModeration(@Param('id', UUID_PARAM) id: string, @Body() body: OptionalReasonBody, @Actor() actor: string) {
    return this.queue.acceptModeration(id, body.reason, actor);
  }

  /** High importance may select a stricter policy; the clocks follow. */
  @Post(':id/importance')
  @HttpCode(200)
  @Roles('operator')
  setImportance(@Param('id', UUID_PARAM) id: string, @Body() body: ImportanceBody, @Actor() actor: string) {
    return this.queue.setImportance(id, body.importance, body.reason, actor);
  }

  /** Closes this message as a duplicate of `targetId`. */
  @Post(':id/merge')
  @HttpCode(200)
  @Roles('operator')
  merge(@Param('id', UUID_PARAM) id: string, @Body() body: MergeBody, @Actor() actor: string) {
    return this.queue.merge(id, body.targetId, body.reason, actor);
  }

  /** The operator sets the category (and, if needed, the organization): the message is routed. */
  @Post(':id/category')
  @Roles('operator')
  @HttpCode(200)
  categorize(@Param('id', UUID_PARAM) id: string, @Body() body: CategorizeBody, @Actor() actor: string) {
    return this.triage.categorize(id, body, actor);
  }
}
