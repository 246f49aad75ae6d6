import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegionConfig, RegionCatalog } from '@cur/config';
import { PERSONAL_DATA_ROLES, Role, ROLES } from '@cur/domain';
import { Principal } from '@cur/platform';
import { MessageAccess } from '../message-access';
import { userProblems } from '../users.service';

const CONFIG_DIR = join(__dirname, '../../../../config');
const region = new RegionCatalog(loadRegionConfig(CONFIG_DIR, 'rostov'));

function principal(role: Role): Principal {
  return { userId: 'u', login: role, name: role, roles: [role], organizationId: 'min-health', sessionId: 's' };
}

describe('roles that read personal data', () => {
  it('are exactly the roles MessageAccess shows an applicant unmasked to (on a message their organization handles)', () => {
    const access = new MessageAccess(region);
    const unmasked = ROLES.filter((role) => access.seesPersonalData(principal(role), { organizationId: 'min-health' }));
    expect(unmasked.sort()).toEqual([...PERSONAL_DATA_ROLES].sort());
  });

  it('a search matches personal data exactly where the message card would show it unmasked', () => {
    const access = new MessageAccess(region);
    const sees = (p: Principal, organizationId: string | null) => {
      const scope = access.personalDataScope(p);
      return scope !== null && (scope.all || (organizationId !== null && scope.organizationIds.includes(organizationId)));
    };
    // A subordinate of min-health and an unrelated organization, too: a parent reads them masked.
    const organizations = ['min-health', ...region.withSubordinates('min-health').slice(1, 2), 'adm-rostov-na-donu', null];
    for (const role of ROLES)
      for (const organizationId of organizations)
        expect([role, organizationId, sees(principal(role), organizationId)]).toEqual([
          role,
          organizationId,
          access.seesPersonalData(principal(role), { organizationId }),
        ]);
  });

  it.each(PERSONAL_DATA_ROLES)('admin together with %s is refused, naming roles', (role) => {
    expect(userProblems(region, ['admin', role], 'min-health')).toEqual([
      { field: 'roles', message: expect.stringContaining('администратор не может одновременно иметь роль с доступом к персональным данным') },
    ]);
  });

  it.each(['supervisor', 'organizer'] as Role[])('admin together with %s (no personal data) is allowed', (role) => {
    expect(userProblems(region, ['admin', role], 'cur-rostov')).toEqual([]);
  });

  it('the demo users of config/demo/users.json are valid: no admin reads personal data', () => {
    const { users } = JSON.parse(readFileSync(join(CONFIG_DIR, 'demo', 'users.json'), 'utf8')) as {
      users: { login: string; roles: Role[]; organizationId: string | null }[];
    };
    expect(users.map((u) => [u.login, userProblems(region, u.roles, u.organizationId)])).toEqual(users.map((u) => [u.login, []]));
    expect(users.find((u) => u.login === 'admin')?.roles).toEqual(['admin']);
  });
});
