import { definitionProblems } from '../..';
import type { EngagementDefinition, QuestionDef } from '../..';

const fields = (def: EngagementDefinition) => definitionProblems(def).map((p) => p.field);
const window = { opensAt: new Date('2026-03-01T06:00:00Z'), closesAt: new Date('2026-03-15T18:00:00Z') };

const vote: EngagementDefinition = {
  kind: 'vote',
  options: [
    { id: 'o1', title: 'Сквер', cost: null },
    { id: 'o2', title: 'Стадион', cost: null },
    { id: 'o3', title: 'Библиотека', cost: null },
  ],
  vote: { maxChoices: 2, budgetLimit: null, minSpendShare: null },
  questions: [],
  ...window,
};
const budget: EngagementDefinition = {
  kind: 'vote',
  options: [
    { id: 'o1', title: 'Парк', cost: 600_000 },
    { id: 'o2', title: 'Освещение', cost: 400_000 },
    { id: 'o3', title: 'Скамейки', cost: 100_000 },
  ],
  vote: { maxChoices: 3, budgetLimit: 1_000_000, minSpendShare: 0.5 },
  questions: [],
  ...window,
};
const questions: QuestionDef[] = [
  {
    id: 'q1',
    type: 'single',
    title: 'Вы были в парке?',
    required: true,
    choices: [
      { id: 'yes', title: 'Да' },
      { id: 'no', title: 'Нет' },
    ],
  },
  {
    id: 'q2',
    type: 'multiple',
    title: 'Что улучшить',
    required: true,
    choices: [
      { id: 'paths', title: 'Дорожки' },
      { id: 'light', title: 'Свет' },
    ],
    showIf: { questionId: 'q1', choiceIds: ['yes'] },
  },
  { id: 'q3', type: 'scale', title: 'Оценка', required: false, showIf: { questionId: 'q2', choiceIds: ['paths', 'light'] } },
  { id: 'q4', type: 'text', title: 'Комментарий', required: false, maxLength: 500 },
];
const survey: EngagementDefinition = { kind: 'survey', options: [], vote: null, questions, ...window };
const discussion: EngagementDefinition = { kind: 'discussion', options: [], vote: null, questions: [], ...window };

const withQuestion = (i: number, change: Partial<QuestionDef>): EngagementDefinition => ({
  ...survey,
  questions: questions.map((q, at) => (at === i ? { ...q, ...change } : q)),
});
const withVote = (base: EngagementDefinition, change: Partial<NonNullable<EngagementDefinition['vote']>>): EngagementDefinition => ({
  ...base,
  vote: { ...(base.vote ?? { maxChoices: 1, budgetLimit: null, minSpendShare: null }), ...change },
});
const withCosts = (base: EngagementDefinition, costs: (number | null)[]): EngagementDefinition => ({
  ...base,
  options: base.options.map((o, i) => ({ ...o, cost: costs[i] })),
});

describe('definitionProblems: valid definitions can be published', () => {
  it.each<[string, EngagementDefinition]>([
    ['a vote of up to 2 of 3', vote],
    ['a single-choice vote of 2 options', { ...vote, options: vote.options.slice(0, 2), vote: { maxChoices: 1, budgetLimit: null, minSpendShare: null } }],
    ['maxChoices equal to the number of options', withVote(vote, { maxChoices: 3 })],
    ['a budget vote with a threshold', budget],
    ['a budget vote without a threshold', withVote(budget, { minSpendShare: null })],
    ['a threshold of the whole budget (share 1)', withVote(budget, { minSpendShare: 1 })],
    ['a survey with transitive branching', survey],
    ['a discussion', discussion],
  ])('%s', (_, def) => {
    expect(definitionProblems(def)).toEqual([]);
  });
});

