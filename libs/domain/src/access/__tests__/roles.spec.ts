import { consoleViews, ROLES } from '../../index';

describe('console views per role', () => {
  it('gives each role the views of its work, in the order of the menu', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, consoleViews([r])]))).toEqual({
      operator: ['queue', 'all', 'control', 'imports', 'classifier'],
      executor: ['inbox'],
      head: ['inbox', 'control', 'monitoring', 'reports'],
      supervisor: ['all', 'control', 'monitoring', 'reports', 'discipline', 'imports', 'classifier', 'organizer'],
      organizer: ['organizer'],
      admin: ['classifier', 'users', 'routes', 'templates', 'deadletters'],
    });
  });

  it('gives a user with several roles each view once, and answer templates to admins only (the API lets only them change one)', () => {
    expect(consoleViews(['executor', 'head'])).toEqual(['inbox', 'control', 'monitoring', 'reports']);
    expect(ROLES.filter((r) => consoleViews([r]).includes('templates'))).toEqual(['admin']);
  });
});
