import type { ReportFigures } from '@cur/contracts';
import type { RatingSettings, ReportSectionKey } from '@cur/domain';
import {
  combineSections,
  componentScores,
  leagueTable,
  peerGroupOf,
  ratingIndex,
  RatedOrganization,
  roundHalfUp,
  SectionFigures,
  timeScore,
} from '../rating-formula';

/** The settings of config/regions/rostov/region.json, written out so each case below can be checked by hand. */
const SETTINGS: RatingSettings = {
  weights: { onTime: 0.3, overdue: 0.15, reconsiderations: 0.1, ratingMean: 0.1, highRatings: 0.15, timeToAnswer: 0.2 },
  targets: { answerWithinWorkingDays: 8, answerWithinWorkingHours: 9, highRatingShareAtLeast: 0.6 },
  minSample: 10,
  populationBands: [
    { id: 'large', title: 'от 100 тыс.', min: 100_000 },
    { id: 'medium', title: 'от 40 до 100 тыс.', min: 40_000, max: 100_000 },
    { id: 'small', title: 'до 40 тыс.', max: 40_000 },
  ],
};

function figures(partial: Partial<ReportFigures>, unit: ReportFigures['timeToAnswerUnit'] = 'working_days'): ReportFigures {
  return {
    received: 0,
    answered: 0,
    answeredOnTime: 0,
    answeredLate: 0,
    openOverdue: 0,
    openNotDue: 0,
    openNoDueDate: 0,
    timeToAnswerMedian: null,
    timeToAnswerMean: null,
    timeToAnswerUnit: unit,
    extensions: 0,
    redirects: 0,
    rejectedByModeration: 0,
    reconsiderations: 0,
    ratings: 0,
    ratingMean: null,
    ratingHighShare: null,
    ...partial,
  };
}
const pos = (partial: Partial<ReportFigures>): SectionFigures[] => [{ section: 'pos', figures: figures(partial) }];
const scoresOf = (list: SectionFigures[]) => componentScores(combineSections(list), SETTINGS);
const indexOf = (list: SectionFigures[]) => ratingIndex(scoresOf(list), SETTINGS.weights);

/** Ten answered, 8 on time in 4 working days, 2 late in 11; one reconsidered and open again; ratings 5, 5, 4, 4, 3. */
const TEN_WITH_EVERYTHING = pos({
  answered: 10,
  answeredOnTime: 8,
  answeredLate: 2,
  openNotDue: 1,
  reconsiderations: 1,
  ratings: 5,
  ratingMean: 4.2,
  ratingHighShare: 0.8,
  timeToAnswerMedian: 4,
});