describe('definitionProblems: what keeps a definition from publishing', () => {
  it.each<[string, EngagementDefinition, string[]]>([
    // dates
    ['closes when it opens', { ...vote, closesAt: window.opensAt }, ['closesAt']],
    ['closes before it opens', { ...vote, opensAt: window.closesAt, closesAt: window.opensAt }, ['closesAt']],
    ['an invalid date', { ...vote, opensAt: new Date('nonsense') }, ['opensAt']],
    // vote options
    ['one option', { ...vote, options: vote.options.slice(0, 1), vote: { maxChoices: 1, budgetLimit: null, minSpendShare: null } }, ['options']],
    ['no options', { ...vote, options: [] }, ['options', 'maxChoices']],
    ['an empty title', { ...vote, options: [vote.options[0], { ...vote.options[1], title: '  ' }, vote.options[2]] }, ['options.1.title']],
    [
      'a repeated title, ignoring case and spaces',
      { ...vote, options: [vote.options[0], vote.options[1], { ...vote.options[2], title: ' сквер ' }] },
      ['options.2.title'],
    ],
    ['a repeated option id', { ...vote, options: [vote.options[0], vote.options[1], { ...vote.options[2], id: 'o1' }] }, ['options.2.id']],
    ['questions in a vote', { ...vote, questions }, ['questions']],
    // maxChoices
    ['no vote rules', { ...vote, vote: null }, ['maxChoices']],
    ['maxChoices 0', withVote(vote, { maxChoices: 0 }), ['maxChoices']],
    ['maxChoices one over the number of options', withVote(vote, { maxChoices: 4 }), ['maxChoices']],
    ['maxChoices 1.5', withVote(vote, { maxChoices: 1.5 }), ['maxChoices']],
    // non-budget vote
    ['a cost without a budget', withCosts(vote, [null, 100, null]), ['options.1.cost']],
    ['a threshold without a budget', withVote(vote, { minSpendShare: 0.5 }), ['minSpendShare']],
    // budget vote
    ['an option without a cost', withCosts(budget, [600_000, null, 100_000]), ['options.1.cost']],
    ['a zero cost', withCosts(budget, [0, 400_000, 100_000]), ['options.0.cost']],
    ['a fractional cost', withCosts(budget, [600_000, 400_000.5, 100_000]), ['options.1.cost']],
    ['a negative cost', withCosts(budget, [600_000, 400_000, -1]), ['options.2.cost']],
    ['a zero budget', withVote(budget, { budgetLimit: 0 }), ['budgetLimit']],
    ['a negative budget', withVote(budget, { budgetLimit: -5 }), ['budgetLimit']],
    ['a threshold of 0', withVote(budget, { minSpendShare: 0 }), ['minSpendShare']],
    ['a threshold over 1', withVote(budget, { minSpendShare: 1.01 }), ['minSpendShare']],
    ['no option fits the budget (the cheapest one rouble over)', withVote(budget, { budgetLimit: 99_999 }), ['budgetLimit']],
    ['the cheapest option exactly fits', withVote(budget, { budgetLimit: 100_000, minSpendShare: null }), []],
    [
      'a threshold no ballot could reach: maxChoices 1, the dearest option 600 000 < 0.7 × 1 000 000',
      withVote(budget, { maxChoices: 1, minSpendShare: 0.7 }),
      ['minSpendShare'],
    ],
    ['the threshold exactly reachable by the dearest option', withVote(budget, { maxChoices: 1, minSpendShare: 0.6 }), []],
    // survey
    ['a survey without questions', { ...survey, questions: [] }, ['questions']],
    ['options in a survey', { ...survey, options: vote.options }, ['options']],
    ['vote rules in a survey', { ...survey, vote: vote.vote }, ['maxChoices']],
    ['a choice question with one choice', withQuestion(0, { choices: [{ id: 'yes', title: 'Да' }] }), ['questions.0.choices']],
    [
      'a choice question with repeated choice ids',
      withQuestion(1, {
        choices: [
          { id: 'paths', title: 'Дорожки' },
          { id: 'paths', title: 'Свет' },
        ],
      }),
      // q3 shows for «light», which q2 no longer has
      ['questions.1.choices', 'questions.2.showIf'],
    ],
    [
      'a choice with an empty title',
      withQuestion(0, {
        choices: [
          { id: 'yes', title: 'Да' },
          { id: 'no', title: ' ' },
        ],
      }),
      ['questions.0.choices'],
    ],
    ['choices on a scale question', withQuestion(2, { choices: [{ id: 'a', title: 'А' }] }), ['questions.2.choices']],
    ['a question with an empty title', withQuestion(3, { title: '' }), ['questions.3.title']],
    ['an unknown question type', withQuestion(3, { type: 'date' as QuestionDef['type'], maxLength: undefined }), ['questions.3.type']],
    ['a repeated question id', withQuestion(3, { id: 'q1' }), ['questions.3.id']],
    ['maxLength 0', withQuestion(3, { maxLength: 0 }), ['questions.3.maxLength']],
    ['maxLength on a scale question', withQuestion(2, { maxLength: 10 }), ['questions.2.maxLength']],
    ['showIf on a later question', withQuestion(0, { showIf: { questionId: 'q2', choiceIds: ['paths'] } }), ['questions.0.showIf']],
    ['showIf on itself', withQuestion(1, { showIf: { questionId: 'q2', choiceIds: ['paths'] } }), ['questions.1.showIf']],
    ['showIf on a missing question', withQuestion(1, { showIf: { questionId: 'q9', choiceIds: ['yes'] } }), ['questions.1.showIf']],
    ['showIf on a scale question', withQuestion(3, { showIf: { questionId: 'q3', choiceIds: ['1'] } }), ['questions.3.showIf']],
    ['showIf on a choice the question does not have', withQuestion(1, { showIf: { questionId: 'q1', choiceIds: ['yes', 'maybe'] } }), ['questions.1.showIf']],
    ['showIf with no choices', withQuestion(1, { showIf: { questionId: 'q1', choiceIds: [] } }), ['questions.1.showIf']],
    // discussion
    ['options in a discussion', { ...discussion, options: vote.options }, ['options']],
    ['questions in a discussion', { ...discussion, questions }, ['questions']],
    ['vote rules in a discussion', { ...discussion, vote: vote.vote }, ['maxChoices']],
  ])('%s', (_, def, expected) => {
    expect(fields(def)).toEqual(expected);
  });

  it('says what is wrong in Russian, naming the budget in roubles', () => {
    expect(definitionProblems({ ...vote, closesAt: window.opensAt })).toEqual([{ field: 'closesAt', message: 'Окончание: должно быть позже начала' }]);
    const [tooSmall] = definitionProblems(withVote(budget, { budgetLimit: 99_999 }));
    expect(tooSmall.message).toMatch(/^Бюджет: ни один вариант не укладывается в 99\s999\s₽, самый дешёвый стоит 100\s000\s₽$/);
    const [unreachable] = definitionProblems(withVote(budget, { maxChoices: 2, minSpendShare: 1, budgetLimit: 1_100_000 }));
    expect(unreachable.message).toMatch(
      /^Минимальная доля бюджета: недостижима — нужно не меньше 1\s100\s000\s₽, а 2 самых дорогих варианта вместе стоят 1\s000\s000\s₽$/,
    );
  });
});
