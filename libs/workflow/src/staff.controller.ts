import { Controller, Get } from '@nestjs/common';
import { AuthRepository } from '@cur/persistence';
import { CurrentUser, DomainException, ErrorCode, Principal, Roles } from '@cur/platform';

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
