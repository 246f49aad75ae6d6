import { getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { signIn, TestUsers } from './support/users';

interface StreamEvent {
  id: string;
  event: string;
  data: any;
}

/** A live updates stream read as the console reads it: fetch with the bearer header, events parsed as they come. */
class EventStream {
  readonly events: StreamEvent[] = [];
  private buffer = '';
  private done = false;

  private constructor(
    readonly status: number,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
  ) {}

  static async open(url: string, headers: Record<string, string>, lastEventId?: string): Promise<EventStream> {
    const res = await fetch(`${url}/api/v1/events/stream`, { headers: { ...headers, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } });
    if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
      const stream = new EventStream(res.status, undefined);
      stream.events.push({ id: '', event: 'error', data: await res.json() });
      stream.done = true;
      return stream;
    }
    return new EventStream(res.status, res.body!.getReader());
  }

  /** Reads until an event matches (the test's timeout bounds the wait); the match. */
  async waitFor(match: (e: StreamEvent) => boolean): Promise<StreamEvent> {
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.done) throw new Error(`stream ended without the event; got ${JSON.stringify(this.events)}`);
      await this.read();
    }
  }

  /** Reads until the server closes the stream. */
  async untilClosed(): Promise<StreamEvent[]> {
    while (!this.done) await this.read();
    return this.events;
  }

  messages(messageId: string): StreamEvent[] {
    return this.events.filter((e) => e.event === 'message' && e.data.messageId === messageId);
  }

  async close(): Promise<void> {
    this.done = true;
    await this.reader?.cancel();
  }

  private async read(): Promise<void> {
    const { value, done } = await this.reader!.read();
    if (done) {
      this.done = true;
      return;
    }
    this.buffer += new TextDecoder().decode(value);
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue; // a keep-alive comment
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (fields.event) this.events.push({ id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data ?? '{}') });
    }
  }
}

/**
 * Live updates over server-sent events on the whole product (real PostgreSQL and Kafka): who gets
 * which message's changes, resuming with Last-Event-ID, the per-user limit, and the stream's end
 * when the session ends or the service stops.
 */
