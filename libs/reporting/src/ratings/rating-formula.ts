/**
 * The organizations' league table (issue 12, point 6): a pure computation from the monthly
 * summary's figures of a period (libs/domain report-facts) and region.json's `ratings` settings.
 * README.md next to this file says the same for people.
 *
 * Six components, each a score sᵢ in 0..1 (1 = best), from the figures of the period:
 *
 *   s_onTime           = answeredOnTime / answered
 *   s_overdue          = 1 − openOverdue / (openOverdue + openNotDue + openNoDueDate + answered)
 *   s_reconsiderations = 1 − min(1, reconsiderations / answered)
 *   s_ratingMean       = (ratingMean − 1) / 4                      (a 1..5 mean onto 0..1)
 *   s_highRatings      = min(1, ratingHighShare / H)               (H: the target share of 4–5, 0.6)
 *   s_timeToAnswer     = 1 when m ≤ T, (2T − m) / T when T < m < 2T, 0 when m ≥ 2T
 *                        (m: the median time to answer; T: the target — 8 working days for portal
 *                        messages and appeals, 9 working hours for public messages; over several
 *                        sections, each section's score weighted by its answers, since a median of
 *                        days and a median of hours do not add up)
 *
 *   index = 100 × Σ wᵢ·sᵢ / Σ wᵢ, over the components that have data,
 *
 * so a component without data (no ratings in the period, no answers) is left out and the other
 * weights are renormalised, rather than counted as 0 (punishing) or 1 (rewarding). Weights are
 * relative: only their proportions matter.
 *
 * Sample: the messages judged in the period, answered in it or overdue at its end. Below
 * `minSample` an organization is listed with its index but without a rank («мало данных»): small
 * samples game the ranking. Overdue messages count, so an organization that stops answering does
 * not drop out of the table. With no judged message at all there is no index («нет данных»), even
 * if some component has data (ratings of earlier answers, messages not yet due).
 *
 * Peer groups, ranked apart: executive bodies; their subordinate institutions (a group of their
 * own: they answer their own messages, and folding them into their ministry would make a ministry
 * with ten hospitals incomparable with one with none); municipalities by their territory's
 * population band (a municipality whose territory has no population: a group of its own). ЦУР is
 * not rated: it routes, it does not answer.
 *
 * Ranks are shared on ties of the index as shown (one decimal, half up), the next rank skipping
 * (1, 2, 2, 4). Change against the previous period (the month or quarter before): the index's
 * difference, and the rank's (previous − current: +2 = two places up).
 */
import type { ReportFigures } from '@cur/contracts';
import type { OrganizationKind, PopulationBand, RatingComponent, RatingSettings, ReportSectionKey } from '@cur/domain';
import { RATING_COMPONENTS } from '@cur/domain';

export type RatingSection = ReportSectionKey | 'all';
export const RATING_SECTIONS: readonly RatingSection[] = ['pos', 'appeals', 'social', 'all'];

/** The sections a ratings table counts. */
export function sectionsOf(section: RatingSection): ReportSectionKey[] {
  return section === 'all' ? ['pos', 'appeals', 'social'] : [section];
}

export const COMPONENT_TITLES: Record<RatingComponent, string> = {
  onTime: 'Ответы в срок',
  overdue: 'Без просрочки',
  reconsiderations: 'Без повторных рассмотрений',
  ratingMean: 'Средняя оценка',
  highRatings: 'Оценки 4–5 к цели',
  timeToAnswer: 'Время ответа к цели',
};

/** One section's figures of an organization for the period. */
export interface SectionFigures {
  section: ReportSectionKey;
  figures: ReportFigures;
}

export interface TimeToAnswer {
  section: ReportSectionKey;
  median: number;
  unit: 'working_days' | 'working_hours';
  /** The answers the median is of. */
  answered: number;
}

/** An organization's figures over the sections rated: counts add up, the rating mean is the mean of all ratings, medians stay per section. */
export interface RatedFigures {
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  openOverdue: number;
  openNotDue: number;
  openNoDueDate: number;
  reconsiderations: number;
  ratings: number;
  ratingMean: number | null;
  ratingHighShare: number | null;
  timeToAnswer: TimeToAnswer[];
}

export type ComponentScores = Record<RatingComponent, number | null>;