describe('the components and the weighted index', () => {
  it('scores each component 0..1 and weighs them: 100 × (0.3·0.8 + 0.15·1 + 0.1·0.9 + 0.1·0.8 + 0.15·1 + 0.2·1) = 91', () => {
    expect(scoresOf(TEN_WITH_EVERYTHING)).toEqual({
      onTime: 0.8,
      overdue: 1,
      reconsiderations: 0.9,
      ratingMean: expect.closeTo(0.8, 10),
      highRatings: 1,
      timeToAnswer: 1,
    });
    expect(indexOf(TEN_WITH_EVERYTHING)).toBeCloseTo(91, 10);
  });

  it('the overdue share counts open overdue against everything judged at the end: 2 of (2 + 1 + 1 + 6) → 0.8', () => {
    const scores = scoresOf(pos({ answered: 6, answeredOnTime: 6, openOverdue: 2, openNotDue: 1, openNoDueDate: 1 }));
    expect(scores.overdue).toBeCloseTo(0.8, 10);
  });

  it('a high-rating share is judged against the 60% target, capped at 1; the mean maps 1..5 onto 0..1', () => {
    expect(scoresOf(pos({ answered: 1, ratings: 3, ratingMean: 3, ratingHighShare: 0.3 })).highRatings).toBeCloseTo(0.5, 10);
    expect(scoresOf(pos({ answered: 1, ratings: 3, ratingMean: 5, ratingHighShare: 0.9 }))).toMatchObject({ highRatings: 1, ratingMean: 1 });
    expect(scoresOf(pos({ answered: 1, ratings: 3, ratingMean: 1, ratingHighShare: 0 }))).toMatchObject({ highRatings: 0, ratingMean: 0 });
  });

  it('time to answer: 1 up to the 8-day target, linearly down to 0 at 16 days', () => {
    expect([4, 8, 9, 11.5, 12, 16, 30].map((m) => timeScore(m, 8))).toEqual([1, 1, 0.875, 0.5625, 0.5, 0, 0]);
  });

  it('re-considerations above the answers do not go below 0', () => {
    expect(scoresOf(pos({ answered: 2, answeredOnTime: 2, reconsiderations: 3 })).reconsiderations).toBe(0);
  });

  it('leaves out components without data and renormalises: no ratings → (0.3·1 + 0.15·5/6 + 0.1·1 + 0.2·0.875) / 0.75 = 93.33', () => {
    const list = pos({ answered: 10, answeredOnTime: 10, openOverdue: 2, timeToAnswerMedian: 9 });
    expect(scoresOf(list)).toMatchObject({ ratingMean: null, highRatings: null, timeToAnswer: 0.875 });
    expect(indexOf(list)).toBeCloseTo(93.3333333, 6);
  });

  it('with nothing at all there is no index; weights are relative (doubling them all changes nothing)', () => {
    expect(indexOf(pos({}))).toBeNull();
    const doubled = Object.fromEntries(Object.entries(SETTINGS.weights).map(([k, w]) => [k, w * 2])) as RatingSettings['weights'];
    expect(ratingIndex(scoresOf(TEN_WITH_EVERYTHING), doubled)).toBeCloseTo(91, 10);
  });

  it('a weight of 0 removes its component: on time alone, 8 of 10 → 80', () => {
    const onlyOnTime = { onTime: 1, overdue: 0, reconsiderations: 0, ratingMean: 0, highRatings: 0, timeToAnswer: 0 };
    expect(ratingIndex(scoresOf(TEN_WITH_EVERYTHING), onlyOnTime)).toBeCloseTo(80, 10);
  });
});

describe('several sections together', () => {
  const all: SectionFigures[] = [
    { section: 'pos', figures: figures({ answered: 6, answeredOnTime: 6, ratings: 2, ratingMean: 5, ratingHighShare: 1, timeToAnswerMedian: 12 }) },
    {
      section: 'social',
      figures: figures(
        { answered: 2, answeredOnTime: 1, answeredLate: 1, ratings: 2, ratingMean: 2, ratingHighShare: 0, timeToAnswerMedian: 4.5 },
        'working_hours',
      ),
    },
  ];

  it('adds the counts, takes the mean of all ratings, keeps a median per section', () => {
    const combined = combineSections(all);
    expect(combined).toMatchObject({ answered: 8, answeredOnTime: 7, answeredLate: 1, ratings: 4, ratingMean: 3.5, ratingHighShare: 0.5 });
    expect(combined.timeToAnswer).toEqual([
      { section: 'pos', median: 12, unit: 'working_days', answered: 6 },
      { section: 'social', median: 4.5, unit: 'working_hours', answered: 2 },
    ]);
  });

  it('weighs each section’s time score by its answers: (6 · 0.5 + 2 · 1) / 8 = 0.625', () => {
    expect(scoresOf(all).timeToAnswer).toBeCloseTo(0.625, 10);
  });

  it('public messages without an hours target have no time component', () => {
    const noHours: RatingSettings = { ...SETTINGS, targets: { answerWithinWorkingDays: 8, highRatingShareAtLeast: 0.6 } };
    expect(componentScores(combineSections([all[1]]), noHours).timeToAnswer).toBeNull();
    expect(componentScores(combineSections(all), noHours).timeToAnswer).toBe(0.5);
  });
});