describe('live updates', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let operator: Record<string, string>;
  let supervisor: Record<string, string>;
  let hospital: Record<string, string>;
  let city: Record<string, string>;
  const open: EventStream[] = [];
  const stream = async (headers: Record<string, string>, lastEventId?: string) => {
    const s = await EventStream.open(app.url, headers, lastEventId);
    open.push(s);
    return s;
  };

  /**
   * A new message from a territory, handed by ЦУР to an organization there (whatever triage did
   * first): its id. Its `categorized` history entry is the one the streams are watched for.
   */
  const routedTo = async (organizationId: string, territory: string): Promise<string> => {
    const posted = await postJson(`${app.url}/api/v1/messages`, portalMessage({ text: 'В районной больнице нет лекарств для льготников.', territory }));
    const id: string = posted.body.id;
    await expectEventually(async () => expect((await getJson(`${app.url}/api/v1/messages/${id}`, operator)).body.status).not.toBe('new'));
    const routed = await postJson(
      `${app.url}/api/v1/messages/${id}/category`,
      { categoryCode: 'pos.medicine', organizationId, reason: 'Тест потока' },
      operator,
    );
    expect(routed.body).toMatchObject({ status: 'assigned', organizationId });
    return id;
  };
  const routing = (messageId: string) => (e: StreamEvent) => e.event === 'message' && e.data.messageId === messageId && e.data.type === 'categorized';

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, {
      KAFKA_GROUP_PREFIX: `live-${Date.now()}`,
      CUR_DEMO_STREAM: 'false',
      CUR_EVENTS_POLL_MS: '200',
      CUR_EVENTS_HEARTBEAT_MS: '500',
    });
    users = await TestUsers.connect(infra.databaseUrl);
    operator = await users.headers(app.url, 'operator', 'cur-rostov');
    supervisor = await users.headers(app.url, 'supervisor', 'cur-rostov');
    hospital = await users.headers(app.url, 'executor', 'inst-aksay-crb');
    city = await users.headers(app.url, 'executor', 'adm-taganrog');
    // The standalone trains its bootstrap classifier before it is ready (up to 90 + 300 s in startService).
  }, 420_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await app?.stop();
    await users?.close();
  });

  it('needs a bearer token (401) and a Last-Event-ID it sent (400 naming the header)', async () => {
    const anonymous = await stream({});
    expect(anonymous.status).toBe(401);
    const forged = await stream({ Authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    const bad = await stream(supervisor, 'yesterday');
    expect(bad.status).toBe(400);
    expect(bad.events[0].data.errors).toEqual([{ field: 'Last-Event-ID', message: expect.any(String) }]);
  });

  it("a supervisor's stream gets a message's changes; an executor gets its own organization's and never another's ids", async () => {
    const [all, ours, theirs] = [await stream(supervisor), await stream(hospital), await stream(city)];
    expect([all.status, ours.status, theirs.status]).toEqual([200, 200, 200]);
    for (const s of [all, ours, theirs]) await s.waitFor((e) => e.event === 'ready');

    // Far from the city: not even triage's first choice is the city's, whose executor must never hear of it.
    const forHospital = await routedTo('inst-aksay-crb', 'Аксайский район');
    const routed = await all.waitFor(routing(forHospital));
    expect(routed.data).toEqual({
      id: expect.stringMatching(/^\d+$/),
      messageId: forHospital,
      type: 'categorized',
      fromStatus: expect.any(String),
      status: 'assigned',
      organizationId: 'inst-aksay-crb',
      at: expect.any(String),
    });
    expect(routed.id).toMatch(/^\d+-\d+$/);
    await ours.waitFor(routing(forHospital));

    // The hospital takes it: a status change reaches the supervisor as well.
    expect((await postJson(`${app.url}/api/v1/messages/${forHospital}/take`, {}, hospital)).status).toBe(200);
    await all.waitFor((e) => e.data.messageId === forHospital && e.data.status === 'in_progress');

    // The city's own message comes after all of those (the tail sends in history order): once the
    // city's stream has it, the hospital's message has been passed over for it.
    const forCity = await routedTo('adm-taganrog', 'Таганрог');
    await theirs.waitFor(routing(forCity));
    await ours.waitFor((e) => e.event === 'message' && e.data.messageId === forHospital && e.data.status === 'in_progress');
    expect(theirs.messages(forHospital)).toEqual([]);
    await all.waitFor(routing(forCity));
    expect(ours.messages(forCity)).toEqual([]);
  });

  it('a client resuming with Last-Event-ID gets what it missed while away, scoped as ever', async () => {
    const before = await stream(supervisor);
    const ready = await before.waitFor((e) => e.event === 'ready');
    const hospitalBefore = await stream(hospital);
    const hospitalReady = await hospitalBefore.waitFor((e) => e.event === 'ready');
    await before.close();
    await hospitalBefore.close();

    // A stream that stayed connected has it: the tail has passed it, so a resumed stream can only get it as missed.
    const watcher = await stream(supervisor);
    await watcher.waitFor((e) => e.event === 'ready');
    const missed = await routedTo('adm-taganrog', 'Таганрог');
    await watcher.waitFor(routing(missed));
    const after = await stream(supervisor, ready.id);
    const caughtUp = await after.waitFor(routing(missed));
    // Replayed before `ready`: the client knows it is up to date when `ready` comes.
    const readyAgain = await after.waitFor((e) => e.event === 'ready');
    expect(after.events.indexOf(caughtUp)).toBeLessThan(after.events.indexOf(readyAgain));
    expect(after.events[0].event).not.toBe('reset');

    // The hospital's executor resuming from the same moment learns nothing of the city's message.
    const hospitalAfter = await stream(hospital, hospitalReady.id);
    await hospitalAfter.waitFor((e) => e.event === 'ready');
    expect(hospitalAfter.messages(missed)).toEqual([]);
    expect(hospitalAfter.events.map((e) => e.event)).toContain('ready');

    // Resuming from the last event received sends nothing twice.
    const again = await stream(supervisor, readyAgain.id);
    await again.waitFor((e) => e.event === 'ready');
    expect(again.messages(missed)).toEqual([]);
  });

  it('at most 5 streams per user: the sixth is 429 with a message, and one closed frees a place', async () => {
    const { login, password } = await users.ensure('head', 'adm-taganrog');
    const headers = await signIn(app.url, login, password);
    const five = await Promise.all([0, 1, 2, 3, 4].map(() => stream(headers)));
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await stream(headers);
    expect(sixth.status).toBe(429);
    expect(sixth.events[0].data.message).toContain('не больше 5');
    await five[0].close();
    await expectEventually(async () => {
      const retry = await stream(headers);
      expect(retry.status).toBe(200);
    });
  });

  it('a stream ends when its session does: a disabled user is cut off with `end` (session-ended)', async () => {
    const { login, password } = await users.ensure('executor', 'adm-bataysk');
    const headers = await signIn(app.url, login, password);
    const admin = await users.headers(app.url, 'admin');
    const s = await stream(headers);
    await s.waitFor((e) => e.event === 'ready');
    const user = (await getJson(`${app.url}/api/v1/users`, admin)).body.find((u: any) => u.login === login);
    const disabled = await fetch(`${app.url}/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false, reason: 'Уволен' }),
    });
    expect(disabled.status).toBe(200);
    const events = await s.untilClosed();
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'session-ended' } });
  });

  it('the service stops promptly with streams open: each is told `end` (shutdown) and the process exits cleanly', async () => {
    const s = await stream(supervisor);
    await s.waitFor((e) => e.event === 'ready');
    const exit = app.stop();
    const events = await s.untilClosed();
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'shutdown' } });
    expect(await exit).toBe(0);
  });
});
