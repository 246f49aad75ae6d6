import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Rubricator } from '@cur/domain';
import { Actor, Roles, UUID_PARAM } from '@cur/platform';
import { ClassifierService, RUBRICATORS } from './classifier.service';

export class RubricatorQuery {
  @IsOptional()
  @IsIn(RUBRICATORS)
  rubricator?: Rubricator;
}

export class RetrainBody {
  @IsIn(RUBRICATORS)
  rubricator!: Rubricator;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class DecisionBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class RollbackBody extends DecisionBody {
  @IsIn(RUBRICATORS)
  rubricator!: Rubricator;
}

/** Classifier versions: list with metrics and history, retrain, activate, roll back. */
@Controller('api/v1/classifier')
@Roles('admin')
export class ClassifierController {
  constructor(private readonly classifier: ClassifierService) {}

  @Get('models')
  @Roles('admin', 'supervisor', 'operator')
  list(@Query() query: RubricatorQuery) {
    return this.classifier.list(query.rubricator);
  }

  @Post('retrain')
  @HttpCode(200)
  retrain(@Body() body: RetrainBody, @Actor() actor: string) {
    return this.classifier.retrain(body.rubricator, actor, body.reason ?? 'Переобучение по запросу');
  }

  @Post('models/:id/activate')
  @HttpCode(200)
  activate(@Param('id', UUID_PARAM) id: string, @Body() body: DecisionBody, @Actor() actor: string) {
    return this.classifier.activate(id, actor, body.reason);
  }

  @Post('rollback')
  @HttpCode(200)
  rollback(@Body() body: RollbackBody, @Actor() actor: string) {
    return this.classifier.rollback(body.rubricator, actor, body.reason);
  }
}
