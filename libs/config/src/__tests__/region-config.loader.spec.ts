import 'reflect-metadata';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment } from '../environment';
import { ConfigError, loadRegionConfig } from '../region-config.loader';

const CONFIG_DIR = join(__dirname, '../../../../config');

describe('loadRegionConfig: the real project config', () => {
  const data = loadRegionConfig(CONFIG_DIR, 'rostov');

  it('describes Rostov region in Moscow time with office hours 09:00–18:00', () => {
    expect(data.code).toBe('61');
    expect(data.name).toBe('Ростовская область');
    expect(data.timezone).toBe('Europe/Moscow');
    expect(data.timezoneOffsetMinutes).toBe(180);
    expect(data.officeSchedule.weekly).toEqual({ 1: { opensAt: 540, closesAt: 1080 }, 2: { opensAt: 540, closesAt: 1080 }, 3: { opensAt: 540, closesAt: 1080 }, 4: { opensAt: 540, closesAt: 1080 }, 5: { opensAt: 540, closesAt: 1080 } });
    expect(data.officeSchedule.shortenedByMinutes).toBe(60);
    expect(data.deadlineSemantics).toEqual({ dayTermEndsAt: 'office_close', workingDaysCountStartDay: false, calendarDaysRollForward: true });
    expect(data.calendarMissingYear).toBe('refuse');
    expect(data.duplicates).toEqual({ windowDays: 14, minSimilarity: 0.3 });
    expect(data.classifier).toEqual({
      minScore: 2,
      minMargin: 0.34,
      targetPrecision: 0.95,
      holdoutShare: 0.2,
      minHoldoutForActivation: 10,
      retrainCron: '0 3 * * *',
    });
    // Project-written phrasings for every ПОС category and every social-media topic.
    expect(data.categories.filter((c) => !data.classifierSeed[c.code]?.length).map((c) => c.code)).toEqual([]);
    expect(Object.keys(data.classifierSeed)).toHaveLength(23 + 359);
  });

  it('has the 55 territories: 12 city districts and 43 municipal districts', () => {
    expect(data.territories).toHaveLength(55);
    expect(data.territories.filter((t) => t.kind === 'city_district')).toHaveLength(12);
    expect(data.territories.filter((t) => t.kind === 'municipal_district')).toHaveLength(43);
    expect(new Set(data.territories.map((t) => t.id)).size).toBe(55);
  });

  it('gives every territory exactly one administration (municipality)', () => {
    for (const territory of data.territories) {
      const administrations = data.organizations.filter((o) => o.kind === 'municipality' && o.territoryId === territory.id);
      expect({ territory: territory.id, administrations: administrations.length }).toEqual({ territory: territory.id, administrations: 1 });
    }
  });

  it('has every regional executive body the routing rules rely on', () => {
    const bodies = data.organizations.filter((o) => o.kind === 'executive_body').map((o) => o.id);
    expect(bodies.sort()).toEqual(
      [
        'construction-supervision',
        'emergency',
        'housing-inspection',
        'min-agriculture',
        'min-construction',
        'min-culture',
        'min-digital',
        'min-economy',
        'min-education',
        'min-health',
        'min-housing',
        'min-industry',
        'min-labour',
        'min-nature',
        'min-property',
        'min-regional-policy',
        'min-sport',
        'min-transport',
        'veterinary',
        'youth-committee',
      ].sort(),
    );
    const ids = new Set(data.organizations.map((o) => o.id));
    for (const rule of data.routingRules) {
      expect({ rule: rule.id, known: rule.organization === '$territory' || ids.has(rule.organization) }).toEqual({ rule: rule.id, known: true });
    }
    expect(ids.has(data.coordinatorOrganizationId)).toBe(true);
  });

  it('has the ИМ rubricator: 359 topics in 26 groups, each with a group; «прочее» closes all groups but ЦУР', () => {
    const im = data.categories.filter((c) => c.rubricator === 'im');
    expect(im).toHaveLength(359);
    expect(im.every((c) => !!c.group)).toBe(true);
    const groups = new Set(im.map((c) => c.group));
    expect(groups.size).toBe(26);
    // DOMAIN.md §5 says every group ends with «... прочее»; the source list (data/im-topics.tsv) has
    // no such topic for the two-topic ЦУР group, and the config follows the source.
    const withoutOther = [...groups].filter((group) => !im.some((c) => c.group === group && /прочее$/i.test(c.name)));
    expect(withoutOther).toEqual(['ЦУР']);
  });

  it('has ПОС categories, and SLA policies with the defaults of DOMAIN.md §2', () => {
    const pos = data.categories.filter((c) => c.rubricator === 'pos');
    expect(pos.map((c) => c.code)).toEqual(expect.arrayContaining(['pos.medicine', 'pos.roads', 'pos.other']));
    const policy = (id: string) => data.slaPolicies.policies.find((p) => p.id === id)!;
    expect(data.slaPolicies.warnAt).toEqual([0.75, 0.9]);
    expect(policy('pos').clocks.final_answer).toEqual({ amount: 10, unit: 'working_days', startsAt: 'receipt' });
    expect(policy('appeal-59fz').clocks).toEqual({
      registration: { amount: 3, unit: 'calendar_days', startsAt: 'receipt' },
      redirect: { amount: 7, unit: 'calendar_days', startsAt: 'registration' },
      final_answer: { amount: 30, unit: 'calendar_days', startsAt: 'registration' },
    });
    expect(policy('appeal-59fz').extensions).toEqual({ max: 1, maxTerm: { amount: 30, unit: 'calendar_days' }, approvedBy: 'head', notifyApplicant: true });
    expect(policy('social').clocks.final_answer).toEqual({ amount: 9, unit: 'working_hours', startsAt: 'receipt' });
    expect(policy('social').afterInterimAnswer.final_answer).toEqual({ amount: 7, unit: 'working_days', startsAt: 'interim_answer' });
    // `extends`: the high-importance policy overrides the term and keeps the interim rule.
    expect(policy('social-high').clocks.final_answer).toEqual({ amount: 4, unit: 'working_hours', startsAt: 'receipt' });
    expect(policy('social-high').afterInterimAnswer).toEqual(policy('social').afterInterimAnswer);
    expect(policy('pos-utilities').clocks).toEqual({ moderation: policy('pos').clocks.moderation, final_answer: { amount: 5, unit: 'working_days', startsAt: 'receipt' } });
    expect(policy('pos-utilities').pausedIn).toEqual(['awaiting_applicant']);
  });

  it('loads the production calendar for 2023–2027 with its holidays', () => {
    expect(data.calendar.map((y) => y.year).sort()).toEqual([2023, 2024, 2025, 2026, 2027]);
    const days = data.calendar.flatMap((y) => y.days);
    expect(days).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2025-03-07', kind: 'shortened' })]));
    expect(days).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2024-04-27', kind: 'working_weekend' })]));
    // 2027 passed the same totals check: 247 working days, 4 shortened, 1972 hours.
    expect(days).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2027-02-22', kind: 'day_off' })]));
    expect(data.calendar.every((y) => y.days.every((d) => d.date.startsWith(`${y.year}-`)))).toBe(true);
  });
});

