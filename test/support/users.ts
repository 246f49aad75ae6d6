import { DataSource } from 'typeorm';
import { provisionUser } from '@cur/auth';
import { Role } from '@cur/domain';
import { AuthRepository, dataSourceOptions } from '@cur/persistence';
import { postJson } from './http';

/** Distinguishes this run's users from earlier runs' on a shared database. */
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** The login of this run's test user with a role at an organization. */
export function testLogin(role: Role, organizationId: string | null = null): string {
  return `${role}.${organizationId ?? 'none'}.${RUN}`.slice(0, 64);
}

const passwordOf = (login: string) => `pw-${login}-secret`;

/**
 * Users for a test, written through the same code the admin API and the `users` CLI use, then
 * signed in over HTTP: `headers(url, role, organization)` → `{ Authorization: 'Bearer …' }`.
 */
export class TestUsers {
  private readonly cache = new Map<string, Record<string, string>>();

  private constructor(
    private readonly repository: AuthRepository,
    private readonly owned?: DataSource,
  ) {}

  static async connect(databaseUrl: string): Promise<TestUsers> {
    const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2));
    await dataSource.initialize();
    return new TestUsers(new AuthRepository(dataSource), dataSource);
  }

  static of(dataSource: DataSource): TestUsers {
    return new TestUsers(new AuthRepository(dataSource));
  }

  /** This run's user with the role at the organization, created unless it exists; its login and password. */
  async ensure(role: Role, organizationId: string | null = null): Promise<{ login: string; password: string }> {
    const login = testLogin(role, organizationId);
    const password = passwordOf(login);
    if (!(await this.repository.findUserByLogin(login))) {
      await provisionUser(this.repository, { login, displayName: `Тест ${login}`, roles: [role], organizationId, password }, 'test', new Date());
    }
    return { login, password };
  }

  /** Authorization headers of this run's user with the role at the organization. */
  async headers(url: string, role: Role, organizationId: string | null = null): Promise<Record<string, string>> {
    const key = `${url}|${role}|${organizationId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { login, password } = await this.ensure(role, organizationId);
    const headers = await signIn(url, login, password);
    this.cache.set(key, headers);
    return headers;
  }

  async close(): Promise<void> {
    await this.owned?.destroy();
  }
}

export async function signIn(url: string, login: string, password: string): Promise<Record<string, string>> {
  const res = await postJson(`${url}/api/v1/auth/login`, { login, password }, {});
  if (res.status !== 200) throw new Error(`sign-in of ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { Authorization: `Bearer ${res.body.accessToken}` };
}
