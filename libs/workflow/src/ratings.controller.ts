import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiKeyAccess, IsInstant } from '@cur/platform';
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
@ApiKeyAccess({ field: 'source' })
export class RatingsController {
  constructor(private readonly workflow: WorkflowService) {}

  @Post()
  @HttpCode(200)
  rate(@Body() body: RatingBody) {
    return this.workflow.rate({ ...body, ratedAt: new Date(body.ratedAt) });
  }
}