describe('loadRegionConfig: a broken config is refused with a ConfigError naming file and field', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cur-config-'));
    cpSync(CONFIG_DIR, dir, { recursive: true });
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (relative: string) => join(dir, relative);
  const edit = (relative: string, change: (json: any) => void) => {
    const json = JSON.parse(readFileSync(file(relative), 'utf8'));
    change(json);
    writeFileSync(file(relative), JSON.stringify(json, null, 2));
  };
  const configError = (): ConfigError => {
    try {
      loadRegionConfig(dir, 'rostov');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError, the config loaded');
  };

  it('the untouched copy loads (so every failure below comes from the one change)', () => {
    expect(loadRegionConfig(dir, 'rostov').territories).toHaveLength(55);
  });

  it('a routing rule with an unknown organization', () => {
    let index = -1;
    edit('regions/rostov/routing-rules.json', (json) => {
      index = json.rules.findIndex((r: { id: string }) => r.id === 'medicine');
      json.rules[index].organization = 'min-nowhere';
    });
    const error = configError();
    expect(error.message).toContain(`routing-rules.json: rules[${index}].organization: unknown organization "min-nowhere"`);
    expect(error.problems).toHaveLength(1);
  });

  it('an organization with an unknown parentId', () => {
    let index = -1;
    edit('regions/rostov/organizations.json', (json) => {
      index = json.organizations.findIndex((o: { id: string }) => o.id === 'inst-taganrog-polyclinic-1');
      json.organizations[index].parentId = 'min-nowhere';
    });
    const error = configError();
    expect(error.message).toContain(`organizations.json: organizations[${index}].parentId: unknown organization "min-nowhere"`);
  });

  it('a category with a bad code', () => {
    edit('regions/rostov/rubricator.json', (json) => {
      json.categories[3].code = 'Pos Yards!';
    });
    const error = configError();
    expect(error.message).toMatch(/rubricator\.json: categories\[3\]\.code: .*lower-case/);
  });

  it('a calendar file whose days do not add up to totals.workingDays', () => {
    edit('calendar/ru-2025.json', (json) => {
      // Drop the transferred day off of 2 May 2025: the listed days now give 248 working days.
      json.days = json.days.filter((d: { date: string }) => d.date !== '2025-05-02');
    });
    const error = configError();
    expect(error.message).toContain('ru-2025.json: totals.workingDays: the days listed give 248 working days, the decree says 247');
  });

  it('a calendar day outside the file’s year', () => {
    edit('calendar/ru-2024.json', (json) => {
      json.days.push({ date: '2025-01-09', kind: 'day_off' });
    });
    const error = configError();
    expect(error.message).toContain('ru-2024.json: days: 2025-01-09 is outside year 2024');
  });

  it('invalid JSON', () => {
    writeFileSync(file('regions/rostov/sla-policies.json'), '{ "warnAt": [0.75, ');
    const error = configError();
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/sla-policies\.json: .*JSON/);
  });

  it('a misspelled field is named, and the missing one too', () => {
    edit('regions/rostov/sla-policies.json', (json) => {
      json.policies[0].clocks.final_answer = { amout: 10, unit: 'working_days', startsAt: 'receipt' };
    });
    const error = configError();
    expect(error.message).toContain('sla-policies.json: policies[0].clocks.final_answer.amout: should not exist');
    expect(error.message).toMatch(/sla-policies\.json: policies\[0\]\.clocks\.final_answer\.amount: /);
  });

  it('SLA policies: an unknown category, a pausing status of a closed message, a cycle, overlapping matches, an uncovered channel', () => {
    edit('regions/rostov/sla-policies.json', (json) => {
      json.policies[1].match.categories.push('pos.nothing');
      json.policies[0].pausedIn = ['answered'];
      json.policies.push({ id: 'a', title: 'A', extends: 'b', match: { channel: 'pos', importance: 'high' } });
      json.policies.push({ id: 'b', title: 'B', extends: 'a', match: { channel: 'pos', importance: 'normal' } });
      json.policies.push({ id: 'pos-water-too', title: 'C', extends: 'pos', match: { channel: 'pos', categories: ['pos.water-supply'] } });
      json.policies = json.policies.filter((p: { id: string }) => p.id !== 'social');
      json.policies.find((p: { id: string }) => p.id === 'social-high').clocks.final_answer.startsAt = 'interim_answer';
    });
    const problems = configError().problems.join('\n');
    expect(problems).toContain('policies[1].match.categories: unknown category "pos.nothing"');
    expect(problems).toContain('policies[0].pausedIn: "answered" is not a status of an open message');
    expect(problems).toMatch(/extends forms a cycle: (a → b → a|b → a → b)/);
    expect(problems).toContain('matches the same messages as "pos-utilities" equally specifically');
    expect(problems).toContain('no policy covers channel "social" with importance "normal" regardless of category');
    expect(problems).toContain('clocks.final_answer.startsAt: "interim_answer" belongs in afterInterimAnswer');
  });

  it('a missing region folder', () => {
    let error: unknown;
    try {
      loadRegionConfig(dir, 'krasnodar');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('krasnodar');
    expect((error as Error).message).toContain(join('regions', 'krasnodar'));
  });

  it('no calendar files for the region’s calendar', () => {
    edit('regions/rostov/region.json', (json) => {
      json.calendar = 'kz';
    });
    expect(configError().message).toContain('no kz-<year>.json production calendar files');
  });

  it('duplicate suggestions: a window of no days and a similarity above 1', () => {
    edit('regions/rostov/region.json', (json) => {
      json.duplicates = { windowDays: 0, minSimilarity: 1.5 };
    });
    const error = configError();
    expect(error.message).toContain('duplicates.windowDays');
    expect(error.message).toContain('duplicates.minSimilarity');
  });

  it('lists every problem at once, not just the first', () => {
    edit('regions/rostov/routing-rules.json', (json) => {
      json.rules[0].territories = ['atlantis'];
      json.rules[1].organization = 'min-nowhere';
    });
    edit('regions/rostov/region.json', (json) => {
      json.coordinatorOrganizationId = 'cur-nowhere';
    });
    const error = configError();
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'routing-rules.json: rules[0].territories: unknown territory "atlantis"',
        'routing-rules.json: rules[1].organization: unknown organization "min-nowhere"',
        'region.json: coordinatorOrganizationId: unknown organization "cur-nowhere"',
      ]),
    );
    expect(error.problems).toHaveLength(3);
  });
});

