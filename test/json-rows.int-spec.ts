import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MessageEntity, MessageEventEntity, migrate, ReportFactEntity, UserEntity } from '@cur/persistence';
import { insertJsonRows, insertJsonRowsTogether, jsonInsert, updateJsonRows } from '../libs/persistence/src/repositories/json-rows';
import { scratchDatabase } from './support/infrastructure';
import { messageRow } from './support/message-rows';

/**
 * The multi-row statements every batched write goes through (rows as JSON arrays, cast column by
 * column), on real PostgreSQL: what is stored is what was given, in the order given.
 */
describe('rows written as JSON arrays', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let data: DataSource;

  beforeAll(async () => {
    database = await scratchDatabase('json_rows');
    const options = dataSourceOptions(database.url, 2);
    await migrate(options, false);
    data = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await data?.destroy();
    await database?.drop();
  });

  const at = new Date('2026-12-06T09:15:30.123Z');
  const message = (externalId: string, fields: Partial<MessageEntity> = {}) => ({
    ...messageRow({ channel: 'pos', source: 'json-rows-test', externalId, text: 'text' }, at),
    version: 1,
    ...fields,
  });
  const stored = (id: string) => data.query(`SELECT *, classification IS NULL AS no_classification FROM message WHERE id = $1`, [id]).then((rows) => rows[0]);

  it('stores every kind of value as given: texts with any character, nulls, booleans, numbers, instants and JSON', async () => {
    const text = 'Яма "на" дороге \\ по\tулице\nПетровской\r — 🚧 \u2028 конец';
    const classification = { method: 'model', suggestions: [{ code: 'roads', probability: 0.91 }], note: 'кавычки " и \\', empty: null };
    const pos = { number: '12-345', nested: { list: [1, 'два', true, null] } };
    const rows = [
      message('kinds-1', {
        text,
        classification: classification,
        pos: pos as never,
        overdue: true,
        version: 7,
        dueAt: new Date('2027-01-01T00:00:00.001Z'),
        url: 'https://example.org/?a=1&b="2"',
      }),
      message('kinds-2', { text: null as never, territoryRaw: '', classification: null }),
    ];
    const inserted = await insertJsonRows<MessageEntity, { id: string }>(data.manager, MessageEntity, rows, 'RETURNING id');
    expect(inserted.map((r) => r.id)).toEqual(rows.map((r) => r.id));

    const first = await stored(rows[0].id);
    expect(first.text).toBe(text);
    expect(first.classification).toEqual(classification);
    expect(first.pos).toEqual(pos);
    expect(first.overdue).toBe(true);
    expect(first.version).toBe(7);
    expect(first.due_at.toISOString()).toBe('2027-01-01T00:00:00.001Z');
    expect(first.received_at.toISOString()).toBe(at.toISOString());
    expect(first.url).toBe('https://example.org/?a=1&b="2"');

    const second = await stored(rows[1].id);
    expect(second.text).toBeNull();
    expect(second.territory_raw).toBe('');
    // A JSON null in a jsonb column is SQL NULL, not the JSON value null.
    expect(second.no_classification).toBe(true);
    expect(second.overdue).toBe(false);
  });

  it('keeps the rows in the order given (ids from the sequence follow it) and a column no row sets at its default', async () => {
    const [m] = [message('order-1')];
    await insertJsonRows(data.manager, MessageEntity, [m]);
    const types = Array.from({ length: 1500 }, (_, i) => `step-${i}`);
    // No row sets from_status, reason or data: they keep their default (NULL); `extra` is not a column.
    await insertJsonRows(
      data.manager,
      MessageEventEntity,
      types.map((type) => ({ messageId: m.id, type, toStatus: 'new', actor: 'test', at, extra: 'ignored' })),
    );
    const events: { type: string; from_status: string | null; data: unknown }[] = await data.query(
      `SELECT type, from_status, data FROM message_event WHERE message_id = $1 ORDER BY id`,
      [m.id],
    );
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events.every((e) => e.from_status === null && e.data === null)).toBe(true);
  });

  it('rounds a numeric to its column scale and refuses a text too long for its column, storing nothing of the statement', async () => {
    const m = message('limits-1');
    await insertJsonRows(data.manager, MessageEntity, [m]);
    const fact = { messageId: m.id, kind: 'received', at, channel: 'pos', open: true, elapsed: 1.236 };
    await insertJsonRows(data.manager, ReportFactEntity, [fact]);
    const [row] = await data.query(`SELECT elapsed FROM report_fact WHERE message_id = $1`, [m.id]);
    expect(row.elapsed).toBe('1.24');

    const tooLong = message('limits-2', { channel: 'x'.repeat(17) as never });
    await expect(insertJsonRows(data.manager, MessageEntity, [message('limits-3'), tooLong])).rejects.toThrow(/too long for type character varying\(16\)/);
    const [{ count }] = await data.query(`SELECT count(*)::int AS count FROM message WHERE external_id IN ('limits-2', 'limits-3')`);
    expect(count).toBe(0);
  });

  it('writes several tables in one statement, each from its own array', async () => {
    const m = message('together-1');
    await insertJsonRowsTogether(data.manager, [
      jsonInsert(data.manager, MessageEntity, [m]),
      jsonInsert(data.manager, ReportFactEntity, [{ messageId: m.id, kind: 'received', at, channel: 'pos', open: true }]),
    ]);
    const [{ facts }] = await data.query(`SELECT count(*)::int AS facts FROM report_fact WHERE message_id = $1`, [m.id]);
    expect(facts).toBe(1);
    expect((await stored(m.id)).external_id).toBe('together-1');
  });

  it('updates rows by id, each with its own columns, the version counted up', async () => {
    const [a, b] = [message('update-1', { version: 1 }), message('update-2', { version: 3, classification: { method: 'keywords' } as never })];
    await insertJsonRows(data.manager, MessageEntity, [a, b]);
    const due = new Date('2027-02-03T04:05:06.789Z');
    await updateJsonRows(data.manager, MessageEntity, [
      { id: a.id, changes: { status: 'assigned', organizationId: 'org-1', dueAt: due, classification: { method: 'model', threshold: 0.5 } } },
      { id: b.id, changes: { status: 'needs_triage', classification: null, notAColumn: 1 } },
    ]);
    const [first, second] = [await stored(a.id), await stored(b.id)];
    expect([first.status, first.organization_id, first.due_at.toISOString(), first.classification, first.version]).toEqual([
      'assigned',
      'org-1',
      due.toISOString(),
      { method: 'model', threshold: 0.5 },
      2,
    ]);
    expect([second.status, second.no_classification, second.organization_id, second.version]).toEqual(['needs_triage', true, null, 4]);
  });

  it('refuses, naming it, a column it cannot read from JSON', () => {
    expect(() => jsonInsert(data.manager, UserEntity, [{ id: randomUUID(), login: 'x', roles: ['operator'] }])).toThrow(
      /user_account\.roles: an array column is not written/,
    );
  });
});
