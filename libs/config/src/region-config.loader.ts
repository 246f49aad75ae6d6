import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DEFAULT_SEMANTICS, FixedOffsetZone, officeSchedule, OfficeSchedule } from '@cur/calendar';
import {
  CHANNELS,
  ClockRules,
  DisciplineLimits,
  IMPORTANCES,
  OPEN_STATUSES,
  PolicyMatch,
  RegionData,
  SlaPolicies,
  SlaPolicy,
  specificity,
  TERRITORY_ADMINISTRATION,
} from '@cur/domain';
import {
  CalendarFile,
  ClassifierSeedFile,
  ClockRulesFile,
  DisciplineFile,
  OfficeHoursFile,
  OrganizationsFile,
  RegionFile,
  RoutingRulesFile,
  RubricatorFile,
  SlaPoliciesFile,
  TerritoriesFile,
} from './region-config.schema';
import { ratingSettingsOf } from './rating-settings';

/** Everything wrong with the config, each problem naming its file and field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Reads and validates config/regions/<region>/*.json and config/calendar/<calendar>-<year>.json.
 * All problems are collected, not just the first, so one boot shows everything to fix.
 */
export function loadRegionConfig(configDir: string, region: string): RegionData {
  const problems: string[] = [];
  const regionDir = join(configDir, 'regions', region);
  const read = <T extends object>(cls: new () => T, file: string): T | undefined => {
    const path = join(regionDir, file);
    return readValidated(cls, path, relative(process.cwd(), path) || path, problems);
  };
  if (!existsSync(regionDir)) throw new ConfigError([`${regionDir}: region "${region}" has no config folder`]);

  const regionFile = read(RegionFile, 'region.json');
  const territories = read(TerritoriesFile, 'territories.json');
  const organizations = read(OrganizationsFile, 'organizations.json');
  const rubricator = read(RubricatorFile, 'rubricator.json');
  const routing = read(RoutingRulesFile, 'routing-rules.json');
  const policiesFile = read(SlaPoliciesFile, 'sla-policies.json');
  const discipline = read(DisciplineFile, 'discipline.json');
  if (!regionFile || !territories || !organizations || !rubricator || !routing || !policiesFile || !discipline) throw new ConfigError(problems);

  const seedPath = join(regionDir, 'classifier-seed.json');
  const seed = existsSync(seedPath) ? read(ClassifierSeedFile, 'classifier-seed.json') : { examples: {} };
  if (seed) checkSeed(seed, rubricator, problems);
  const calendars = loadCalendars(join(configDir, 'calendar'), regionFile.calendar, problems);
  crossCheck(regionFile, territories, organizations, rubricator, routing, problems);
  const slaPolicies = resolveSlaPolicies(policiesFile, new Set(rubricator.categories.map((c) => c.code)), problems);
  const years = calendars.map((c) => c.year);
  const offsetMinutes = zoneOffset(regionFile, years, problems);
  const schedule = scheduleOf(regionFile.officeHours, 'region.json: officeHours', problems);
  const orgSchedules = organizations.organizations.map((o, i) => (o.officeHours ? scheduleOf(o.officeHours, `organizations.json: organizations[${i}].officeHours`, problems) : undefined));
  const ratings = ratingSettingsOf(regionFile.ratings, problems);
  if (problems.length) throw new ConfigError(problems);

  const rules = regionFile.deadlineRules ?? {};
  return {
    code: regionFile.code,
    name: regionFile.name,
    timezone: regionFile.timezone,
    timezoneOffsetMinutes: offsetMinutes,
    officeSchedule: schedule!,
    deadlineSemantics: {
      dayTermEndsAt: rules.dayTermEndsAt ?? DEFAULT_SEMANTICS.dayTermEndsAt,
      workingDaysCountStartDay: rules.workingDaysCountStartDay ?? DEFAULT_SEMANTICS.workingDaysCountStartDay,
      calendarDaysRollForward: rules.calendarDaysRollForward ?? DEFAULT_SEMANTICS.calendarDaysRollForward,
    },
    calendarMissingYear: rules.missingCalendarYear ?? 'refuse',
    workflow: { answerApproval: regionFile.workflow?.answerApproval ?? true, lowRatingAtMost: regionFile.workflow?.lowRatingAtMost ?? 2 },
    duplicates: { windowDays: regionFile.duplicates?.windowDays ?? 14, minSimilarity: regionFile.duplicates?.minSimilarity ?? 0.3 },
    engagements: {
      themes: regionFile.engagements.themes,
      // Defaults: the result within 10 working days of closing, the decision within 20 of the result.
      timing: {
        discussion: regionFile.engagements.discussion ?? { resultWorkingDays: 10, decisionWorkingDays: 20 },
        vote: regionFile.engagements.vote ?? { resultWorkingDays: 10, decisionWorkingDays: 20 },
        survey: regionFile.engagements.survey ?? { resultWorkingDays: 10, decisionWorkingDays: 20 },
      },
      hideCommentAfterReports: regionFile.engagements.hideCommentAfterReports ?? 3,
    },
    coordinatorOrganizationId: regionFile.coordinatorOrganizationId,
    territories: territories.territories.map((t) => ({ ...t, aliases: t.aliases ?? [] })),
    organizations: organizations.organizations.map((file, i) => {
      const o = { ...file };
      delete o.officeHours; // given as officeSchedule
      return { ...o, aliases: o.aliases ?? [], ...(orgSchedules[i] ? { officeSchedule: orgSchedules[i] } : {}) };
    }),
    categories: rubricator.categories.map((c) => ({ ...c, keywords: c.keywords ?? [] })),
    routingRules: routing.rules,
    slaPolicies,
    discipline: {
      warnDaysBefore: discipline.warnDaysBefore,
      limits: { labour: limitsOf(discipline.limits.labour), civil_service: limitsOf(discipline.limits.civil_service) },
      measures: { labour: discipline.measures.labour.map((m) => ({ ...m })), civil_service: discipline.measures.civil_service.map((m) => ({ ...m })) },
    },
    calendar: calendars.map((c) => ({ year: c.year, days: c.days })),
    calendarFilePrefix: regionFile.calendar,
    classifier: {
      minScore: regionFile.classifier.minScore,
      minMargin: regionFile.classifier.minMargin,
      targetPrecision: regionFile.classifier.targetPrecision ?? 0.95,
      holdoutShare: regionFile.classifier.holdoutShare ?? 0.2,
      minHoldoutForActivation: regionFile.classifier.minHoldoutForActivation ?? 10,
      retrainCron: regionFile.classifier.retrainCron ?? '0 3 * * *',
    },
    classifierSeed: seed?.examples ?? {},
    ratings,
  };
}