describe('Environment.load', () => {
  it('gives the documented defaults for an empty environment', () => {
    const env = Environment.load({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      CUR_DATA_DIR: './data',
      CUR_CONFIG_DIR: './config',
      CUR_REGION: 'rostov',
      KAFKA_PARTITIONS: 6,
      KAFKA_GROUP_PREFIX: 'cur',
      CUR_INTAKE_API_KEYS: 'demo-intake-key=*',
      CUR_RUN_MIGRATIONS: true,
      CUR_DEMO_INTERVAL_MS: 15_000,
      CUR_MAX_DELIVERY_ATTEMPTS: 5,
      CUR_RETRY_BACKOFF_MS: 200,
      CUR_SLA_WATCH_INTERVAL_MS: 60_000,
      CUR_LOG_FORMAT: 'pretty',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.kafkaBrokers).toBeUndefined();
    expect(env.CUR_DEMO_STREAM).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(Environment.load({ PORT: '', CUR_REGION: '' })).toMatchObject({ PORT: 3000, CUR_REGION: 'rostov' });
  });

  it('reads numbers and booleans from strings', () => {
    const env = Environment.load({ PORT: '8080', CUR_RUN_MIGRATIONS: 'false', CUR_DEMO_STREAM: 'yes', CUR_MAX_DELIVERY_ATTEMPTS: '3' });
    expect(env.PORT).toBe(8080);
    expect(env.CUR_RUN_MIGRATIONS).toBe(false);
    expect(env.CUR_DEMO_STREAM).toBe(true);
    expect(env.CUR_MAX_DELIVERY_ATTEMPTS).toBe(3);
  });

  it('ignores variables it does not know (PATH, HOME ...)', () => {
    const env = Environment.load({ PATH: '/usr/bin', HOME: '/root', PORT: '4000' });
    expect(env.PORT).toBe(4000);
    expect((env as unknown as Record<string, unknown>).PATH).toBeUndefined();
  });

  it.each(['abc', '70000', '-1', '80.5'])('refuses PORT=%s with a ConfigError naming PORT', (port) => {
    let error: unknown;
    try {
      Environment.load({ PORT: port });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^environment: PORT: /);
  });

  it.each(['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'api.internal'])('accepts HOST=%s', (host) => {
    expect(Environment.load({ HOST: host }).HOST).toBe(host);
  });

  it.each(['0.0.0.0:3000', 'http://localhost', 'two words', '*'])('refuses HOST=%s with a ConfigError naming HOST', (host) => {
    expect(() => Environment.load({ HOST: host })).toThrow('environment: HOST: must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name');
  });

  it('names every wrong variable at once', () => {
    let error: unknown;
    try {
      Environment.load({ PORT: 'x', DATABASE_URL: 'mysql://db', CUR_LOG_FORMAT: 'xml' });
    } catch (e) {
      error = e;
    }
    const message = (error as Error).message;
    expect(error).toBeInstanceOf(ConfigError);
    expect(message).toContain('environment: PORT: must be an integer number');
    expect(message).toContain('environment: DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('environment: CUR_LOG_FORMAT: must be one of the following values: json, pretty');
  });

  it('parses CUR_INTAKE_API_KEYS into key → allowed sources', () => {
    const env = Environment.load({ CUR_INTAKE_API_KEYS: 'vk-key=vk|ok;pos-key=pos;admin=*' });
    expect(env.intakeKeys).toEqual(
      new Map([
        ['vk-key', new Set(['vk', 'ok'])],
        ['pos-key', new Set(['pos'])],
        ['admin', new Set(['*'])],
      ]),
    );
  });

  it('the default intake key allows any source', () => {
    expect(Environment.load({}).intakeKeys).toEqual(new Map([['demo-intake-key', new Set(['*'])]]));
  });

  it.each(['just-a-key', 'k=a;;k2=b', 'k=a b', 'k==a'])('refuses CUR_INTAKE_API_KEYS=%s', (keys) => {
    expect(() => Environment.load({ CUR_INTAKE_API_KEYS: keys })).toThrow('environment: CUR_INTAKE_API_KEYS: must look like key=source|source;key2=*');
  });

  it('splits KAFKA_BROKERS', () => {
    expect(Environment.load({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' }).kafkaBrokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(() => Environment.load({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' })).toThrow(ConfigError);
  });

  // A typo must stop the boot, not silently turn a switch off.
  it('refuses a boolean it cannot read (CUR_RUN_MIGRATIONS=ture)', () => {
    expect(() => Environment.load({ CUR_RUN_MIGRATIONS: 'ture' })).toThrow(/CUR_RUN_MIGRATIONS/);
  });
});