describe('peer groups', () => {
  const municipality = (population?: number): RatedOrganization => ({ id: 'm', name: 'М', kind: 'municipality', population });

  it('puts municipalities in population bands [min, max), without a population in a group of their own', () => {
    const band = (population?: number) => peerGroupOf(municipality(population), SETTINGS.populationBands)?.id;
    expect([1_140_000, 100_000, 99_999, 40_000, 39_999, 6_000, undefined].map(band)).toEqual([
      'municipalities-large',
      'municipalities-large',
      'municipalities-medium',
      'municipalities-medium',
      'municipalities-small',
      'municipalities-small',
      'municipalities-unbanded',
    ]);
  });

  it('ranks executive bodies and their institutions apart, and ЦУР not at all', () => {
    const group = (kind: RatedOrganization['kind']) => peerGroupOf({ id: 'x', name: 'X', kind }, SETTINGS.populationBands)?.id ?? null;
    expect([group('executive_body'), group('institution'), group('cur')]).toEqual(['executive-bodies', 'institutions', null]);
  });
});

describe('the league table', () => {
  const org = (id: string, kind: RatedOrganization['kind'], population?: number): RatedOrganization => ({ id, name: id.toUpperCase(), kind, population });
  const perfect = (answered: number, section: ReportSectionKey = 'pos'): SectionFigures[] => [
    { section, figures: figures({ answered, answeredOnTime: answered, timeToAnswerMedian: 3 }) },
  ];
  const table = (current: Record<string, SectionFigures[]>, previous: Record<string, SectionFigures[]> = {}, organizations = ORGS) =>
    leagueTable({ organizations, current: new Map(Object.entries(current)), previous: new Map(Object.entries(previous)), settings: SETTINGS });
  const ORGS = [
    org('big-a', 'municipality', 240_000),
    org('big-b', 'municipality', 225_000),
    org('big-c', 'municipality', 128_000),
    org('big-d', 'municipality', 160_000),
    org('mid', 'municipality', 79_000),
    org('min-a', 'executive_body'),
    org('min-b', 'executive_body'),
    org('inst', 'institution'),
    org('cur', 'cur'),
  ];
  const row = (groups: ReturnType<typeof table>, id: string) => groups.flatMap((g) => g.rows).find((r) => r.organizationId === id)!;

  it('ranks within each group; ties share a rank and the next one skips; fewer than 10 judged: listed without a rank', () => {
    const groups = table({
      'big-a': TEN_WITH_EVERYTHING, // 91.0
      'big-b': TEN_WITH_EVERYTHING, // 91.0: shares the first place
      'big-c': perfect(3), // 100.0 but only 3 answers
      'big-d': pos({ answered: 10, answeredOnTime: 10, openOverdue: 2, timeToAnswerMedian: 9 }), // 93.3
      mid: perfect(10),
      'min-a': perfect(12),
    });
    expect(groups.map((g) => g.id)).toEqual(['executive-bodies', 'institutions', 'municipalities-large', 'municipalities-medium']);
    const large = groups.find((g) => g.id === 'municipalities-large')!;
    expect(large.rows.map((r) => [r.organizationId, r.rank, r.index])).toEqual([
      ['big-d', 1, 93.3],
      ['big-a', 2, 91],
      ['big-b', 2, 91],
      ['big-c', null, 100],
    ]);
    expect(row(groups, 'big-c').note).toBe('мало данных: 3 из 10 необходимых');
    expect(row(groups, 'mid')).toMatchObject({ rank: 1, index: 100 });
    expect(row(groups, 'big-a').note).toBeNull();
    // Everyone rated is listed, with or without messages; ЦУР is not.
    expect(row(groups, 'min-b')).toMatchObject({ rank: null, index: null, sample: 0, note: 'нет данных за период' });
    expect(row(groups, 'inst')).toMatchObject({ rank: null, note: 'нет данных за период' });
    expect(row(groups, 'cur')).toBeUndefined();
  });

  it('ties are judged on the index as shown: 90.004 and 89.996 both show 90.0 and share the place', () => {
    // Only on time differs and there are no ratings: index = 100 × (0.3·s + 0.15 + 0.1 + 0.2) / 0.75 = 100 × (0.4·s + 0.6).
    const withOnTime = (onTime: number, answered: number) => pos({ answered, answeredOnTime: onTime, timeToAnswerMedian: 3 });
    const groups = table({ 'big-a': withOnTime(7501, 10000), 'big-b': withOnTime(7499, 10000), 'big-d': withOnTime(745, 1000) });
    const large = groups.find((g) => g.id === 'municipalities-large')!;
    expect(large.rows.map((r) => [r.organizationId, r.rank, r.index])).toEqual([
      ['big-a', 1, 90],
      ['big-b', 1, 90],
      ['big-d', 3, 89.8],
      ['big-c', null, null],
    ]);
  });

  it('nothing judged, no index: only messages not yet due and ratings of earlier answers', () => {
    const groups = table({ 'min-a': pos({ openNotDue: 4, ratings: 2, ratingMean: 5, ratingHighShare: 1 }) });
    expect(row(groups, 'min-a')).toMatchObject({ rank: null, index: null, sample: 0, note: 'нет данных за период', components: { overdue: 1, ratingMean: 1 } });
  });

  it('overdue messages count in the sample: 8 answered and 2 overdue are ranked', () => {
    const groups = table({ 'min-a': pos({ answered: 8, answeredOnTime: 8, openOverdue: 2, timeToAnswerMedian: 2 }) });
    expect(row(groups, 'min-a')).toMatchObject({ rank: 1, sample: 10 });
  });

  it('names the components left out of a ranked row', () => {
    const groups = table({ 'min-a': perfect(10) });
    expect(row(groups, 'min-a').note).toBe('нет данных для компонентов: средняя оценка, оценки 4–5 к цели — веса перераспределены');
  });

  it('changes against the previous period: the index’s difference and places gained', () => {
    const groups = table(
      { 'big-a': TEN_WITH_EVERYTHING, 'big-b': perfect(10), 'big-c': perfect(2), 'big-d': perfect(10) },
      {
        // Previous: big-a first (100), big-b second (91), big-c ranked (93.3), big-d without messages.
        'big-a': perfect(10),
        'big-b': TEN_WITH_EVERYTHING,
        'big-c': pos({ answered: 10, answeredOnTime: 10, openOverdue: 2, timeToAnswerMedian: 9 }),
      },
    );
    expect(row(groups, 'big-a')).toMatchObject({ rank: 3, index: 91, previous: { rank: 1, index: 100 }, change: { index: -9, rank: -2 } });
    expect(row(groups, 'big-b')).toMatchObject({ rank: 1, index: 100, previous: { rank: 3, index: 91 }, change: { index: 9, rank: 2 } });
    // Ranked before, too few now: the index changes, the place cannot.
    expect(row(groups, 'big-c')).toMatchObject({ rank: null, index: 100, previous: { rank: 2, index: 93.3 }, change: { index: 6.7, rank: null } });
    expect(row(groups, 'big-d')).toMatchObject({ rank: 1, previous: null, change: null });
  });
});

describe('rounding', () => {
  it('is half up without float noise', () => {
    expect(roundHalfUp(99.375, 1)).toBe(99.4);
    expect(roundHalfUp(100 * (0.3 + 0.15 + 0.1 + 0.1 * 0.9375 + 0.15 + 0.2), 1)).toBe(99.4);
    expect(roundHalfUp(64.5833, 1)).toBe(64.6);
    expect(roundHalfUp(-6.65, 1)).toBe(-6.6);
  });
});
