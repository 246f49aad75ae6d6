import { Injectable, OnModuleInit } from '@nestjs/common';
import { Environment, RegionCatalog } from '@cur/config';
import { isRole, PERSONAL_DATA_ROLES, Role, ROLE_TITLES, systemActorName } from '@cur/domain';
import { AuthRepository } from '@cur/persistence';
import { Notice, NoticeBoard } from '@cur/platform';

const DAY_MS = 86_400_000;
/** Grants spelled out in the notice; older ones are counted. */
const LISTED = 10;

/**
 * Tells supervisors every grant of a role that reads personal data in the last
 * CUR_ROLE_GRANT_NOTICE_DAYS days (an account created with one, or given one): who granted which
 * role to whom, and when. Logins, role titles and system names only: the notice itself shows no
 * personal data.
 * Read from the user history's index of grants on every ask, so it is never stale.
 */
@Injectable()
export class RoleGrantNotices implements OnModuleInit {
  private readonly dateTime: Intl.DateTimeFormat;

  constructor(
    private readonly board: NoticeBoard,
    private readonly repository: AuthRepository,
    private readonly env: Environment,
    region: RegionCatalog,
  ) {
    this.dateTime = new Intl.DateTimeFormat('ru-RU', {
      timeZone: region.data.timezone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  onModuleInit(): void {
    this.board.register((now) => this.notices(now));
  }

  async notices(now: Date): Promise<Notice[]> {
    const days = this.env.CUR_ROLE_GRANT_NOTICE_DAYS;
    const { total, grants } = await this.repository.roleGrantsSince(new Date(now.getTime() - days * DAY_MS), PERSONAL_DATA_ROLES, LISTED);
    if (!total) return [];
    const lines = grants.map((g) => {
      const roles = g.grantedRoles.filter((r): r is Role => isRole(r) && PERSONAL_DATA_ROLES.includes(r)).map((r) => `«${ROLE_TITLES[r]}»`);
      // A system (the demo seed, an import) by what it is; a person by login.
      return `${this.dateTime.format(g.at)}: ${systemActorName(g.actor) ?? g.actor} выдал(а) ${roles.length > 1 ? 'роли' : 'роль'} ${roles.join(', ')} пользователю ${g.login}`;
    });
    if (total > grants.length) lines.push(`и ещё ${total - grants.length}`);
    return [
      {
        // A new grant makes a new notice, so a screen that showed the old one shows this one again.
        id: `personal-data-role-grants:${grants[0].eventId}`,
        severity: 'warning',
        title: `Выданы роли с доступом к персональным данным (за ${days} дн.: ${total})`,
        text: lines.join('; '),
        audience: ['supervisor'],
        since: grants[0].at.toISOString(),
      },
    ];
  }
}
