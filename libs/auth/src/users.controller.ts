import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ROLES, Role } from '@cur/domain';
import { Actor, CurrentUser, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { AccessRegistry } from './access-registry';
import { UsersService } from './users.service';

export class CreateUserBody {
  @IsString()
  @Matches(/^[a-zA-Z0-9._-]{2,64}$/, { message: 'Логин: от 2 до 64 латинских букв, цифр, точек, подчёркиваний или дефисов' })
  login!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName!: string;

  @IsArray()
  @ArrayNotEmpty({ message: 'roles must name at least one role' })
  @IsIn(ROLES, { each: true, message: `roles must be of ${ROLES.join(', ')}` })
  roles!: Role[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  @IsString()
  @MaxLength(200)
  password!: string;

  /** Why the account is created: required when a role reads personal data (operator, executor, head). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class UpdateUserBody {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'roles must name at least one role' })
  @IsIn(ROLES, { each: true, message: `roles must be of ${ROLES.join(', ')}` })
  roles?: Role[];

  /** null detaches the user from any organization. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(64)
  organizationId?: string | null;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

export class PasswordBody {
  @IsString()
  @MaxLength(200)
  password!: string;

  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

/** User accounts: admins only. Every change is recorded with who, when, why, before and after. */
@Controller('api/v1/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Get(':id')
  get(@Param('id', UUID_PARAM) id: string) {
    return this.users.get(id);
  }

  @Post()
  create(@Body() body: CreateUserBody, @Actor() actor: string) {
    return this.users.create(body, actor);
  }

  /** 403 naming the field when an admin changes its own roles or organization. */
  @Patch(':id')
  update(@Param('id', UUID_PARAM) id: string, @Body() body: UpdateUserBody, @CurrentUser() by: Principal) {
    return this.users.update(id, body, by);
  }

  @Post(':id/password')
  @HttpCode(204)
  async resetPassword(@Param('id', UUID_PARAM) id: string, @Body() body: PasswordBody, @Actor() actor: string): Promise<void> {
    await this.users.resetPassword(id, body.password, body.reason, actor);
  }
}

/** The access table of this service: every route and what it requires. */
@Controller('api/v1/admin/access')
@Roles('admin')
export class AccessController {
  constructor(private readonly registry: AccessRegistry) {}

  @Get()
  routes() {
    return this.registry.routes();
  }
}
