import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { ROLES, Role } from '@cur/domain';
import { API_KEY, getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { signIn, TestUsers } from './support/users';

/**
 * Hostile input on the whole product (the standalone composition on real PostgreSQL and Kafka):
 * every route of its own OpenAPI document gets hostile values in each path parameter, query
 * parameter and body field, from every role, anonymously and with the intake key, and never
 * answers 5xx; NUL and unpaired surrogates are refused with a 400 naming the field, and nothing is
 * stored.
 */

/** The organization the seeded messages are routed to (a medical complaint in Rostov). */
const ORG = 'min-health';
const ORGANIZATION_OF: Record<Role, string | null> = {
  operator: 'cur-rostov',
  executor: ORG,
  head: ORG,
  supervisor: 'cur-rostov',
  organizer: 'cur-rostov',
  admin: null,
};
const MEDICAL_TEXT = 'В поликлинике Ростова-на-Дону невозможно записаться к врачу терапевту уже месяц';
const INSTANT = '2026-03-02T08:00:00+03:00';

interface Sent {
  status: number;
  body: any;
}

/**
 * A request as the walker sends it: the body is raw bytes so that any JSON (or non-JSON) can be
 * sent, on a connection of its own (a 413 or 431 closes the connection it came on).
 */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  contentType = 'application/json',
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      base + path,
      {
        method,
        agent: false,
        headers: body === undefined ? headers : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        // A live stream (server-sent events) answers once and then never ends by design: its status is the answer.
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode!, body: undefined });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (an HTML page, a 431 from Node)
          }
          resolve({ status: res.statusCode!, body: parsed });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Percent-encodes a path or query value, lone surrogates included (as the bytes a careless client would send). */
function encode(value: string): string {
  return Array.from(value)
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');
}

/** A hostile value: a JSON value, or raw JSON text where JSON.stringify cannot say it (2^63, -0, 1e400, deep nesting). */
interface Hostile {
  name: string;
  value?: unknown;
  raw?: string;
  /** Refused wherever it is sent: the walker expects a 400 naming the field. */
  forbidden?: boolean;
  /** A string that may well be valid: sent once on routes whose success is expensive. */
  plausible?: boolean;
}

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const VALUES: Hostile[] = [
  { name: 'NUL inside', value: 'a\u0000b', forbidden: true },
  { name: 'NUL alone', value: '\u0000', forbidden: true },
  { name: 'lone high surrogate', value: 'x\ud800', forbidden: true },
  { name: 'lone low surrogate', value: '\udc00y', forbidden: true },
  { name: 'surrogates reversed', value: '\udc00\ud800', forbidden: true },
  { name: '1e308', raw: '1e308' },
  { name: '1e400 (Infinity)', raw: '1e400' },
  { name: '2^63', raw: '9223372036854775808' },
  { name: '-2^63-1', raw: '-9223372036854775809' },
  { name: '-0', raw: '-0' },
  { name: '0.5', raw: '0.5' },
  { name: '"NaN"', value: 'NaN', plausible: true },
  { name: '"Infinity"', value: 'Infinity', plausible: true },
  { name: '"-0"', value: '-0', plausible: true },
  { name: '"1e308"', value: '1e308', plausible: true },
  { name: '"9223372036854775808"', value: '9223372036854775808', plausible: true },
  { name: '1 MB string', value: 'x'.repeat(1_000_000) },
  { name: 'empty string', value: '', plausible: true },
  { name: 'spaces', value: '   ', plausible: true },
  { name: 'empty array', value: [] },
  { name: 'array', value: ['a', 1, null] },
  { name: 'empty object', value: {} },
  { name: 'object', value: { a: { b: 'c' } } },
  { name: '__proto__', raw: '{"__proto__":{"polluted":true}}' },
  { name: 'true', value: true },
  { name: 'false', value: false },
  { name: 'null', value: null },
  { name: 'zero', value: 0 },
  { name: 'nested 1000 deep', raw: deep(1000) },
  { name: 'SQL OR', value: "' OR 1=1 --", plausible: true },
  { name: 'SQL DROP', value: "'; DROP TABLE message; --", plausible: true },
  { name: 'script', value: '<script>alert(1)</script>', plausible: true },
  { name: 'img onerror', value: '"><img src=x onerror=alert(1)>', plausible: true },
  { name: 'path traversal', value: '../../../../etc/passwd', plausible: true },
  { name: 'year 1', value: '0001-01-01T00:00:00Z', plausible: true },
  { name: 'year 9999', value: '9999-12-31T23:59:59+14:00', plausible: true },
  { name: 'year 275760', value: '+275760-09-13T00:00:00Z', plausible: true },
  { name: '30 February', value: '2026-02-30', plausible: true },
  { name: 'unknown UUID', value: '00000000-0000-4000-8000-000000000000', plausible: true },
  { name: 'RTL override and emoji', value: '\u202e😀\ufeff', plausible: true },
];