function checkSeed(seed: ClassifierSeedFile, rubricator: RubricatorFile, problems: string[]): void {
  const codes = new Set(rubricator.categories.map((c) => c.code));
  for (const [code, texts] of Object.entries(seed.examples)) {
    if (!codes.has(code)) problems.push(`classifier-seed.json: examples.${code}: no such category in rubricator.json`);
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string' || !t.trim())) {
      problems.push(`classifier-seed.json: examples.${code}: must be a list of non-empty texts`);
    }
  }
}

function readValidated<T extends object>(cls: new () => T, path: string, label: string, problems: string[]): T | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const value = plainToInstance(cls, raw);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    problems.push(...flatten(errors).map((e) => `${label}: ${e}`));
    return undefined;
  }
  return value;
}

export function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m.replace(/^(property )?\S+ /, '')}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

function loadCalendars(dir: string, prefix: string, problems: string[]): CalendarFile[] {
  if (!existsSync(dir)) {
    problems.push(`${dir}: no production calendar folder`);
    return [];
  }
  const files = readdirSync(dir).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.json')).sort();
  if (files.length === 0) problems.push(`${dir}: no ${prefix}-<year>.json production calendar files`);
  const calendars: CalendarFile[] = [];
  for (const file of files) {
    const calendar = readValidated(CalendarFile, join(dir, file), relative(process.cwd(), join(dir, file)), problems);
    if (!calendar) continue;
    const stray = calendar.days.find((d) => !d.date.startsWith(`${calendar.year}-`));
    if (stray) problems.push(`${file}: days: ${stray.date} is outside year ${calendar.year}`);
    const counted = countWorkingDays(calendar);
    if (counted !== calendar.totals.workingDays) {
      problems.push(`${file}: totals.workingDays: the days listed give ${counted} working days, the decree says ${calendar.totals.workingDays}`);
    }
    const shortened = calendar.days.filter((d) => d.kind === 'shortened').length;
    if (shortened !== calendar.totals.shortenedDays) {
      problems.push(`${file}: totals.shortenedDays: the days listed give ${shortened} shortened days, the decree says ${calendar.totals.shortenedDays}`);
    }
    // A 40-hour week: 8 hours a working day, one less on each shortened day.
    if (counted * 8 - shortened !== calendar.totals.hours40hWeek) {
      problems.push(`${file}: totals.hours40hWeek: the days listed give ${counted * 8 - shortened} hours, the decree says ${calendar.totals.hours40hWeek}`);
    }
    calendars.push(calendar);
  }
  return calendars;
}