export function combineSections(list: readonly SectionFigures[]): RatedFigures {
  const sum = (pick: (f: ReportFigures) => number) => list.reduce((total, s) => total + pick(s.figures), 0);
  const ratings = sum((f) => f.ratings);
  // Mean × count is the sum of ratings, share × count the number of 4–5: both add up across sections.
  const ratingSum = sum((f) => (f.ratings ? (f.ratingMean ?? 0) * f.ratings : 0));
  const high = sum((f) => (f.ratings ? (f.ratingHighShare ?? 0) * f.ratings : 0));
  return {
    answered: sum((f) => f.answered),
    answeredOnTime: sum((f) => f.answeredOnTime),
    answeredLate: sum((f) => f.answeredLate),
    openOverdue: sum((f) => f.openOverdue),
    openNotDue: sum((f) => f.openNotDue),
    openNoDueDate: sum((f) => f.openNoDueDate),
    reconsiderations: sum((f) => f.reconsiderations),
    ratings,
    ratingMean: ratings ? ratingSum / ratings : null,
    ratingHighShare: ratings ? high / ratings : null,
    timeToAnswer: list
      .filter((s) => s.figures.answered > 0 && s.figures.timeToAnswerMedian !== null)
      .map((s) => ({ section: s.section, median: s.figures.timeToAnswerMedian!, unit: s.figures.timeToAnswerUnit, answered: s.figures.answered })),
  };
}

/** The messages judged in the period: answered in it, or overdue at its end. */
export function sampleOf(f: RatedFigures): number {
  return f.answered + f.openOverdue;
}

/** The target of a time to answer in its unit; undefined: that unit has none configured. */
export function timeTargetOf(unit: TimeToAnswer['unit'], targets: RatingSettings['targets']): number | undefined {
  return unit === 'working_days' ? targets.answerWithinWorkingDays : targets.answerWithinWorkingHours;
}

/** 1 up to the target, falling linearly to 0 at twice the target. */
export function timeScore(median: number, target: number): number {
  if (median <= target) return 1;
  return Math.max(0, (2 * target - median) / target);
}

export function componentScores(f: RatedFigures, settings: Pick<RatingSettings, 'targets'>): ComponentScores {
  const judgedOpen = f.openOverdue + f.openNotDue + f.openNoDueDate + f.answered;
  const timed = f.timeToAnswer.flatMap((t) => {
    const target = timeTargetOf(t.unit, settings.targets);
    return target === undefined ? [] : [{ score: timeScore(t.median, target), answered: t.answered }];
  });
  const timedAnswers = timed.reduce((n, t) => n + t.answered, 0);
  return {
    onTime: f.answered ? f.answeredOnTime / f.answered : null,
    overdue: judgedOpen ? 1 - f.openOverdue / judgedOpen : null,
    reconsiderations: f.answered ? 1 - Math.min(1, f.reconsiderations / f.answered) : null,
    ratingMean: f.ratings && f.ratingMean !== null ? (f.ratingMean - 1) / 4 : null,
    highRatings: f.ratings && f.ratingHighShare !== null ? Math.min(1, f.ratingHighShare / settings.targets.highRatingShareAtLeast) : null,
    timeToAnswer: timedAnswers ? timed.reduce((s, t) => s + t.score * t.answered, 0) / timedAnswers : null,
  };
}

/** 100 × the weighted mean of the components with data; null when none has data (or their weights are all 0). */
export function ratingIndex(scores: ComponentScores, weights: RatingSettings['weights']): number | null {
  let weighted = 0;
  let total = 0;
  for (const c of RATING_COMPONENTS) {
    const score = scores[c];
    if (score === null) continue;
    weighted += weights[c] * score;
    total += weights[c];
  }
  return total > 0 ? (100 * weighted) / total : null;
}

/** Half up to `digits` decimals, without float noise (99.37499999… is 99.375 and rounds to 99.4). */
export function roundHalfUp(value: number, digits: number): number {
  const scaled = Number((value * 10 ** digits).toPrecision(12));
  return Math.round(scaled) / 10 ** digits;
}

export interface PeerGroup {
  id: string;
  title: string;
}

export interface RatedOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
  /** Its territory's population (municipalities). */
  population?: number;
}

