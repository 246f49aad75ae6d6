import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, portalMessage, postJson } from './support/http';
import { expectEventually, startService } from './support/services';
import { signIn } from './support/users';

/** `npm start` on a fresh machine: PGlite in-process, in-process bus, demo stream, console. */
describe('embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cur-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the console, routes a posted message, plays the demo stream, and keeps data across a restart', async () => {
    const env = { CUR_DATA_DIR: dataDir, CUR_RUN_MIGRATIONS: 'true', CUR_DEMO_INTERVAL_MS: '60000' };
    let app = await startService('standalone', undefined, env);
    let id: string;
    try {
      const page = await fetch(app.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>ЦУР — консоль · Ростовская область</title>');
      // The demo users of the README sign in with their login as password.
      const operator = await signIn(app.url, 'operator', 'operator');
      const me = await getJson(`${app.url}/api/v1/auth/me`, operator);
      expect(me.body).toMatchObject({ login: 'operator', roles: ['operator'], organization: { id: 'cur-rostov' } });
      expect((await getJson(`${app.url}/api/v1/auth/me`, await signIn(app.url, 'executor2', 'executor2'))).body.organization.id).toBe('adm-taganrog');

      const res = await postJson(`${app.url}/api/v1/messages`, portalMessage());
      expect(res.status).toBe(201);
      id = res.body.id;
      const message = await expectEventually(async () => {
        const { body } = await getJson(`${app.url}/api/v1/messages/${id}`, operator);
        expect(body.status).toBe('assigned');
        return body;
      });
      expect(message.organization.id).toBe('adm-taganrog');
      expect(message.dueAt).toEqual(expect.any(String));
      // The shift console's tables work on PGlite too: a saved view, an answer template offered for the category.
      expect((await postJson(`${app.url}/api/v1/saved-views`, { name: 'Разбор', query: 'status=needs_triage&sort=due' }, operator)).status).toBe(201);
      expect((await getJson(`${app.url}/api/v1/saved-views`, operator)).body.items).toEqual([expect.objectContaining({ name: 'Разбор' })]);
      const admin = await signIn(app.url, 'admin', 'admin');
      const template = { categoryCode: 'pos.roads', title: 'Ремонт дороги', body: 'Участок включён в план ремонта.' };
      expect((await postJson(`${app.url}/api/v1/answer-templates`, template, admin)).status).toBe(201);
      const offered = await getJson(`${app.url}/api/v1/answer-templates?categoryCode=pos.roads`, operator);
      expect(offered.body.items).toEqual([expect.objectContaining({ title: 'Ремонт дороги' })]);

      // The first five demo messages come at start; on a busy 2-core machine the bootstrap models can take a while to load.
      await expectEventually(async () => {
        const { body } = await getJson(`${app.url}/api/v1/messages?limit=200`, operator);
        expect(body.items.filter((m: { id: string }) => m.id !== id).length).toBeGreaterThanOrEqual(5);
      }, 120_000).catch((error) => {
        throw new Error(`${error instanceof Error ? error.message : error}\n--- standalone output ---\n${app.output()}`);
      });
    } finally {
      expect(await app.stop()).toBe(0);
    }

    app = await startService('standalone', undefined, { ...env, CUR_DEMO_STREAM: 'false' });
    try {
      const { status, body } = await getJson(`${app.url}/api/v1/messages/${id!}`, await signIn(app.url, 'operator', 'operator'));
      expect(status).toBe(200);
      expect(body.status).toBe('assigned');
    } finally {
      await app.stop();
    }
  });
});