function countWorkingDays(calendar: CalendarFile): number {
  const special = new Map(calendar.days.map((d) => [d.date, d.kind]));
  let working = 0;
  for (let t = Date.UTC(calendar.year, 0, 1); new Date(t).getUTCFullYear() === calendar.year; t += 86_400_000) {
    const kind = special.get(new Date(t).toISOString().slice(0, 10));
    const weekday = new Date(t).getUTCDay();
    if (kind ? kind === 'shortened' || kind === 'working_weekend' : weekday !== 0 && weekday !== 6) working++;
  }
  return working;
}

function crossCheck(
  region: RegionFile,
  territories: TerritoriesFile,
  organizations: OrganizationsFile,
  rubricator: RubricatorFile,
  routing: RoutingRulesFile,
  problems: string[],
): void {
  const territoryIds = unique(territories.territories.map((t) => t.id), 'territories.json: territories', problems);
  const orgIds = unique(organizations.organizations.map((o) => o.id), 'organizations.json: organizations', problems);
  const codes = unique(rubricator.categories.map((c) => c.code), 'rubricator.json: categories', problems);
  const groups = new Set(rubricator.categories.map((c) => c.group).filter((g): g is string => !!g));
  if (!orgIds.has(region.coordinatorOrganizationId)) {
    problems.push(`region.json: coordinatorOrganizationId: unknown organization "${region.coordinatorOrganizationId}"`);
  }
  organizations.organizations.forEach((o, i) => {
    if (o.parentId && !orgIds.has(o.parentId)) problems.push(`organizations.json: organizations[${i}].parentId: unknown organization "${o.parentId}"`);
    if (o.territoryId && !territoryIds.has(o.territoryId)) problems.push(`organizations.json: organizations[${i}].territoryId: unknown territory "${o.territoryId}"`);
  });
  routing.rules.forEach((r, i) => {
    const at = `routing-rules.json: rules[${i}]`;
    if (r.categories.length === 0 && r.groups.length === 0) problems.push(`${at}: names neither categories nor groups`);
    r.categories.filter((c) => !codes.has(c)).forEach((c) => problems.push(`${at}.categories: unknown category "${c}"`));
    r.groups.filter((g) => !groups.has(g)).forEach((g) => problems.push(`${at}.groups: unknown group "${g}"`));
    r.territories.filter((t) => !territoryIds.has(t)).forEach((t) => problems.push(`${at}.territories: unknown territory "${t}"`));
    if (r.organization !== TERRITORY_ADMINISTRATION && !orgIds.has(r.organization)) {
      problems.push(`${at}.organization: unknown organization "${r.organization}"`);
    }
  });
  unique(routing.rules.map((r) => r.id), 'routing-rules.json: rules', problems);
}

function unique(ids: string[], where: string, problems: string[]): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) problems.push(`${where}[${i}].id: duplicate "${id}"`);
    seen.add(id);
  });
  return seen;
}

