import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CurrentUser, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { SavedViewsService } from './saved-views.service';

export class SavedViewBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** The list's filters as a query string: `status=needs_triage,moderation&sort=due`. */
  @IsString()
  @MaxLength(2000)
  query!: string;
}

/** A user's own named list views: no one else sees or changes them (another's reads as absent). */
@Controller('api/v1/saved-views')
export class SavedViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @Roles('operator', 'supervisor', 'executor', 'head')
  list(@CurrentUser() principal: Principal) {
    return this.views.list(principal);
  }

  @Post()
  @Roles('operator', 'supervisor', 'executor', 'head')
  create(@Body() body: SavedViewBody, @CurrentUser() principal: Principal) {
    return this.views.create(body, principal);
  }

  @Put(':id')
  @Roles('operator', 'supervisor', 'executor', 'head')
  update(@Param('id', UUID_PARAM) id: string, @Body() body: SavedViewBody, @CurrentUser() principal: Principal) {
    return this.views.update(id, body, principal);
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('operator', 'supervisor', 'executor', 'head')
  remove(@Param('id', UUID_PARAM) id: string, @CurrentUser() principal: Principal) {
    return this.views.remove(id, principal);
  }
}
