import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Environment, RegionCatalog } from '@cur/config';
import { isRole, Role } from '@cur/domain';
import { AuthRepository } from '@cur/persistence';
import { Clock, Deployment } from '@cur/platform';
import { provisionUser, userProblems } from './users.service';

interface DemoUser {
  login: string;
  displayName: string;
  roles: Role[];
  organizationId: string | null;
}

/**
 * The demo users of `config/demo/users.json` (password = login), created on the embedded
 * database only. There is no switch to create them elsewhere, and sign-in refuses them outside
 * the embedded mode even if a demo database is copied to a server.
 */
@Injectable()
export class DemoUsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoUsersService.name);

  constructor(
    private readonly repository: AuthRepository,
    private readonly deployment: Deployment,
    private readonly env: Environment,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.deployment.embedded) return;
    const created: string[] = [];
    for (const user of this.load()) {
      if (await this.repository.findUserByLogin(user.login)) continue;
      if (await provisionUser(this.repository, { ...user, password: user.login, demo: true }, 'system:demo', this.clock.now())) created.push(user.login);
    }
    if (created.length) this.logger.log(`demo users created (password = login): ${created.join(', ')}`);
  }

  private load(): DemoUser[] {
    const path = join(this.env.CUR_CONFIG_DIR, 'demo', 'users.json');
    const users = (JSON.parse(readFileSync(path, 'utf8')) as { users: DemoUser[] }).users;
    for (const user of users) {
      const problems = [
        ...userProblems(this.region, user.roles, user.organizationId),
        ...(user.roles.every(isRole) ? [] : [{ field: 'roles', message: `unknown role in ${String(user.roles)}` }]),
      ];
      if (problems.length) throw new Error(`${path}: demo user "${user.login}": ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    }
    return users;
  }
}