/** Whole request bodies, whatever the route expects. */
const BODIES: { name: string; body: string | Buffer; contentType?: string }[] = [
  { name: 'nested 100,000 deep (arrays)', body: deep(100_000) },
  { name: 'nested 100,000 deep (objects)', body: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) },
  { name: 'nested just over the limit', body: '{"a":' + deep(70) + '}' },
  { name: 'malformed', body: '{"a":' },
  { name: 'null', body: 'null' },
  { name: 'a string', body: '"text"' },
  { name: 'a number', body: '1e400' },
  { name: 'an array', body: '[{"reason":"x"}]' },
  { name: 'over 1 MB', body: JSON.stringify({ text: 'x'.repeat(1_100_000) }) },
  { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]) },
  { name: 'NUL in a key', body: '{"\\u0000":1}' },
  { name: 'prototype pollution', body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  { name: 'text/plain', body: 'reason=x', contentType: 'text/plain' },
  { name: 'UTF-16 charset', body: '{}', contentType: 'application/json; charset=utf-16' },
];

/** Path and query values: what a URL can carry. */
const URL_VALUES: Hostile[] = [
  ...VALUES.filter((v) => typeof v.value === 'string' && v.value.length < 1000),
  { name: '8 KB', value: 'x'.repeat(8_000) },
  { name: '1 MB (over the header limit)', value: 'x'.repeat(1_000_000) },
  { name: 'encoded slash', value: '%2F..%2F' },
  // Shaped like a paging cursor (base64url JSON), but not one the service wrote.
  { name: 'cursor with an SQL id', value: Buffer.from(JSON.stringify(['2026-03-01T00:00:00.000Z', "' OR 1=1 --"])).toString('base64url') },
  {
    name: 'cursor in year -271821',
    value: Buffer.from(JSON.stringify(['-271821-04-20T00:00:00.000Z', '00000000-0000-4000-8000-000000000001'])).toString('base64url'),
  },
  { name: 'a number', value: '1e308' },
];

interface Operation {
  method: string;
  path: string;
  access: { kind: string; roles?: string[] };
  pathParams: string[];
  query: { name: string; required: boolean; schema: any }[];
  body?: any;
}

type Identity = { name: string; headers: Record<string, string>; role?: Role };