/** The zone's offset from the time zone database, constant over the calendar years and equal to region.json's utcOffset. */
function zoneOffset(region: RegionFile, years: number[], problems: string[]): number {
  let zone: FixedOffsetZone;
  try {
    zone = FixedOffsetZone.resolve(region.timezone, years);
  } catch (error) {
    problems.push(`region.json: timezone: ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  }
  if (zone.offsetText !== region.utcOffset) {
    problems.push(`region.json: utcOffset: ${region.utcOffset} differs from ${region.timezone}, which is UTC${zone.offsetText} in ${years.join(', ')}`);
  }
  return zone.offsetMinutes;
}

function scheduleOf(hours: OfficeHoursFile, where: string, problems: string[]): OfficeSchedule | undefined {
  try {
    for (const [weekday, day] of Object.entries(hours.byWeekday ?? {})) {
      if (typeof day !== 'object' || !day || !/^\d\d:\d\d$/.test(String(day.opensAt)) || !/^\d\d:\d\d$/.test(String(day.closesAt))) {
        throw new RangeError(`byWeekday.${weekday} must be { "opensAt": "HH:MM", "closesAt": "HH:MM" }`);
      }
    }
    return officeSchedule(hours);
  } catch (error) {
    problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const WHERE = 'sla-policies.json: policies';

/**
 * Policies with `extends` resolved (clock rules merged kind by kind, other settings taken whole),
 * checked: known categories and statuses, no two policies with overlapping matches of the same
 * shape, and a channel-wide policy for every channel and importance so that every message has one.
 */
function resolveSlaPolicies(file: SlaPoliciesFile, categoryCodes: Set<string>, problems: string[]): SlaPolicies {
  const byId = new Map(file.policies.map((p) => [p.id, p]));
  unique(file.policies.map((p) => p.id), WHERE, problems);
  const resolved = new Map<string, SlaPolicy>();
  const resolve = (id: string, chain: string[]): SlaPolicy | undefined => {
    const done = resolved.get(id);
    if (done) return done;
    const own = byId.get(id);
    if (!own) return undefined;
    if (chain.includes(id)) {
      problems.push(`${WHERE}: extends forms a cycle: ${[...chain, id].join(' → ')}`);
      return undefined;
    }
    let base: SlaPolicy | undefined;
    if (own.extends) {
      base = resolve(own.extends, [...chain, id]);
      if (!base && !byId.has(own.extends)) problems.push(`${WHERE}[${file.policies.indexOf(own)}].extends: unknown policy "${own.extends}"`);
    }
    const policy: SlaPolicy = {
      id: own.id,
      title: own.title,
      match: { ...own.match },
      clocks: { ...base?.clocks, ...rules(own.clocks) },
      afterInterimAnswer: { ...base?.afterInterimAnswer, ...rules(own.afterInterimAnswer) },
      reconsideration: { ...base?.reconsideration, ...rules(own.reconsideration) },
      pausedIn: own.pausedIn ?? base?.pausedIn ?? [],
      extensions: own.extensions ?? base?.extensions ?? null,
      redirects: own.redirects ?? base?.redirects ?? { max: 3, clocks: 'continue' },
    };
    resolved.set(id, policy);
    return policy;
  };
  const policies = file.policies.map((p) => resolve(p.id, [])).filter((p): p is SlaPolicy => !!p);
  policies.forEach((policy, i) => {
    const at = `${WHERE}[${i}]`;
    (policy.match.categories ?? []).filter((c) => !categoryCodes.has(c)).forEach((c) => problems.push(`${at}.match.categories: unknown category "${c}"`));
    if (!policy.clocks.final_answer) problems.push(`${at}.clocks.final_answer: every policy needs the final answer clock`);
    policy.pausedIn.filter((s) => !OPEN_STATUSES.includes(s)).forEach((s) => problems.push(`${at}.pausedIn: "${s}" is not a status of an open message`));
    for (const [kind, rule] of Object.entries(policy.clocks)) {
      if (rule && (rule.startsAt === 'interim_answer' || rule.startsAt === 'reconsideration')) {
        problems.push(`${at}.clocks.${kind}.startsAt: "${rule.startsAt}" belongs in ${rule.startsAt === 'interim_answer' ? 'afterInterimAnswer' : 'reconsideration'}`);
      }
    }
  });
  for (let i = 0; i < policies.length; i++) {
    for (let j = i + 1; j < policies.length; j++) {
      if (overlap(policies[i].match, policies[j].match)) {
        problems.push(`${WHERE}[${j}].match: matches the same messages as "${policies[i].id}" equally specifically; make one of them narrower`);
      }
    }
  }
  for (const channel of CHANNELS) {
    for (const importance of IMPORTANCES) {
      const general = policies.some((p) => !p.match.categories && !p.match.subcategory && (!p.match.channel || p.match.channel === channel) && (!p.match.importance || p.match.importance === importance));
      if (!general) problems.push(`${WHERE}: no policy covers channel "${channel}" with importance "${importance}" regardless of category`);
    }
  }
  return { warnAt: [...file.warnAt].sort((a, b) => a - b), policies };
}

function rules(file: ClockRulesFile | undefined): ClockRules {
  if (!file) return {};
  // Validation forbids other keys: the entries are clock kinds with their rules.
  const entries = Object.entries(file) as [keyof ClockRulesFile, ClockRulesFile[keyof ClockRulesFile]][];
  return Object.fromEntries(entries.flatMap(([kind, r]) => (r ? [[kind, { amount: r.amount, unit: r.unit, startsAt: r.startsAt }]] : [])));
}

/** Two matches of the same specificity that some message satisfies both. */
function overlap(a: PolicyMatch, b: PolicyMatch): boolean {
  if (specificity(a) !== specificity(b)) return false;
  const same = <T>(x: T | undefined, y: T | undefined) => x === undefined || y === undefined || x === y;
  const categories = !a.categories || !b.categories || a.categories.some((c) => b.categories!.includes(c));
  return same(a.channel, b.channel) && same(a.importance, b.importance) && same(a.subcategory?.toLowerCase(), b.subcategory?.toLowerCase()) && categories;
}

function limitsOf(file: DisciplineFile['limits']['labour']): DisciplineLimits {
  return {
    explanationWorkingDays: file.explanationWorkingDays,
    orderMonthsFromDiscovery: file.orderMonthsFromDiscovery,
    orderMonthsFromOffence: file.orderMonthsFromOffence,
    orderMonthsFromOffenceAudit: file.orderMonthsFromOffenceAudit,
    acknowledgement: { amount: file.acknowledgement.amount, unit: file.acknowledgement.unit },
  };
}