const EXECUTIVE_BODIES: PeerGroup = { id: 'executive-bodies', title: 'Органы исполнительной власти' };
const INSTITUTIONS: PeerGroup = { id: 'institutions', title: 'Подведомственные учреждения' };
const UNBANDED: PeerGroup = { id: 'municipalities-unbanded', title: 'Муниципалитеты без данных о численности населения' };

/** The band a population falls in, [min, max). */
export function populationBandOf(bands: readonly PopulationBand[], population: number | undefined): PopulationBand | undefined {
  if (population === undefined) return undefined;
  return bands.find((b) => population >= (b.min ?? 0) && population < (b.max ?? Infinity));
}

/** The peer groups in the order the table lists them. */
export function peerGroups(bands: readonly PopulationBand[]): PeerGroup[] {
  return [EXECUTIVE_BODIES, INSTITUTIONS, ...bands.map((b) => ({ id: `municipalities-${b.id}`, title: b.title })), UNBANDED];
}

/** The group an organization is ranked in; null: not rated (ЦУР). */
export function peerGroupOf(organization: RatedOrganization, bands: readonly PopulationBand[]): PeerGroup | null {
  switch (organization.kind) {
    case 'executive_body':
      return EXECUTIVE_BODIES;
    case 'institution':
      return INSTITUTIONS;
    case 'municipality': {
      const band = populationBandOf(bands, organization.population);
      return band ? { id: `municipalities-${band.id}`, title: band.title } : UNBANDED;
    }
    default:
      return null;
  }
}

export interface LeagueRow {
  /** 1 = best in its group; null: not ranked (see `note`). */
  rank: number | null;
  organizationId: string;
  organizationName: string;
  /** 0..100, one decimal; null without any component. */
  index: number | null;
  /** Each component's score 0..1 (three decimals); null: no data, left out of the index. */
  components: ComponentScores;
  figures: RatedFigures;
  /** Answered in the period plus overdue at its end: what `minSample` is compared with. */
  sample: number;
  previous: { rank: number | null; index: number } | null;
  /** index: current − previous; rank: previous − current (+ = places up); null when either is missing. */
  change: { index: number; rank: number | null } | null;
  note: string | null;
}

export interface LeagueGroup extends PeerGroup {
  rows: LeagueRow[];
}

interface Rated {
  group: PeerGroup;
  organization: RatedOrganization;
  figures: RatedFigures;
  scores: ComponentScores;
  index: number | null;
  sample: number;
  rank: number | null;
}

const EMPTY: RatedFigures = {
  answered: 0,
  answeredOnTime: 0,
  answeredLate: 0,
  openOverdue: 0,
  openNotDue: 0,
  openNoDueDate: 0,
  reconsiderations: 0,
  ratings: 0,
  ratingMean: null,
  ratingHighShare: null,
  timeToAnswer: [],
};

/** Every rated organization of a period with its group, index and rank (ties share, the next skips). */
function ratePeriod(
  organizations: readonly RatedOrganization[],
  figures: ReadonlyMap<string, readonly SectionFigures[]>,
  settings: RatingSettings,
): Map<string, Rated> {
  const rated = new Map<string, Rated>();
  for (const organization of organizations) {
    const group = peerGroupOf(organization, settings.populationBands);
    if (!group) continue;
    const own = figures.get(organization.id);
    const combined = own?.length ? combineSections(own) : EMPTY;
    const scores = componentScores(combined, settings);
    const sample = sampleOf(combined);
    // Nothing judged (only messages not yet due, or ratings of earlier answers): no index to show.
    const raw = sample > 0 ? ratingIndex(scores, settings.weights) : null;
    const index = raw === null ? null : roundHalfUp(raw, 1);
    rated.set(organization.id, { group, organization, figures: combined, scores, index, sample, rank: null });
  }
  const byGroup = new Map<string, Rated[]>();
  for (const r of rated.values()) if (r.index !== null && r.sample >= settings.minSample) byGroup.set(r.group.id, [...(byGroup.get(r.group.id) ?? []), r]);
  for (const members of byGroup.values()) for (const r of members) r.rank = 1 + members.filter((o) => o.index! > r.index!).length;
  return rated;
}