describe('hostile input', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  const identities: Identity[] = [];
  const headersOf = (role: Role) => identities.find((i) => i.role === role)!.headers;

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, { KAFKA_GROUP_PREFIX: `hostile-${Date.now()}`, CUR_LOGIN_RATE_LIMIT: '1000', CUR_DEMO_STREAM: 'false' });
    users = await TestUsers.connect(infra.databaseUrl);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    identities.push({ name: 'anonymous', headers: {} }, { name: 'intake key', headers: { 'X-Api-Key': API_KEY } });
    for (const role of ROLES) identities.push({ name: role, role, headers: await users.headers(app.url, role, ORGANIZATION_OF[role]) });
  });

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  /** A message routed to ORG, as triage leaves it. */
  async function seedMessage(text = MEDICAL_TEXT): Promise<string> {
    const created = await postJson(`${app.url}/api/v1/messages`, portalMessage({ text, territory: 'Ростов-на-Дону' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const message = await expectEventually(async () => {
      const res = await getJson(`${app.url}/api/v1/messages/${id}`, headersOf('operator'));
      expect(res.body.status).not.toBe('new');
      return res.body;
    }, 120_000);
    if (message.organization?.id !== ORG) {
      const routed = await postJson(
        `${app.url}/api/v1/messages/${id}/category`,
        { categoryCode: 'pos.medicine', organizationId: ORG, reason: 'тест' },
        headersOf('operator'),
      );
      expect(routed.status).toBe(200);
    }
    return id;
  }

  describe('NUL, unpaired surrogates, deep nesting and bad cursors: a 400 naming the field, nothing stored', () => {
    const storedRows = async () =>
      (await db.query(`SELECT (SELECT count(*) FROM message) + (SELECT count(*) FROM applicant) + (SELECT count(*) FROM message_event) AS n`)).rows[0]
        .n as string;
    const fieldsOf = (res: Sent) => (res.body?.errors ?? []).map((e: { field: string }) => e.field);

    it.each([
      ['text', { text: 'Яма на дороге\u0000' }],
      ['source', { source: 'portal\u0000' }],
      ['externalId', { externalId: '\u0000' }],
      ['territory', { territory: 'Таганрог\u0000' }],
      ['categoryHint', { categoryHint: 'дороги\u0000' }],
      ['applicant.name', { applicant: { name: 'Иван\u0000' } }],
      ['applicant.epguId', { applicant: { epguId: '1\u00002' } }],
      ['source', { source: 'portal\ud800' }],
      ['applicant.email', { applicant: { email: 'ivan\ud800@example.org' } }],
      ['text', { text: 'Яма \udc00 на дороге' }],
      ['applicant.name', { applicant: { name: '\ud83d' } }],
    ])('intake: %s', async (field, overrides) => {
      const before = await storedRows();
      const res = await postJson(`${app.url}/api/v1/messages`, portalMessage(overrides));
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toContain(field);
      expect(await storedRows()).toBe(before);
    });

    it('sign-in: login and password', async () => {
      for (const [field, body] of [
        ['login', { login: 'operator\u0000', password: 'whatever-password' }],
        ['password', { login: 'operator', password: 'pass\u0000word-long' }],
        ['login', { login: '\ud800', password: 'whatever-password' }],
      ] as const) {
        const res = await postJson(`${app.url}/api/v1/auth/login`, body, {});
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toEqual([field]);
      }
    });

    it('workflow reasons and answers: nothing recorded on the message', async () => {
      const id = await seedMessage();
      const events = async () => (await db.query(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1`, [id])).rows[0].n;
      const before = await events();
      for (const [path, role, body, field] of [
        ['rejection', 'operator', { reason: 'спам\u0000' }, 'reason'],
        ['importance', 'operator', { importance: 'high', reason: 'важно\ud800' }, 'reason'],
        ['answer', 'head', { text: 'Ответ\u0000' }, 'text'],
        ['redirect', 'head', { organizationId: 'min-health\u0000', direction: 'down', reason: 'x' }, 'organizationId'],
        ['extensions', 'executor', { amount: 1, reason: '\u0000' }, 'reason'],
      ] as const) {
        const res = await postJson(`${app.url}/api/v1/messages/${id}/${path}`, body, headersOf(role));
        expect({ path, status: res.status, fields: fieldsOf(res) }).toEqual({ path, status: 400, fields: [field] });
      }
      expect(await events()).toBe(before);
      const message = await getJson(`${app.url}/api/v1/messages/${id}`, headersOf('operator'));
      expect(message.body).toMatchObject({ status: 'assigned', importance: 'normal' });
    });

    it('a query parameter and a path parameter with NUL', async () => {
      const query = await send(app.url, 'GET', `/api/v1/messages?assignee=${encode('me\u0000')}`, headersOf('operator'));
      expect([query.status, fieldsOf(query)]).toEqual([400, ['assignee']]);
      const file = await send(app.url, 'GET', `/assets/${encode('index.js\u0000')}`, {});
      expect([file.status, fieldsOf(file)]).toEqual([400, ['file']]);
    });

    it('a body nested 100,000 deep is refused before it is parsed', async () => {
      for (const body of [
        deep(100_000),
        '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
        JSON.stringify({ ...portalMessage(), applicant: JSON.parse(deep(100)) }),
      ]) {
        const res = await send(app.url, 'POST', '/api/v1/messages', { 'X-Api-Key': API_KEY }, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('64') });
      }
      // Brackets inside strings are text, not nesting.
      const text = await postJson(`${app.url}/api/v1/messages`, portalMessage({ text: `Яма ${'['.repeat(1000)} на дороге` }));
      expect(text.status).toBe(201);
    });

    it('cursors that decode to unexpected types or out-of-range dates', async () => {
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const id = '00000000-0000-4000-8000-000000000001';
      for (const bad of [
        cursor(['2026-03-01T00:00:00.000Z', 'not-a-uuid-at-all']),
        cursor(['2026-03-01T00:00:00.000Z', 42]),
        cursor([1, id]),
        cursor([true, id]),
        cursor([{}, id]),
        cursor(['-271821-04-20T00:00:00.000Z', id]),
        cursor(['+275760-09-13T00:00:00.000Z', id]),
        cursor(['2026-02-30T00:00:00.000Z', id]),
        cursor(['0000-01-01T00:00:00.000Z', id]),
        cursor(['2026-03-01', id]),
        cursor(['2026-03-01T00:00:00.000Z', id, 'extra']),
        cursor({ at: null, id }),
        cursor('x'.repeat(20)),
        Buffer.from('not json at all').toString('base64url'),
      ]) {
        for (const sort of ['received', 'due']) {
          const res = await send(app.url, 'GET', `/api/v1/messages?sort=${sort}&cursor=${bad}`, headersOf('operator'));
          expect({ bad, sort, status: res.status, fields: fieldsOf(res) }).toEqual({ bad, sort, status: 400, fields: ['cursor'] });
        }
      }
      // A real cursor still pages.
      await seedMessage();
      await seedMessage();
      for (const sort of ['received', 'due']) {
        const first = await getJson(`${app.url}/api/v1/messages?sort=${sort}&limit=1`, headersOf('operator'));
        expect(first.body.nextCursor).toEqual(expect.any(String));
        const next = await getJson(`${app.url}/api/v1/messages?sort=${sort}&limit=1&cursor=${first.body.nextCursor}`, headersOf('operator'));
        expect(next.status).toBe(200);
        expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
      }
    });
  });

  describe('every route of the OpenAPI document', () => {
    let operations: Operation[];
    let schemas: Record<string, any>;
    /** Real ids for each path: the handler is reached, not only a 404. */
    const ids = new Map<string, Record<string, string>>();
    let mergeTarget: string;
    let modelId: string;
    let victimId: string;

    beforeAll(async () => {
      const doc = (await getJson(`${app.url}/api/docs/openapi.json`)).body;
      schemas = doc.components.schemas;
      operations = [];
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          const parameters: any[] = op.parameters ?? [];
          const ref: string | undefined = op.requestBody?.content?.['application/json']?.schema?.$ref;
          operations.push({
            method: method.toUpperCase(),
            path,
            access: op['x-access'],
            pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
            query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: !!p.required, schema: p.schema })),
            body: ref ? schemas[ref.split('/').pop()!] : method === 'get' ? undefined : { type: 'object', properties: {} },
          });
        }
      }
      // Logging out ends the walker's own session: walk it last.
      operations.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));

      const admin = headersOf('admin');
      modelId = (await getJson(`${app.url}/api/v1/classifier/models?rubricator=pos`, admin)).body[0].id;
      const victim = await postJson(
        `${app.url}/api/v1/users`,
        { login: `victim-${Date.now()}`, displayName: 'Тестовый пользователь', roles: ['executor'], organizationId: ORG, password: 'victim-password-1' },
        admin,
      );
      victimId = victim.body.id;
      // A fresh message for each route about one message, so that one route's success does not leave the next only 409s.
      const messageRoutes = operations.filter((o) => o.path.startsWith('/api/v1/messages/{id}'));
      const seeded = [];
      for (let i = 0; i < messageRoutes.length + 1; i += 6) seeded.push(...(await Promise.all(Array.from({ length: 6 }, () => seedMessage()))));
      mergeTarget = seeded.pop()!;
      for (const [i, op] of messageRoutes.entries()) {
        const id = seeded[i];
        const params: Record<string, string> = { id };
        if (op.path.includes('/extensions/{requestId}')) {
          await postJson(`${app.url}/api/v1/messages/${id}/take`, {}, headersOf('executor'));
          const request = await postJson(`${app.url}/api/v1/messages/${id}/extensions`, { amount: 1, reason: 'нужно время' }, headersOf('executor'));
          expect(request.status).toBe(201);
          params.requestId = request.body.id;
        }
        if (/answer-(approval|return)$/.test(op.path)) {
          await postJson(`${app.url}/api/v1/messages/${id}/take`, {}, headersOf('executor'));
          expect((await postJson(`${app.url}/api/v1/messages/${id}/answer-draft`, { text: 'Проект ответа' }, headersOf('executor'))).status).toBeLessThan(300);
        }
        ids.set(`${op.method} ${op.path}`, params);
      }
      for (const op of operations.filter((o) => o.path.startsWith('/api/v1/discipline/cases/{id}'))) {
        const opened = await postJson(
          `${app.url}/api/v1/discipline/cases`,
          {
            organizationId: ORG,
            person: { name: 'Иванов И. И.', position: 'специалист' },
            employment: 'labour',
            description: 'Просрочка ответа',
            breachIds: [],
            offenceDate: '2026-02-20',
          },
          headersOf('supervisor'),
        );
        expect(opened.status).toBe(201);
        ids.set(`${op.method} ${op.path}`, { id: opened.body.id });
      }
      for (const op of operations) {
        const key = `${op.method} ${op.path}`;
        if (ids.has(key)) continue;
        if (op.path.startsWith('/api/v1/users/{id}')) ids.set(key, { id: victimId });
        else if (op.path.startsWith('/api/v1/classifier/models/{id}')) ids.set(key, { id: modelId });
        else ids.set(key, {});
      }
    });

    let unique = 0;
    /** A valid value for a field, from its name where the schema cannot say (ids, dates), else from its schema. */
    function validValue(field: string, schema: any): unknown {
      const named: Record<string, () => unknown> = {
        organizationId: () => ORG,
        categoryCode: () => 'pos.medicine',
        createdAt: () => INSTANT,
        ratedAt: () => INSTANT,
        at: () => INSTANT,
        from: () => '2026-02-02',
        to: () => '2026-02-03',
        date: () => '2026-02-20',
        offenceDate: () => '2026-02-20',
        discoveredDate: () => '2026-02-25',
        targetId: () => mergeTarget,
        source: () => 'test-portal',
        externalId: () => `hostile-${process.pid}-${++unique}`,
        login: () => `hostile.${process.pid}.${++unique}`,
        password: () => 'a-long-enough-password',
        url: () => 'https://example.org/post/1',
        email: () => 'ivan@example.org',
        phone: () => '+79001234567',
        roles: () => ['executor'],
        breachIds: () => [],
        measure: () => 'remark',
      };
      if (named[field]) return named[field]();
      if (schema?.$ref) return validObject(schemas[schema.$ref.split('/').pop()]);
      if (schema?.enum) return schema.enum[0];
      if (schema?.type === 'integer' || schema?.type === 'number') return schema.minimum ?? 1;
      if (schema?.type === 'boolean') return true;
      if (schema?.type === 'array') return [validValue(field, schema.items)];
      return 'Проверка';
    }

    /** Every field given, optional ones too: a hostile value in one field is then the only thing wrong. */
    function validObject(schema: any): Record<string, unknown> {
      return Object.fromEntries(Object.entries<any>(schema?.properties ?? {}).map(([name, s]) => [name, validValue(name, s)]));
    }

    /** Every field of a body, nested ones included: `applicant.email` → its schema. */
    function fields(schema: any, prefix: string[] = [], depth = 0): { path: string[]; schema: any }[] {
      return Object.entries<any>(schema?.properties ?? {}).flatMap(([name, s]) => {
        const path = [...prefix, name];
        const nested = s.$ref && depth < 2 ? fields(schemas[s.$ref.split('/').pop()], path, depth + 1) : [];
        return [{ path, schema: s }, ...nested];
      });
    }

    /** The valid body of the operation with one field replaced by a hostile value, as raw JSON text. */
    function bodyWith(schema: any, path: string[], hostile: Hostile): string {
      const body = validObject(schema);
      let target: Record<string, unknown> = body;
      for (const step of path.slice(0, -1)) target = target[step] as Record<string, unknown>;
      const placeholder = `\u0001hostile\u0001`;
      target[path[path.length - 1]] = hostile.raw !== undefined ? placeholder : hostile.value;
      const text = JSON.stringify(body);
      return hostile.raw !== undefined ? text.replace(JSON.stringify(placeholder), hostile.raw) : text;
    }

    interface Probe {
      identity: Identity;
      op: Operation;
      variant: string;
      path: string;
      /** Built when sent: a thousand 1 MB bodies are not held at once. */
      body?: () => string | Buffer;
      contentType?: string;
      /** For a forbidden value sent to an identity the route admits: the field the 400 must name. */
      expectField?: string;
    }

    function urlFor(op: Operation, params: Record<string, string>, query: Record<string, string> = {}): string {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
      const search = Object.entries(query)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      return search ? `${path}?${search}` : path;
    }

    /** Identities the route lets through its guard: they get every hostile value; the others, what reaches a guard. */
    function admitted(op: Operation, identity: Identity): boolean {
      if (op.access.kind === 'public') return identity.name === 'anonymous';
      if (op.access.kind === 'api-key') return identity.name === 'intake key';
      if (op.access.kind === 'signed-in') return identity.role === 'operator';
      return !!identity.role && op.access.roles!.includes(identity.role);
    }

    /**
     * Routes where a valid request is costly (a password hashed or checked with Argon2, a classifier
     * trained, a new sign-in after logout): strings that may well be valid are sent once per field.
     */
    const EXPENSIVE = new Set([
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/users',
      'POST /api/v1/users/{id}/password',
      'POST /api/v1/classifier/retrain',
    ]);

    function probes(op: Operation, identity: Identity): Probe[] {
      const key = `${op.method} ${op.path}`;
      const params = ids.get(key)!;
      const full = admitted(op, identity);
      const requiredQuery = Object.fromEntries(op.query.filter((q) => q.required).map((q) => [q.name, encode(String(validValue(q.name, q.schema)))]));
      const baseBody = op.body ? () => JSON.stringify(validObject(op.body)) : undefined;
      const list: Probe[] = [];
      const values = (all: Hostile[]) => {
        if (!full) return all.filter((v) => v.forbidden).slice(0, 1);
        if (!EXPENSIVE.has(key)) return all;
        const firstPlausible = all.find((v) => v.plausible);
        return all.filter((v) => !v.plausible || v === firstPlausible);
      };
      for (const name of op.pathParams) {
        for (const v of values(URL_VALUES)) {
          list.push({
            identity,
            op,
            variant: `path ${name} = ${v.name}`,
            path: urlFor(op, { ...params, [name]: encode(String(v.value)) }, requiredQuery),
            body: baseBody,
            expectField: full && v.forbidden && !/[\ud800-\udfff]/.test(String(v.value)) ? name : undefined,
          });
        }
      }
      for (const q of op.query) {
        for (const v of values(URL_VALUES)) {
          list.push({
            identity,
            op,
            variant: `query ${q.name} = ${v.name}`,
            path: urlFor(op, params, { ...requiredQuery, [q.name]: encode(String(v.value)) }),
            body: baseBody,
            expectField: full && v.forbidden && !/[\ud800-\udfff]/.test(String(v.value)) ? q.name : undefined,
          });
        }
        if (full)
          list.push({
            identity,
            op,
            variant: `query ${q.name} repeated`,
            path: urlFor(op, params, { ...requiredQuery, [q.name]: `a&${q.name}=b` }),
            body: baseBody,
          });
      }
      if (op.body) {
        const path = urlFor(op, params, requiredQuery);
        for (const field of fields(op.body)) {
          for (const v of values(VALUES)) {
            list.push({
              identity,
              op,
              variant: `body ${field.path.join('.')} = ${v.name}`,
              path,
              body: () => bodyWith(op.body, field.path, v),
              expectField: full && v.forbidden ? field.path.join('.') : undefined,
            });
          }
        }
        // The body parser runs before any guard, the same for everyone: those the route refuses send one.
        for (const b of full ? BODIES : BODIES.slice(0, 1))
          list.push({ identity, op, variant: `body: ${b.name}`, path, body: () => b.body, contentType: b.contentType });
        if (full) list.push({ identity, op, variant: 'valid body', path, body: baseBody });
      }
      if (!op.pathParams.length && !op.query.length && !op.body) list.push({ identity, op, variant: 'as is', path: urlFor(op, params) });
      return list;
    }

    it('answers no 5xx to any of them, for every role, anonymously and with the intake key', async () => {
      const walked = new Set<string>();
      const failures: string[] = [];
      const unnamed: string[] = [];
      let count = 0;
      const extraIdentities: Identity[] = [
        { name: 'malformed bearer', headers: { Authorization: 'Bearer not.a.token' } },
        {
          name: 'unsigned bearer',
          headers: {
            Authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["admin"]}').toString('base64url')}.`,
          },
        },
        { name: 'wrong intake key', headers: { 'X-Api-Key': "' OR 1=1 --" } },
      ];

      const run = async (probe: Probe) => {
        const label = `${probe.identity.name}: ${probe.op.method} ${probe.op.path} ${probe.variant}`;
        let res: Sent;
        try {
          res = await send(
            app.url,
            probe.op.method,
            probe.path,
            probe.identity.headers,
            probe.op.method === 'GET' ? undefined : probe.body?.(),
            probe.contentType,
          );
        } catch (error) {
          // Node refuses a request line over its 16 KB header limit with a 431 and closes the
          // connection at once: a client still writing may see the reset instead of the 431.
          const reset = ['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '');
          if (!(reset && probe.path.length > 16_384)) failures.push(`${label}: no answer (${String(error)})`);
          return;
        }
        count++;
        walked.add(`${probe.op.method} ${probe.op.path}`);
        if (res.status >= 500) failures.push(`${label}: ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
        if (probe.expectField && !(res.status === 400 && (res.body?.errors ?? []).some((e: { field: string }) => e.field === probe.expectField))) {
          unnamed.push(`${label}: ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
        }
        // Logging out ended the session: sign in again, so the remaining probes reach the handler.
        if (probe.op.path.endsWith('/logout') && res.status === 204 && probe.identity.role) {
          const { login, password } = await users.ensure(probe.identity.role, ORGANIZATION_OF[probe.identity.role]);
          probe.identity.headers = await signIn(app.url, login, password);
        }
      };

      const started = Date.now();
      for (const op of operations) {
        const batch = [...identities, ...extraIdentities].flatMap((identity) => probes(op, identity));
        // Logout probes of one identity run in order (each may end the session they use); the rest in parallel.
        await inParallel(op.path.endsWith('/logout') ? 1 : 6, batch, run);
      }

      expect(failures).toEqual([]);
      expect(unnamed).toEqual([]);
      expect([...walked].sort()).toEqual(operations.map((o) => `${o.method} ${o.path}`).sort());
      console.log(`hostile walk: ${count} requests on ${operations.length} routes in ${Math.round((Date.now() - started) / 1000)} s`);
      expect((await getJson(`${app.url}/health`)).status).toBe(200);
    });
  });
});

/** Runs the tasks with at most `limit` at once. */
async function inParallel<T>(limit: number, items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}
