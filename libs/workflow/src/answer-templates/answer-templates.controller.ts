import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { Actor, Roles, UUID_PARAM } from '@cur/platform';
import { AnswerTemplatesService } from './answer-templates.service';

const CATEGORY_CODE = /^[a-z0-9._-]{1,64}$/;
const CATEGORY_MESSAGE = 'Категория: должна быть кодом категории из рубрикатора (например pos.roads) или null для всех категорий';

export class AnswerTemplatesQuery {
  /** The category of the message being answered: its templates and those for every category. */
  @IsOptional()
  @Matches(CATEGORY_CODE, { message: CATEGORY_MESSAGE })
  categoryCode?: string;
}

class AnswerTemplateFields {
  /** A category code, or null: the template is offered for every category. */
  @ValidateIf((_, v) => v !== null)
  @Matches(CATEGORY_CODE, { message: CATEGORY_MESSAGE })
  categoryCode!: string | null;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  body!: string;
}

export class AnswerTemplateBody extends AnswerTemplateFields {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class AnswerTemplateUpdateBody extends AnswerTemplateFields {
  /** Why it changes: kept in the template's history. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  /** The version the admin edited: a change made meanwhile by someone else is not overwritten (409). */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class AnswerTemplateRemoval {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

/** Ready answer texts per category: offered to those who answer, kept by admins. */
@Controller('api/v1/answer-templates')
export class AnswerTemplatesController {
  constructor(private readonly templates: AnswerTemplatesService) {}

  @Get()
  @Roles('executor', 'head', 'operator', 'supervisor', 'admin')
  list(@Query() query: AnswerTemplatesQuery) {
    return this.templates.list(query.categoryCode);
  }

  /** Who created, changed or removed the template, when and why. */
  @Get(':id/history')
  @Roles('admin')
  history(@Param('id', UUID_PARAM) id: string) {
    return this.templates.history(id);
  }

  @Post()
  @Roles('admin')
  create(@Body() body: AnswerTemplateBody, @Actor() actor: string) {
    return this.templates.create(body, actor);
  }

  @Put(':id')
  @Roles('admin')
  update(@Param('id', UUID_PARAM) id: string, @Body() body: AnswerTemplateUpdateBody, @Actor() actor: string) {
    return this.templates.update(id, body, actor);
  }

  /** Removed from use (kept with its history); the reason is a query parameter, as a DELETE has no body. */
  @Delete(':id')
  @HttpCode(200)
  @Roles('admin')
  remove(@Param('id', UUID_PARAM) id: string, @Query() query: AnswerTemplateRemoval, @Actor() actor: string) {
    return this.templates.remove(id, query.reason, actor);
  }
}
