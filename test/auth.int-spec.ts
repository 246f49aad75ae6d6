import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { CONSOLE_VIEWS, type Role } from '@cur/domain';
import { API_KEY, getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { signIn, TestUsers, testLogin } from './support/users';

async function send(method: string, url: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A live updates stream never ends by itself: its status is the answer, the stream is closed.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, body: '' };
  }
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, body: text && json ? JSON.parse(text) : text };
}

/** The header every refresh must carry (the console's CSRF guard). */
const CSRF = { 'X-Requested-With': 'cur-console' };

/** `name=value` of the refresh cookie a response set, with the whole Set-Cookie line. */
function refreshCookieOf(res: Response): { cookie: string; setCookie: string } {
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('cur_refresh=')) ?? '';
  return { cookie: setCookie.split(';')[0], setCookie };
}

async function signInWithCookie(who: { login: string; password: string }) {
  const res = await fetch(`${appUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  if (res.status !== 200) throw new Error(`sign-in of ${who.login}: ${res.status}`);
  const body = (await res.json()) as { accessToken: string };
  return { accessToken: body.accessToken, ...refreshCookieOf(res) };
}

async function refreshWith(cookie: string, headers: Record<string, string> = CSRF): Promise<{ status: number; body: any; cookie: string; setCookie: string }> {
  const res = await fetch(`${appUrl}/api/v1/auth/refresh`, { method: 'POST', headers: { ...headers, Cookie: cookie } });
  return { status: res.status, body: await res.json(), ...refreshCookieOf(res) };
}

const tokenIdOf = (cookie: string) => cookie.split('=')[1].split('.')[0];

/** Set by the suite once its service is up: the helpers above talk to it. */
let appUrl = '';

/**
 * The same request sent from another loopback address (127.0.0.2 …): the service sees another
 * client address, as it would another machine, while the server stays on 127.0.0.1.
 */
function sendFrom(
  localAddress: string,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method, localAddress, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const ANY_ID = '00000000-0000-4000-8000-000000000001';

/** Intake keys of this suite: the demo key allows any source, the walker's only its own. */
const WALKER_KEY = 'walker-key';
const WALKER_SOURCE = 'walker-only';

/** The test user of each role and where it works. */
const ORGANIZATION_OF: Record<Role, string | null> = {
  operator: 'cur-rostov',
  executor: 'min-health',
  head: 'min-health',
  supervisor: 'cur-rostov',
  organizer: 'cur-rostov',
  admin: null,
};

/**
 * Sign-in and access on the whole product (the standalone composition on real PostgreSQL and
 * Kafka): tokens, rotation, logout, the login rate limit, demo users refused outside the demo,
 * user administration, and every route's guard walked from the service's own route table.
 */
describe('sign-in and access', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, {
      KAFKA_GROUP_PREFIX: `auth-${Date.now()}`,
      CUR_LOGIN_RATE_LIMIT: '5',
      CUR_DEMO_STREAM: 'false',
      CUR_INTAKE_API_KEYS: `${API_KEY}=*;${WALKER_KEY}=${WALKER_SOURCE}`,
    });
    appUrl = app.url;
    users = await TestUsers.connect(infra.databaseUrl);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    for (const [role, org] of Object.entries(ORGANIZATION_OF)) as[role] = await users.headers(app.url, role as Role, org);
  });

  /** The revocation reason of the session a refresh cookie belongs to (null while it lives). */
  const revokedReasonOf = async (cookie: string): Promise<string | null> =>
    (await db.query(`SELECT s.revoked_reason FROM auth_session s JOIN auth_refresh_token t ON t.session_id = s.id WHERE t.id = $1`, [tokenIdOf(cookie)]))
      .rows[0].revoked_reason;

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  describe('where the service listens', () => {
    it('binds to 127.0.0.1 unless HOST says otherwise, and logs the address it really listens on', async () => {
      const port = new URL(app.url).port;
      expect(app.output()).toContain(`listening on 127.0.0.1:${port}`);
      // Another address of this machine reaches nothing: the port is closed to the network.
      await expect(fetch(`http://127.0.0.2:${port}/health`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });

      const open = await startService('api', infra, { HOST: '0.0.0.0', KAFKA_GROUP_PREFIX: `auth-host-${Date.now()}` });
      try {
        const openPort = new URL(open.url).port;
        expect(open.output()).toContain(`listening on 0.0.0.0:${openPort} (every network interface)`);
        expect((await fetch(`http://127.0.0.2:${openPort}/health`)).status).toBe(200);
      } finally {
        await open.stop();
      }
    });
  });

  describe('security headers', () => {
    it('every kind of response carries them: JSON API, console page and file, API docs, 404, errors', async () => {
      // The console's script, by the hashed name its page gives it.
      const script = /\/assets\/[^"]+\.js/.exec(await (await fetch(`${app.url}/`)).text())?.[0];
      expect(script).toBeDefined();
      const responses: Record<string, [Response, number]> = {
        'JSON API': [await fetch(`${app.url}/api/v1/auth/me`, { headers: as.operator }), 200],
        health: [await fetch(`${app.url}/health`), 200],
        'console page': [await fetch(`${app.url}/`), 200],
        'console file': [await fetch(`${app.url}${script}`), 200],
        'console view': [await fetch(`${app.url}/queue?m=1`), 200],
        'API docs': [await fetch(`${app.url}/api/docs`), 200],
        'unknown address': [await fetch(`${app.url}/no/such/page`), 404],
        'unknown console file': [await fetch(`${app.url}/assets/nothing.js`), 404],
        'no token': [await fetch(`${app.url}/api/v1/auth/me`), 401],
        'role refused': [await fetch(`${app.url}/api/v1/users`, { headers: as.operator }), 403],
        'invalid body': [
          await fetch(`${app.url}/api/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Api-Key': API_KEY }, body: '{}' }),
          400,
        ],
        'malformed JSON': [
          await fetch(`${app.url}/api/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'X-Api-Key': API_KEY },
            body: '{"text":',
          }),
          400,
        ],
      };
      const problems: string[] = [];
      for (const [kind, [res, status]] of Object.entries(responses)) {
        const csp = res.headers.get('content-security-policy') ?? '';
        if (res.status !== status) problems.push(`${kind}: ${res.status}, expected ${status}`);
        for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
          if (!csp.split(';').includes(directive)) problems.push(`${kind}: CSP without ${directive} (${csp || 'none'})`);
        }
        if (res.headers.get('x-frame-options') !== 'DENY') problems.push(`${kind}: X-Frame-Options ${res.headers.get('x-frame-options')}`);
        if (res.headers.get('x-content-type-options') !== 'nosniff')
          problems.push(`${kind}: X-Content-Type-Options ${res.headers.get('x-content-type-options')}`);
        if (res.headers.has('x-powered-by')) problems.push(`${kind}: X-Powered-By ${res.headers.get('x-powered-by')}`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('tokens', () => {
    let login: string;
    let password: string;

    beforeAll(async () => {
      ({ login, password } = await users.ensure('executor', 'adm-taganrog'));
    });

    it('signs in, names the user, its roles and organization; a wrong password or login is the same 401', async () => {
      const res = await postJson(`${app.url}/api/v1/auth/login`, { login, password }, {});
      expect(res.status).toBe(200);
      // The refresh token is in the cookie only: no script of the page ever holds it.
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      const me = await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${res.body.accessToken}` });
      expect(me.body).toEqual({
        login,
        name: expect.any(String),
        roles: ['executor'],
        roleTitles: ['Исполнитель'],
        organization: { id: 'adm-taganrog', name: 'Администрация города Таганрога' },
        views: ['inbox'],
        permissions: expect.arrayContaining(['GET /api/v1/messages', 'POST /api/v1/messages/:id/take']),
      });
      expect(me.body.permissions).not.toContain('GET /api/v1/users');
      const wrong = await postJson(`${app.url}/api/v1/auth/login`, { login, password: 'not-the-password' }, {});
      const unknown = await postJson(`${app.url}/api/v1/auth/login`, { login: 'nobody-at-all', password: 'whatever-it-is' }, {});
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(wrong.body.message).toBe(unknown.body.message);
      const empty = await postJson(`${app.url}/api/v1/auth/login`, { login: '' }, {});
      expect(empty.status).toBe(400);
      expect(new Set(empty.body.errors.map((e: any) => e.field))).toEqual(new Set(['login', 'password']));
      expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: 'Bearer not.a.token' })).status).toBe(401);
      expect((await getJson(`${app.url}/api/v1/auth/me`)).status).toBe(401);
    });

    it('puts the refresh token in an httpOnly, SameSite=Strict cookie for the sign-in endpoints only, Secure when the request came over https', async () => {
      const plain = await signInWithCookie(await users.ensure('executor', 'adm-azov'));
      const attributes = plain.setCookie.split(';').map((a) => a.trim());
      expect(attributes[0]).toMatch(/^cur_refresh=[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,100}$/);
      expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']));
      // A shift: the session's lifetime, so the cookie outlives neither the browser's nor the server's idea of it.
      const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice('Max-Age='.length));
      expect(maxAge).toBeGreaterThan(43_200 - 60);
      expect(maxAge).toBeLessThanOrEqual(43_200);
      // Over plain http (the demo on localhost) a Secure cookie would never come back: not set there.
      expect(attributes).not.toContain('Secure');
      const proxied = await fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Forwarded-Proto': 'https' },
        body: JSON.stringify(await users.ensure('executor', 'adm-azov')),
      });
      expect(
        proxied.headers
          .getSetCookie()[0]
          .split(';')
          .map((a) => a.trim()),
      ).toContain('Secure');
      // A refresh sets the next one with the same attributes.
      const next = await refreshWith(plain.cookie);
      expect(next.status).toBe(200);
      expect(next.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      expect(next.setCookie.split(';').map((a) => a.trim())).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']));
    });

    it('refreshes by the cookie only with the X-Requested-With header: without it 403 naming the header, the cookie not spent', async () => {
      const session = await signInWithCookie(await users.ensure('executor', 'adm-volgodonsk'));
      for (const headers of [{}, { 'X-Requested-With': 'XMLHttpRequest' }] as Record<string, string>[]) {
        const refused = await refreshWith(session.cookie, headers);
        expect(refused.status).toBe(403);
        expect(refused.body.errors).toEqual([{ field: 'X-Requested-With', message: 'must be cur-console' }]);
      }
      // The refusals spent nothing: the cookie still opens the session, once.
      const ok = await refreshWith(session.cookie);
      expect(ok.status).toBe(200);
      expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${ok.body.accessToken}` })).status).toBe(200);
      // No cookie at all: 401, nothing to refresh.
      const none = await send('POST', `${app.url}/api/v1/auth/refresh`, CSRF);
      expect(none.status).toBe(401);
      // A refresh token in the body (the old way) is not read.
      const old = await send('POST', `${app.url}/api/v1/auth/refresh`, CSRF, { refreshToken: ok.cookie.split('=')[1] });
      expect(old.status).toBe(401);
    });

    it('rotates the refresh cookie; a spent one presented again after its successor was used ends the session for everyone holding it', async () => {
      const first = await signInWithCookie(await users.ensure('executor', 'adm-gukovo'));
      const second = await refreshWith(first.cookie);
      expect(second.status).toBe(200);
      expect(second.cookie).not.toBe(first.cookie);
      const third = await refreshWith(second.cookie);
      expect(third.status).toBe(200);
      const bearer = { Authorization: `Bearer ${third.body.accessToken}` };
      expect((await getJson(`${app.url}/api/v1/auth/me`, bearer)).status).toBe(200);
      // The first cookie again: its successor was already used, so this is a copy, not a slow tab.
      const replay = await refreshWith(first.cookie);
      expect(replay.status).toBe(401);
      expect(replay.setCookie).toMatch(/^cur_refresh=;.*Expires=Thu, 01 Jan 1970/);
      expect((await getJson(`${app.url}/api/v1/auth/me`, bearer)).status).toBe(401);
      expect((await refreshWith(third.cookie)).status).toBe(401);
      expect(await revokedReasonOf(first.cookie)).toBe('refresh-token-reuse');
    });

    it('a spent cookie presented again after the grace window ends the session, even while its successor is unused', async () => {
      const first = await signInWithCookie(await users.ensure('executor', 'adm-donetsk'));
      const second = await refreshWith(first.cookie);
      expect(second.status).toBe(200);
      // The window (CUR_REFRESH_GRACE_S, 10 s) has passed for this token: moved back rather than waited for.
      await db.query(`UPDATE auth_refresh_token SET used_at = used_at - interval '1 minute' WHERE id = $1`, [tokenIdOf(first.cookie)]);
      expect((await refreshWith(first.cookie)).status).toBe(401);
      expect(await revokedReasonOf(first.cookie)).toBe('refresh-token-reuse');
      expect((await refreshWith(second.cookie)).status).toBe(401);
    });

    it('tabs refreshing with one cookie at once all get the same new cookie, and the session lives on', async () => {
      const racer = await users.ensure('executor', 'adm-bataysk');
      const session = await signInWithCookie(racer);
      const all = await Promise.all([0, 1, 2].map(() => refreshWith(session.cookie)));
      expect(all.map((r) => r.status)).toEqual([200, 200, 200]);
      // One successor, not a fork: whichever response the browser keeps last, it is the same cookie.
      expect(new Set(all.map((r) => r.cookie)).size).toBe(1);
      for (const r of all) expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${r.body.accessToken}` })).status).toBe(200);
      const next = await refreshWith(all[0].cookie);
      expect(next.status).toBe(200);
      expect(await revokedReasonOf(session.cookie)).toBeNull();
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM auth_refresh_token WHERE session_id = (SELECT session_id FROM auth_refresh_token WHERE id = $1)`,
        [tokenIdOf(session.cookie)],
      );
      expect(rows[0].n).toBe(3); // the sign-in's, the one successor, and the next
    });

    it("logout ends the caller's session and clears the cookie: its access token and refresh cookie stop working", async () => {
      const session = await signInWithCookie(await users.ensure('executor', 'adm-zverevo'));
      const bearer = { Authorization: `Bearer ${session.accessToken}` };
      const res = await fetch(`${app.url}/api/v1/auth/logout`, { method: 'POST', headers: { ...bearer, Cookie: session.cookie } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ endedSessionId: expect.any(String), refreshToken: 'this-session', message: 'Ваш сеанс завершён' });
      const cleared = res.headers.getSetCookie()[0];
      expect(cleared).toMatch(/^cur_refresh=;/);
      expect(cleared).toContain('Path=/api/v1/auth');
      expect(cleared).toContain('Expires=Thu, 01 Jan 1970');
      expect((await getJson(`${app.url}/api/v1/auth/me`, bearer)).status).toBe(401);
      expect((await refreshWith(session.cookie)).status).toBe(401);
    });

    it("logout with another session's cookie ends only the caller's session, says the cookie was not its own, and the other session lives on", async () => {
      const victim = await users.ensure('executor', 'adm-novocherkassk');
      const caller = await users.ensure('head', 'adm-novocherkassk');
      const alive = async (tokens: { accessToken: string }) =>
        (await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${tokens.accessToken}` })).status;
      const logout = async (accessToken: string, cookie: string) =>
        (await (
          await fetch(`${app.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}`, Cookie: cookie } })
        ).json()) as {
          refreshToken: string;
          message: string;
        };

      // Another user's session.
      const theirs = await signInWithCookie(victim);
      const mine = await signInWithCookie(caller);
      const res = await logout(mine.accessToken, theirs.cookie);
      expect(res).toMatchObject({ refreshToken: 'not-this-session', message: expect.stringContaining('не относится к вашему сеансу') });
      expect(await alive(mine)).toBe(401);
      expect(await alive(theirs)).toBe(200);
      expect(await revokedReasonOf(theirs.cookie)).toBeNull();
      // Their refresh cookie was not spent either.
      expect((await refreshWith(theirs.cookie)).status).toBe(200);

      // The caller's own other sign-in (another browser) is another session too: not ended from here.
      const here = await signInWithCookie(caller);
      const there = await signInWithCookie(caller);
      expect((await logout(here.accessToken, there.cookie)).refreshToken).toBe('not-this-session');
      expect([await alive(here), await alive(there)]).toEqual([401, 200]);
    });

    it('limits sign-in attempts per login and address: the sixth in a minute is 429, other logins are unaffected', async () => {
      const target = 'brute-force-target';
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await postJson(`${app.url}/api/v1/auth/login`, { login: target, password: `guess-${i}-xxxxxx` }, {})).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const limited = await postJson(`${app.url}/api/v1/auth/login`, { login: target, password: 'guess-again-xxxx' }, {});
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      expect((await postJson(`${app.url}/api/v1/auth/login`, { login, password }, {})).status).toBe(200);
    });

    it('refuses a demo user outside the embedded database, even with the right password', async () => {
      await db.query(
        `INSERT INTO user_account (id, login, password_hash, display_name, roles, organization_id, demo, active, created_at, updated_at)
         SELECT gen_random_uuid(), 'demo-copy-' || $1::text, password_hash, 'copied demo user', roles, organization_id, true, true, now(), now() FROM user_account WHERE login = $2`,
        [Date.now(), login],
      );
      const copied = (await db.query(`SELECT login FROM user_account WHERE login LIKE 'demo-copy-%' ORDER BY created_at DESC LIMIT 1`)).rows[0].login;
      expect((await postJson(`${app.url}/api/v1/auth/login`, { login: copied, password }, {})).status).toBe(401);
    });
  });

  describe('scoping: who sees and does what with a message', () => {
    let id: string;

    beforeAll(async () => {
      const posted = await postJson(
        `${app.url}/api/v1/messages`,
        portalMessage({ text: 'В районной больнице нет лекарств для льготников.', applicant: { name: 'Сидоров Иван Петрович', phone: '+79004443322' } }),
      );
      id = posted.body.id;
      await expectEventually(async () => expect((await getJson(`${app.url}/api/v1/messages/${id}`, as.operator)).body.status).not.toBe('new'));
      // ЦУР hands it to a hospital under the ministry of health.
      const routed = await postJson(
        `${app.url}/api/v1/messages/${id}/category`,
        { categoryCode: 'pos.medicine', organizationId: 'inst-aksay-crb', reason: 'Больница района' },
        as.operator,
      );
      expect(routed.body).toMatchObject({ status: 'assigned', organizationId: 'inst-aksay-crb' });
    });

    it('the parent organization oversees it (personal data masked) but cannot act on it; the hospital sees the applicant and acts', async () => {
      const url = `${app.url}/api/v1/messages/${id}`;
      const parent = await getJson(url, as.head);
      expect(parent.status).toBe(200);
      expect(parent.body.applicant).toMatchObject({ masked: true });
      expect((await postJson(`${url}/take`, {}, as.head)).status).toBe(403);
      expect((await getJson(`${app.url}/api/v1/messages?limit=200`, as.head)).body.items.map((m: any) => m.id)).toContain(id);

      const hospital = await users.headers(app.url, 'executor', 'inst-aksay-crb');
      expect((await getJson(url, hospital)).body.applicant).toEqual({
        name: 'Сидоров Иван Петрович',
        phone: '+79004443322',
        email: null,
        epguId: null,
        masked: false,
      });
      expect((await postJson(`${url}/take`, {}, hospital)).status).toBe(200);
      expect((await getJson(url, as.supervisor)).body.applicant).toMatchObject({ masked: true });
    });

    it('an unrelated organization gets 404 for the message, its deadlines and extensions, and 403 asking for another organization', async () => {
      const other = await users.headers(app.url, 'executor', 'adm-azov');
      const url = `${app.url}/api/v1/messages/${id}`;
      for (const path of ['', '/deadlines', '/extensions']) expect((await getJson(url + path, other)).status).toBe(404);
      expect((await postJson(`${url}/interim-answer`, { text: 'ответ' }, other)).status).toBe(404);
      expect((await getJson(`${app.url}/api/v1/messages?limit=200`, other)).body.items.map((m: any) => m.id)).not.toContain(id);
      expect((await getJson(`${app.url}/api/v1/messages?organizationId=inst-aksay-crb`, other)).status).toBe(403);
      expect((await getJson(`${app.url}/api/v1/sla/at-risk?organizationId=min-health`, other)).status).toBe(403);
      expect((await getJson(`${app.url}/api/v1/sla/breaches?organizationId=min-health`, other)).status).toBe(403);
      expect((await getJson(url, as.organizer)).status).toBe(403);
    });
  });

  describe('user administration', () => {
    it('an admin creates a user (password rules, agency roles need an organization, a reason for a role reading personal data), changes its roles (its sessions end), with the history', async () => {
      const url = `${app.url}/api/v1/users`;
      const login = `new-user-${Date.now()}`;
      const weak = await postJson(url, { login, displayName: 'Новый', roles: ['executor'], password: 'short' }, as.admin);
      expect(weak.status).toBe(400);
      expect(new Set(weak.body.errors.map((e: any) => e.field))).toEqual(new Set(['password', 'organizationId', 'reason']));
      const badRole = await postJson(
        url,
        { login, displayName: 'Новый', roles: ['king'], organizationId: 'min-health', password: 'long-enough-password' },
        as.admin,
      );
      expect(badRole.body.errors.map((e: any) => e.field)).toEqual(['roles']);
      const reason = 'Принят исполнителем в Минздрав';
      expect(
        (
          await postJson(
            url,
            { login, displayName: 'Новый', roles: ['executor'], organizationId: 'min-health', password: 'long-enough-password', reason },
            as.operator,
          )
        ).status,
      ).toBe(403);
      const created = await postJson(
        url,
        { login, displayName: 'Новый', roles: ['executor'], organizationId: 'min-health', password: 'long-enough-password', reason },
        as.admin,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ login, roles: ['executor'], organization: { id: 'min-health' }, active: true, demo: false });
      expect(
        (
          await postJson(
            url,
            { login: login.toUpperCase(), displayName: 'Двойник', roles: ['operator'], password: 'long-enough-password', reason: 'Двойник' },
            as.admin,
          )
        ).status,
      ).toBe(409);

      const session = await signInWithCookie({ login, password: 'long-enough-password' });
      const changed = await send('PATCH', `${url}/${created.body.id}`, as.admin, { roles: ['head'], reason: 'Назначен руководителем' });
      expect(changed.status).toBe(200);
      expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${session.accessToken}` })).status).toBe(401);
      // Nor does its cookie get it a new token with the old roles: the session is over, not just the access token.
      expect((await refreshWith(session.cookie)).status).toBe(401);
      expect(await revokedReasonOf(session.cookie)).toBe('user-changed');
      const detail = await getJson(`${url}/${created.body.id}`, as.admin);
      expect(detail.body.history.map((h: any) => [h.type, h.actor, h.reason])).toEqual([
        ['created', testLogin('admin'), reason],
        ['updated', testLogin('admin'), 'Назначен руководителем'],
      ]);
      expect(detail.body.history[1]).toMatchObject({ before: { roles: ['executor'] }, after: { roles: ['head'] } });
      expect(JSON.stringify(detail.body)).not.toMatch(/argon2|password_hash|passwordHash/);
    });

    it('a password reset and disabling a user end its sessions at once: neither its access token nor its refresh cookie works', async () => {
      const login = `ended-${Date.now()}`;
      const created = await postJson(
        `${app.url}/api/v1/users`,
        { login, displayName: 'Завершаемый', roles: ['supervisor'], password: 'long-enough-password' },
        as.admin,
      );
      expect(created.status).toBe(201);
      const before = await signInWithCookie({ login, password: 'long-enough-password' });
      const reset = await postJson(
        `${app.url}/api/v1/users/${created.body.id}/password`,
        { password: 'another-long-password', reason: 'Забыл пароль' },
        as.admin,
      );
      expect(reset.status).toBe(204);
      expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${before.accessToken}` })).status).toBe(401);
      expect((await refreshWith(before.cookie)).status).toBe(401);
      expect(await revokedReasonOf(before.cookie)).toBe('password-reset');

      const again = await signInWithCookie({ login, password: 'another-long-password' });
      const disabled = await send('PATCH', `${app.url}/api/v1/users/${created.body.id}`, as.admin, { active: false, reason: 'Уволен' });
      expect(disabled.status).toBe(200);
      expect((await getJson(`${app.url}/api/v1/auth/me`, { Authorization: `Bearer ${again.accessToken}` })).status).toBe(401);
      expect((await refreshWith(again.cookie)).status).toBe(401);
      expect(await revokedReasonOf(again.cookie)).toBe('user-changed');
    });

    it('an admin cannot change its own roles or organization (403 naming the field), nothing written; its name it may', async () => {
      const url = `${app.url}/api/v1/users`;
      const me = (await getJson(url, as.admin)).body.find((u: any) => u.login === testLogin('admin'));
      const before = (await getJson(`${url}/${me.id}`, as.admin)).body;

      const roles = await send('PATCH', `${url}/${me.id}`, as.admin, { roles: ['admin', 'supervisor'], reason: 'Хочу видеть сроки' });
      expect(roles.status).toBe(403);
      expect(roles.body.errors.map((e: any) => e.field)).toEqual(['roles']);
      const organization = await send('PATCH', `${url}/${me.id}`, as.admin, { organizationId: 'min-health', reason: 'Перевод' });
      expect(organization.status).toBe(403);
      expect(organization.body.errors.map((e: any) => e.field)).toEqual(['organizationId']);
      const both = await send('PATCH', `${url}/${me.id}`, as.admin, {
        roles: ['operator'],
        organizationId: 'cur-rostov',
        displayName: 'Оператор',
        reason: 'Сам себе оператор',
      });
      expect(both.status).toBe(403);
      expect(both.body.errors.map((e: any) => e.field)).toEqual(['roles', 'organizationId']);
      expect((await getJson(`${url}/${me.id}`, as.admin)).body).toEqual(before);
      expect((await getJson(`${app.url}/api/v1/auth/me`, as.admin)).status).toBe(200);

      // The same roles and organization are no change: the admin may still edit its own name.
      const renamed = await send('PATCH', `${url}/${me.id}`, as.admin, {
        displayName: 'Администратор тестов',
        roles: ['admin'],
        organizationId: null,
        reason: 'Имя',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ displayName: 'Администратор тестов', roles: ['admin'] });
    });

    it('the admin role never goes with a role that reads personal data: 400 naming roles, on create and on change, nothing written', async () => {
      const url = `${app.url}/api/v1/users`;
      for (const role of ['operator', 'executor', 'head']) {
        const login = `admin-and-${role}-${Date.now()}`;
        const res = await postJson(
          url,
          { login, displayName: 'Совмещение', roles: ['admin', role], organizationId: 'min-health', password: 'long-enough-password', reason: 'Совмещение' },
          as.admin,
        );
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: any) => e.field)).toEqual(['roles']);
        expect((await db.query(`SELECT 1 FROM user_account WHERE login = $1`, [login])).rowCount).toBe(0);
      }
      const other = await postJson(
        url,
        { login: `second-admin-${Date.now()}`, displayName: 'Второй администратор', roles: ['admin'], password: 'long-enough-password' },
        as.admin,
      );
      expect(other.status).toBe(201);
      for (const roles of [
        ['admin', 'operator'],
        ['head', 'admin'],
      ]) {
        const res = await send('PATCH', `${url}/${other.body.id}`, as.admin, { roles, organizationId: 'min-health', reason: 'Совмещение' });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: any) => e.field)).toEqual(['roles']);
      }
      const after = (await getJson(`${url}/${other.body.id}`, as.admin)).body;
      expect(after).toMatchObject({ roles: ['admin'], organization: null });
      expect(after.history.map((h: any) => h.type)).toEqual(['created']);
      // A role that reads no personal data may go with admin.
      expect((await send('PATCH', `${url}/${other.body.id}`, as.admin, { roles: ['admin', 'supervisor'], reason: 'Контроль сроков' })).status).toBe(200);
    });

    it('a grant of a role that reads personal data needs a reason, is in the user history (who, when, why, before/after) and is announced to supervisors', async () => {
      const url = `${app.url}/api/v1/users`;
      const login = `grantee-${Date.now()}`;
      const noReason = await postJson(
        url,
        { login, displayName: 'Будущий оператор', roles: ['operator'], organizationId: 'cur-rostov', password: 'long-enough-password' },
        as.admin,
      );
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors.map((e: any) => e.field)).toEqual(['reason']);
      const created = await postJson(
        url,
        { login, displayName: 'Будущий оператор', roles: ['supervisor'], organizationId: 'cur-rostov', password: 'long-enough-password' },
        as.admin,
      );
      expect(created.status).toBe(201);
      const granted = await send('PATCH', `${url}/${created.body.id}`, as.admin, {
        roles: ['supervisor', 'operator'],
        reason: 'Переведён в операторы приказом № 12',
      });
      expect(granted.status).toBe(200);

      const history = (await getJson(`${url}/${created.body.id}`, as.admin)).body.history;
      expect(history[1]).toEqual({
        at: expect.any(String),
        type: 'updated',
        actor: testLogin('admin'),
        reason: 'Переведён в операторы приказом № 12',
        before: expect.objectContaining({ roles: ['supervisor'] }),
        after: expect.objectContaining({ roles: ['supervisor', 'operator'] }),
        grantedRoles: ['operator'],
      });

      // A grant older than CUR_ROLE_GRANT_NOTICE_DAYS (7) is no longer announced.
      await db.query(
        `INSERT INTO user_account_event (user_id, type, actor, reason, before, after, granted_roles, at)
         VALUES ($1, 'updated', 'long-ago-admin', 'давно', '{"roles": []}', '{"roles": ["executor"]}', '{executor}', '2026-02-20T09:00:00+03:00')`,
        [created.body.id],
      );

      const notice = (await getJson(`${app.url}/api/v1/notices`, as.supervisor)).body.items.find((n: any) => n.id.startsWith('personal-data-role-grants:'));
      expect(notice).toMatchObject({
        severity: 'warning',
        audience: ['supervisor'],
        title: expect.stringContaining('Выданы роли с доступом к персональным данным'),
      });
      expect(notice.text).toMatch(
        new RegExp(
          `^\\d\\d\\.\\d\\d\\.\\d{4}, \\d\\d:\\d\\d: ${testLogin('admin').replace(/\./g, '\\.')} выдал\\(а\\) роль «Оператор ЦУР» пользователю ${login}`,
        ),
      );
      expect(notice.text).not.toContain('long-ago-admin');
      expect(notice.text).not.toContain('Будущий оператор'); // logins and role titles only
      for (const role of ['operator', 'admin', 'head'] as const) {
        expect((await getJson(`${app.url}/api/v1/notices`, as[role])).body.items.map((n: any) => n.id)).not.toContainEqual(
          expect.stringMatching(/^personal-data-role-grants:/),
        );
      }
    });
  });

  describe('API keys', () => {
    const intake = () => `${app.url}/api/v1/messages`;

    it('wrong keys are limited like wrong passwords: the sixth in a minute from one address is 429; right keys are never slowed, other addresses unaffected', async () => {
      // Right keys never count, however many.
      const right: number[] = [];
      for (let i = 0; i < 8; i++) right.push((await sendFrom('127.0.0.3', 'POST', intake(), { 'X-Api-Key': API_KEY }, portalMessage())).status);
      expect(right).toEqual(Array(8).fill(201));

      const wrong: number[] = [];
      for (let i = 0; i < 6; i++) wrong.push((await sendFrom('127.0.0.2', 'POST', intake(), { 'X-Api-Key': `guess-${i}` }, portalMessage())).status);
      expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
      const limited = await sendFrom('127.0.0.2', 'POST', `${app.url}/api/v1/ratings`, { 'X-Api-Key': 'guess-again' }, {});
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      // For the rest of the minute the address gets 429 whatever the key: sparing the right one would tell which keys are wrong.
      expect((await sendFrom('127.0.0.2', 'POST', intake(), { 'X-Api-Key': API_KEY }, portalMessage())).status).toBe(429);
      // Other addresses go on.
      expect((await sendFrom('127.0.0.3', 'POST', intake(), { 'X-Api-Key': API_KEY }, portalMessage())).status).toBe(201);
      expect((await postJson(intake(), portalMessage())).status).toBe(201);
    });
  });

  /**
   * Every route of the product, from its own table: the rule each declares is the one expected
   * here (a new route must be added deliberately), and the guard enforces it: no token → 401,
   * a role outside the rule → 403, a role inside it gets past the guard.
   */
  describe('every route is guarded as declared', () => {
    const ALL = ['operator', 'executor', 'head', 'supervisor', 'organizer', 'admin'];
    const READERS = ['operator', 'supervisor', 'executor', 'head'];
    const AGENCY = ['executor', 'head'];
    type ApiKeyRule = { apiKey: { field: string; each?: string } | { fixed: string } };
    const EXPECTED: Record<string, string[] | 'public' | ApiKeyRule | 'signed-in'> = {
      'GET /': 'public',
      // The console's page at every view's address, and its files.
      ...Object.fromEntries(Object.keys(CONSOLE_VIEWS).map((view) => [`GET /${view}`, 'public' as const])),
      'GET /assets/:file': 'public',
      'GET /results/:id': 'public',
      'GET /api/v1/catalog': 'signed-in',
      'GET /api/v1/routing/rules': ['admin', 'supervisor', 'operator'],
      'POST /api/v1/imports/pos/upload': ['operator', 'supervisor'],
      'GET /health': 'public',
      'GET /health/live': 'public',
      'GET /health/ready': 'public',
      // Prometheus's scrape: public in the access table; CUR_METRICS_TOKEN, when set, closes it to all but its bearer.
      'GET /metrics': 'public',
      'GET /api/v1/notices': 'signed-in',
      'POST /api/v1/auth/login': 'public',
      'POST /api/v1/auth/refresh': 'public',
      'POST /api/v1/auth/logout': 'signed-in',
      'GET /api/v1/auth/me': 'signed-in',
      'GET /api/v1/events/stream': 'signed-in',
      'GET /api/v1/admin/access': ['admin'],
      'GET /api/v1/users': ['admin'],
      'POST /api/v1/users': ['admin'],
      'GET /api/v1/users/:id': ['admin'],
      'PATCH /api/v1/users/:id': ['admin'],
      'POST /api/v1/users/:id/password': ['admin'],
      'POST /api/v1/messages': { apiKey: { field: 'source' } },
      'POST /api/v1/messages:batch': { apiKey: { field: 'source', each: 'messages' } },
      'POST /api/v1/imports/pos': { apiKey: { fixed: 'pos-export' } },
      'GET /api/v1/messages': READERS,
      'GET /api/v1/messages/:id': READERS,
      'GET /api/v1/messages/:id/similar': READERS,
      'GET /api/v1/messages/:id/personal-data-access': ['supervisor', 'admin'],
      'GET /api/v1/stats': READERS,
      'GET /api/v1/messages/:id/deadlines': READERS,
      'GET /api/v1/sla/at-risk': READERS,
      'GET /api/v1/sla/breaches': READERS,
      'POST /api/v1/messages/bulk': ['operator'],
      'POST /api/v1/messages/:id/category': ['operator'],
      'POST /api/v1/messages/:id/moderation-acceptance': ['operator'],
      'POST /api/v1/messages/:id/importance': ['operator'],
      'POST /api/v1/messages/:id/merge': ['operator'],
      'POST /api/v1/messages/:id/rejection': ['operator'],
      'POST /api/v1/messages/:id/reconsideration': ['operator'],
      'POST /api/v1/messages/:id/take': AGENCY,
      'POST /api/v1/messages/:id/clarification-request': AGENCY,
      'POST /api/v1/messages/:id/clarification-received': AGENCY,
      'POST /api/v1/messages/:id/interim-answer': AGENCY,
      'POST /api/v1/messages/:id/answer': AGENCY,
      'POST /api/v1/messages/:id/redirect': AGENCY,
      'POST /api/v1/messages/:id/assignment': ['head'],
      'POST /api/v1/messages/:id/answer-draft': AGENCY,
      'POST /api/v1/messages/:id/answer-approval': ['head'],
      'POST /api/v1/messages/:id/answer-return': ['head'],
      'POST /api/v1/ratings': { apiKey: { field: 'source' } },
      'GET /api/v1/staff': AGENCY,
      'GET /api/v1/answer-templates': ['executor', 'head', 'operator', 'supervisor', 'admin'],
      'GET /api/v1/answer-templates/:id/history': ['admin'],
      'POST /api/v1/answer-templates': ['admin'],
      'PUT /api/v1/answer-templates/:id': ['admin'],
      'DELETE /api/v1/answer-templates/:id': ['admin'],
      'GET /api/v1/saved-views': READERS,
      'POST /api/v1/saved-views': READERS,
      'PUT /api/v1/saved-views/:id': READERS,
      'DELETE /api/v1/saved-views/:id': READERS,
      'GET /api/v1/sla/summary': READERS,
      'GET /api/v1/messages/:id/extensions': READERS,
      'POST /api/v1/messages/:id/extensions': AGENCY,
      'POST /api/v1/messages/:id/extensions/:requestId/approval': ['head', 'operator'],
      'POST /api/v1/messages/:id/extensions/:requestId/rejection': ['head', 'operator'],
      'GET /api/v1/classifier/models': ['admin', 'supervisor', 'operator'],
      'POST /api/v1/classifier/retrain': ['admin'],
      'POST /api/v1/classifier/models/:id/activate': ['admin'],
      'POST /api/v1/classifier/rollback': ['admin'],
      'GET /api/v1/dead-letters': ['admin'],
      'POST /api/v1/dead-letters/replay': ['admin'],
      'POST /api/v1/dead-letters/:id/replay': ['admin'],
      'POST /api/v1/discipline/cases': ['supervisor'],
      'GET /api/v1/engagements/themes': ['organizer', 'supervisor'],
      'GET /api/v1/public/engagements/:id': 'public',
      'GET /api/v1/engagements/deadlines': ['organizer', 'supervisor'],
      'GET /api/v1/engagements/breaches': ['organizer', 'supervisor'],
      'GET /api/v1/engagements': ['organizer', 'supervisor'],
      'POST /api/v1/engagements': ['organizer'],
      'GET /api/v1/engagements/:id': ['organizer', 'supervisor'],
      'PATCH /api/v1/engagements/:id': ['organizer'],
      'POST /api/v1/engagements/:id/publish': ['organizer'],
      'POST /api/v1/engagements/:id/close': ['organizer'],
      'POST /api/v1/engagements/:id/result': ['organizer'],
      'POST /api/v1/engagements/:id/decision': ['organizer'],
      'GET /api/v1/engagements/:id/results': ['organizer', 'supervisor'],
      'GET /api/v1/engagements/:id/history': ['organizer', 'supervisor'],
      'GET /api/v1/engagements/:id/comments': ['organizer', 'supervisor'],
      'POST /api/v1/engagements/:id/comments/:commentId/hide': ['organizer'],
      'POST /api/v1/engagements/:id/comments/:commentId/show': ['organizer'],
      'GET /api/v1/engagements/:id/results/file': ['organizer', 'supervisor'],
      'POST /api/v1/engagements/:id/ballots': { apiKey: { fixed: 'engagements' } },
      'POST /api/v1/engagements/:id/comments': { apiKey: { fixed: 'engagements' } },
      'POST /api/v1/engagements/:id/comments/:commentId/reports': { apiKey: { fixed: 'engagements' } },
      'GET /api/v1/discipline/cases': ['supervisor'],
      'GET /api/v1/discipline/cases/:id': ['supervisor'],
      ...Object.fromEntries(
        ['explanation-request', 'explanation', 'explanation-refusal', 'excluded-periods', 'order', 'acknowledgement', 'acknowledgement-refusal', 'closure'].map(
          (step) => [`POST /api/v1/discipline/cases/:id/${step}`, ['supervisor']],
        ),
      ),
      // The monthly summary: supervisors, and heads for their own organization (checked by the service).
      ...Object.fromEntries(
        [
          'POST /api/v1/reports/monthly',
          'GET /api/v1/reports/monthly',
          'GET /api/v1/reports/monthly/:id',
          'GET /api/v1/reports/monthly/:id/history',
          'GET /api/v1/reports/monthly/:id/file',
          'POST /api/v1/reports/monthly/:id/approval',
          'GET /api/v1/reports/figures/messages',
          'GET /api/v1/reports/submissions',
          'GET /api/v1/reports/breaches',
          'GET /api/v1/reports/ratings',
          'GET /api/v1/reports/dashboard',
          'GET /api/v1/reports/ratings/file',
        ].map((route) => [route, ['head', 'supervisor']]),
      ),
    };

    const fresh = async (role: Role) => {
      const { login, password } = await users.ensure(role, ORGANIZATION_OF[role]);
      return signIn(app.url, login, password);
    };
    let routes: { method: string; path: string; access: { kind: string; roles?: string[]; source?: { field: string; each?: string } | { fixed: string } } }[];

    beforeAll(async () => {
      const res = await getJson(`${app.url}/api/v1/admin/access`, as.admin);
      expect(res.status).toBe(200);
      routes = res.body;
    });

    it('declares exactly the expected rule on every route', () => {
      const declared = Object.fromEntries(
        routes.map((r) => [
          `${r.method} ${r.path}`,
          r.access.kind === 'roles' ? [...r.access.roles!].sort() : r.access.kind === 'api-key' ? { apiKey: r.access.source } : r.access.kind,
        ]),
      );
      const expected = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
      expect(declared).toEqual(expected);
    });

    it('documents every route at /api/docs: parameters, request schemas from the validation rules, and the access rule', async () => {
      const page = await fetch(`${app.url}/api/docs`);
      expect(page.status).toBe(200);
      const doc = (await getJson(`${app.url}/api/docs/openapi.json`)).body;
      const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      expect(new Set(documented)).toEqual(new Set(routes.map((r) => `${r.method} ${r.path}`)));
      const login = doc.paths['/api/v1/auth/login'].post;
      expect(login.security).toEqual([]);
      expect(login.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginBody');
      expect(doc.components.schemas.LoginBody).toMatchObject({
        properties: { login: { type: 'string', maxLength: 64 }, password: { type: 'string' } },
        required: expect.arrayContaining(['login', 'password']),
      });
      expect(doc.paths['/api/v1/messages'].post.security).toEqual([{ apiKey: [] }]);
      const take = doc.paths['/api/v1/messages/{id}/take'].post;
      expect(take.security).toEqual([{ bearer: [] }]);
      expect(take.description).toContain('Исполнитель, Руководитель');
      expect(doc.paths['/api/v1/messages'].get.parameters.map((p: any) => p.name)).toEqual(
        expect.arrayContaining(['status', 'organizationId', 'channel', 'overdue', 'limit', 'cursor']),
      );
    });

    it('enforces each rule: 401 without a token or key, 403 for a role or source outside it, past the guard inside it', async () => {
      const problems: string[] = [];
      let keyRoutes = 0;
      for (const route of routes) {
        const key = `${route.method} ${route.path}`;
        const url = app.url + route.path.replace(/\/:\w+/g, `/${ANY_ID}`);
        const body = route.method === 'GET' ? undefined : {};
        const anonymous = await send(route.method, url, {}, body);
        const rule = route.access;
        if (rule.kind === 'public') {
          // The refresh needs no bearer token but its own cookie and CSRF header: refused without them, by the header first.
          if (key === 'POST /api/v1/auth/refresh') {
            if (anonymous.status !== 403 || anonymous.body.errors?.[0]?.field !== 'X-Requested-With')
              problems.push(`${key}: ${anonymous.status} without the header`);
          } else if (anonymous.status === 401 || anonymous.status === 403) problems.push(`${key}: public but ${anonymous.status}`);
          continue;
        }
        if (anonymous.status !== 401) problems.push(`${key}: ${anonymous.status} without credentials`);
        if (rule.kind === 'api-key') {
          if ((await send(route.method, url, as.admin, body)).status !== 401) problems.push(`${key}: a user token passed the API key check`);
          // Each route's wrong key from an address of its own, so the wrong-key limit is not what answers.
          const wrong = await sendFrom(`127.0.1.${++keyRoutes}`, route.method, url, { 'X-Api-Key': 'not-a-key' }, body);
          if (wrong.status !== 401) problems.push(`${key}: ${wrong.status} with a wrong key`);
          // The walker's key allows one source only: any other, from where the route says, is 403 naming the field.
          const source = rule.source!;
          // A batch route names the source in each item of an array (`messages[0].source`).
          const each = 'each' in source ? source.each : undefined;
          const field = 'field' in source ? (each ? `${each}[0].${source.field}` : source.field) : 'source';
          const named = (value?: string) => {
            const item = 'field' in source && value !== undefined ? { [source.field]: value } : {};
            return each ? { [each]: [item] } : item;
          };
          const elsewhere = await send(route.method, url, { 'X-Api-Key': WALKER_KEY }, 'field' in source ? named('somewhere-else') : body);
          if (elsewhere.status !== 403 || elsewhere.body.code !== 'SOURCE_NOT_ALLOWED' || elsewhere.body.errors?.[0]?.field !== field) {
            problems.push(`${key}: a key not allowed for the source got ${elsewhere.status} ${JSON.stringify(elsewhere.body)}`);
          }
          if ('field' in source) {
            const unnamed = await send(route.method, url, { 'X-Api-Key': WALKER_KEY }, named());
            if (unnamed.status !== 400 || unnamed.body.errors?.[0]?.field !== field)
              problems.push(`${key}: a limited key without a source got ${unnamed.status}`);
            const own = await send(route.method, url, { 'X-Api-Key': WALKER_KEY }, named(WALKER_SOURCE));
            if ([401, 403, 429].includes(own.status)) problems.push(`${key}: a key allowed for the source refused with ${own.status}`);
          }
          const any = await send(route.method, url, { 'X-Api-Key': API_KEY }, body);
          if ([401, 403, 429].includes(any.status)) problems.push(`${key}: the key for any source refused with ${any.status}`);
          continue;
        }
        const allowed = rule.kind === 'signed-in' ? ALL : rule.roles!;
        for (const role of ALL) {
          // Logging out ends the session: use a fresh one for it.
          const headers = key === 'POST /api/v1/auth/logout' ? await fresh(role as Role) : as[role];
          const res = await send(route.method, url, headers, body);
          const inside = allowed.includes(role);
          if (inside && (res.status === 401 || res.status === 403)) problems.push(`${key}: ${role} refused with ${res.status}`);
          if (!inside && res.status !== 403) problems.push(`${key}: ${role} got ${res.status}, expected 403`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