/** Figures as the summary shows them: means with two decimals, shares with three. */
function shown(f: RatedFigures): RatedFigures {
  return {
    ...f,
    ratingMean: f.ratingMean === null ? null : roundHalfUp(f.ratingMean, 2),
    ratingHighShare: f.ratingHighShare === null ? null : roundHalfUp(f.ratingHighShare, 3),
    timeToAnswer: f.timeToAnswer.map((t) => ({ ...t, median: roundHalfUp(t.median, 2) })),
  };
}

function noteOf(r: Rated, minSample: number): string | null {
  if (r.index === null) return 'нет данных за период';
  if (r.rank === null) return `мало данных: ${r.sample} из ${minSample} необходимых`;
  const missing = RATING_COMPONENTS.filter((c) => r.scores[c] === null);
  return missing.length ? `нет данных для компонентов: ${missing.map((c) => COMPONENT_TITLES[c].toLowerCase()).join(', ')} — веса перераспределены` : null;
}

/**
 * The league table of a period: every rated organization listed in its peer group (those without
 * a rank after the ranked, by name), with the change against the previous period.
 */
export function leagueTable(input: {
  organizations: readonly RatedOrganization[];
  current: ReadonlyMap<string, readonly SectionFigures[]>;
  previous: ReadonlyMap<string, readonly SectionFigures[]>;
  settings: RatingSettings;
}): LeagueGroup[] {
  const { settings } = input;
  const now = ratePeriod(input.organizations, input.current, settings);
  const before = ratePeriod(input.organizations, input.previous, settings);
  const groups = peerGroups(settings.populationBands).map((g): LeagueGroup => ({ ...g, rows: [] }));
  for (const r of now.values()) {
    const then = before.get(r.organization.id);
    const previous = then && then.index !== null ? { rank: then.rank, index: then.index } : null;
    const change =
      previous && r.index !== null
        ? { index: roundHalfUp(r.index - previous.index, 1), rank: previous.rank !== null && r.rank !== null ? previous.rank - r.rank : null }
        : null;
    groups
      .find((g) => g.id === r.group.id)!
      .rows.push({
        rank: r.rank,
        organizationId: r.organization.id,
        organizationName: r.organization.name,
        index: r.index,
        components: Object.fromEntries(
          RATING_COMPONENTS.map((c) => {
            const score = r.scores[c];
            return [c, score === null ? null : roundHalfUp(score, 3)];
          }),
        ) as ComponentScores,
        figures: shown(r.figures),
        sample: r.sample,
        previous,
        change,
        note: noteOf(r, settings.minSample),
      });
  }
  for (const g of groups) g.rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.organizationName.localeCompare(b.organizationName, 'ru'));
  return groups.filter((g) => g.rows.length > 0);
}

/** The formula in words, with the settings' numbers, for the API's answer and the files. */
export function formulaText(settings: RatingSettings): string {
  const { targets, minSample } = settings;
  const share = String(targets.highRatingShareAtLeast).replace('.', ',');
  const hours =
    targets.answerWithinWorkingHours === undefined
      ? 'публичные сообщения — без цели, не учитываются'
      : `публичные сообщения — ${String(targets.answerWithinWorkingHours).replace('.', ',')} раб. ч`;
  return [
    'Индекс = 100 × Σ wᵢ·sᵢ / Σ wᵢ по компонентам, для которых есть данные (без данных — компонент не учитывается, веса перераспределяются).',
    'Ответы в срок: в срок / отвечено.',
    'Без просрочки: 1 − просрочено / (просрочено + срок не истёк + без срока + отвечено), на конец периода.',
    'Без повторных рассмотрений: 1 − повторные рассмотрения / отвечено.',
    'Средняя оценка: (средняя − 1) / 4.',
    `Оценки 4–5 к цели: min(1, доля оценок 4–5 / ${share}).`,
    `Время ответа к цели: 1, если медиана не больше цели (сообщения ПОС и обращения — ${targets.answerWithinWorkingDays} раб. дн., ${hours}), линейно до 0 при удвоенной цели; по нескольким разделам — среднее, взвешенное по числу ответов.`,
    `Место присваивается при не менее ${minSample} оцениваемых сообщений (отвечено + просрочено на конец периода), иначе «мало данных».`,
    'Группы сравнения: органы исполнительной власти, подведомственные учреждения, муниципалитеты по численности населения. Равные индексы (до 0,1) делят место.',
    'Изменение: индекс — разница с прошлым периодом, место — на сколько мест выше (+) или ниже (−).',
  ].join(' ');
}
