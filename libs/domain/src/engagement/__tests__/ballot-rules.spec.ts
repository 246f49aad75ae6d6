import { ballotProblems, minimumSpend, roubles, visibleQuestions } from '../..';
import type { BallotInput, BallotProblem, BallotRules, QuestionDef } from '../..';

const fields = (problems: BallotProblem[]) => problems.map((p) => p.field);
const option = (id: string, title: string, cost: number | null = null) => ({ id, title, cost });

const single: BallotRules = {
  kind: 'vote',
  options: [option('a', 'Сквер'), option('b', 'Стадион'), option('c', 'Библиотека')],
  vote: { maxChoices: 1, budgetLimit: null, minSpendShare: null },
  questions: [],
};
const upToTwo: BallotRules = { ...single, vote: { maxChoices: 2, budgetLimit: null, minSpendShare: null } };

// Limit 1 000 000 ₽, threshold half of it (500 000 ₽); the costs make each edge reachable to the rouble.
const budget: BallotRules = {
  kind: 'vote',
  options: [option('park', 'Парк', 600_000), option('lights', 'Освещение', 400_000), option('bench', 'Скамейки', 99_999), option('tiny', 'Урна', 1)],
  vote: { maxChoices: 4, budgetLimit: 1_000_000, minSpendShare: 0.5 },
  questions: [],
};
const budgetNoThreshold: BallotRules = { ...budget, vote: { maxChoices: 4, budgetLimit: 1_000_000, minSpendShare: null } };

/**
 * visited (required) → yes: rating (required, scale), topics (required, multiple) → roads: roads (required text);
 * comment (optional text up to 10), extra (optional text, default length).
 */
const questions: QuestionDef[] = [
  {
    id: 'visited',
    type: 'single',
    title: 'Вы были в парке?',
    required: true,
    choices: [
      { id: 'yes', title: 'Да' },
      { id: 'no', title: 'Нет' },
    ],
  },
  { id: 'rating', type: 'scale', title: 'Оценка парка', required: true, showIf: { questionId: 'visited', choiceIds: ['yes'] } },
  {
    id: 'topics',
    type: 'multiple',
    title: 'Что улучшить',
    required: true,
    choices: [
      { id: 'paths', title: 'Дорожки' },
      { id: 'roads', title: 'Подъезды' },
      { id: 'light', title: 'Свет' },
    ],
    showIf: { questionId: 'visited', choiceIds: ['yes'] },
  },
  { id: 'roads', type: 'text', title: 'Какие подъезды', required: true, showIf: { questionId: 'topics', choiceIds: ['roads'] } },
  { id: 'comment', type: 'text', title: 'Комментарий', required: false, maxLength: 10 },
  { id: 'extra', type: 'text', title: 'Ещё', required: false },
];
const survey: BallotRules = { kind: 'survey', options: [], vote: null, questions };
const discussion: BallotRules = { kind: 'discussion', options: [], vote: null, questions: [] };

describe('roubles', () => {
  it('groups digits the ru-RU way and ends with ₽', () => {
    expect(roubles(1_000_000)).toMatch(/^1\s000\s000\s₽$/);
    expect(roubles(1)).toMatch(/^1\s₽$/);
  });
});

describe('minimumSpend (Decidim threshold) in whole roubles', () => {
  it.each<[string, BallotRules['vote'], number | null]>([
    ['half of 1 000 000', { maxChoices: 1, budgetLimit: 1_000_000, minSpendShare: 0.5 }, 500_000],
    ['0.29 × 100 is 29, not the floating 28.999…96 rounded up to 30', { maxChoices: 1, budgetLimit: 100, minSpendShare: 0.29 }, 29],
    ['a fraction of a rouble is rounded up', { maxChoices: 1, budgetLimit: 1_000_001, minSpendShare: 0.5 }, 500_001],
    ['the whole budget', { maxChoices: 1, budgetLimit: 700, minSpendShare: 1 }, 700],
    ['no threshold', { maxChoices: 1, budgetLimit: 700, minSpendShare: null }, null],
    ['not a budget vote', { maxChoices: 1, budgetLimit: null, minSpendShare: null }, null],
    ['no vote rules', null, null],
  ])('%s', (_, vote, expected) => {
    expect(minimumSpend(vote)).toBe(expected);
  });
});

describe('a vote', () => {
  it.each<[string, BallotRules, BallotInput, string[]]>([
    ['single choice: one option', single, { optionIds: ['a'] }, []],
    ['single choice: two options (one over maxChoices 1)', single, { optionIds: ['a', 'b'] }, ['optionIds']],
    ['up to two: exactly two', upToTwo, { optionIds: ['a', 'c'] }, []],
    ['up to two: three (one over)', upToTwo, { optionIds: ['a', 'b', 'c'] }, ['optionIds']],
    ['no optionIds', single, {}, ['optionIds']],
    ['optionIds null', single, { optionIds: null as unknown as string[] }, ['optionIds']],
    ['an empty list', single, { optionIds: [] }, ['optionIds']],
    ['not a list', single, { optionIds: 'a' as unknown as string[] }, ['optionIds']],
    ['an unknown id, named by its place', upToTwo, { optionIds: ['a', 'zz'] }, ['optionIds.1']],
    ['an id that is not a string', single, { optionIds: [1] as unknown as string[] }, ['optionIds.0']],
    ['a repeated id, named at the repeat', upToTwo, { optionIds: ['b', 'b'] }, ['optionIds.1']],
    ['a repeat is also one over maxChoices 1', single, { optionIds: ['a', 'a'] }, ['optionIds.1', 'optionIds']],
    ['answers are not taken in a vote', single, { optionIds: ['a'], answers: { visited: 'yes' } }, ['answers']],
    ['answers and no options', single, { answers: {} }, ['answers', 'optionIds']],
    ['an id named like a prototype member is unknown, not a crash', single, { optionIds: ['toString'] }, ['optionIds.0']],
  ])('%s', (_, rules, ballot, expected) => {
    expect(fields(ballotProblems(rules, ballot))).toEqual(expected);
  });

  it('says how many may be chosen, in Russian', () => {
    expect(ballotProblems(single, { optionIds: ['a', 'b'] })).toEqual([
      { field: 'optionIds', message: 'Варианты: можно выбрать только один вариант, выбрано 2' },
    ]);
    expect(ballotProblems(upToTwo, { optionIds: ['a', 'b', 'c'] })).toEqual([
      { field: 'optionIds', message: 'Варианты: можно выбрать не больше 2 вариантов, выбрано 3' },
    ]);
    expect(ballotProblems(upToTwo, { optionIds: ['a', 'a'] })[0].message).toBe('Вариант № 2 в списке: «Сквер» уже выбран, каждый вариант выбирают один раз');
  });
});

describe('a budget vote: limit 1 000 000 ₽, at least half of it', () => {
  it.each<[string, BallotRules, string[], string[]]>([
    ['exactly the limit (600 000 + 400 000) is accepted', budget, ['park', 'lights'], []],
    ['one rouble over the limit is refused', budget, ['park', 'lights', 'tiny'], ['optionIds']],
    ['far over the limit is refused', budget, ['park', 'lights', 'bench', 'tiny'], ['optionIds']],
    ['exactly the threshold (400 000 + 99 999 + 1) is accepted', budget, ['lights', 'bench', 'tiny'], []],
    ['one rouble under the threshold is refused', budget, ['lights', 'bench'], ['optionIds']],
    ['without a threshold a small spend is accepted', budgetNoThreshold, ['tiny'], []],
    ['without a threshold the limit still holds', budgetNoThreshold, ['park', 'lights', 'tiny'], ['optionIds']],
    ['a repeated option costs once: 600 000 + 400 000, the repeat refused on its own', budget, ['park', 'lights', 'park'], ['optionIds.2']],
  ])('%s', (_, rules, optionIds, expected) => {
    expect(fields(ballotProblems(rules, { optionIds }))).toEqual(expected);
  });

  it('names the sums in roubles: over the limit, and under the threshold', () => {
    expect(ballotProblems(budget, { optionIds: ['park', 'lights', 'tiny'] })[0].message).toBe(
      `Варианты: выбрано на ${roubles(1_000_001)} — превышает бюджет ${roubles(1_000_000)} на ${roubles(1)}`,
    );
    expect(ballotProblems(budget, { optionIds: ['lights', 'bench'] })[0].message).toBe(
      `Варианты: выбрано на ${roubles(499_999)}, а нужно распределить не меньше ${roubles(500_000)} из бюджета ${roubles(1_000_000)}`,
    );
  });
});

describe('a survey', () => {
  const longText = (n: number) => 'я'.repeat(n);
  it.each<[string, BallotInput, string[]]>([
    [
      'every asked question answered',
      { answers: { visited: 'yes', rating: 4, topics: ['roads', 'light'], roads: 'Со стороны рынка', comment: 'Спасибо' } },
      [],
    ],
    ['«no» hides the branch: its required questions are not asked', { answers: { visited: 'no' } }, []],
    ['the required first question missing', { answers: {} }, ['answers.visited']],
    ['null counts as no answer', { answers: { visited: null as unknown as string } }, ['answers.visited']],
    ['«yes» asks the branch: its required questions missing', { answers: { visited: 'yes' } }, ['answers.rating', 'answers.topics']],
    ['«yes» without «roads»: the roads question is not asked', { answers: { visited: 'yes', rating: 3, topics: ['paths'] } }, []],
    ['«yes» with «roads»: the roads question is required', { answers: { visited: 'yes', rating: 3, topics: ['paths', 'roads'] } }, ['answers.roads']],
    ['a hidden question answered is refused', { answers: { visited: 'no', rating: 3 } }, ['answers.rating']],
    [
      'transitive hiding: «no» hides «topics», so «roads» is hidden too although the stale «topics» answer picks roads',
      { answers: { visited: 'no', topics: ['roads'], roads: 'Со стороны рынка' } },
      ['answers.topics', 'answers.roads'],
    ],
    ['the controlling question unanswered hides its branch', { answers: { rating: 5 } }, ['answers.visited', 'answers.rating']],
    ['an unknown question', { answers: { visited: 'no', q99: 'да' } }, ['answers.q99']],
    [
      'a key named like a prototype member is an unknown question',
      { answers: JSON.parse('{"visited":"no","__proto__":"x"}') as BallotInput['answers'] },
      ['answers.__proto__'],
    ],
    ['no answers at all', {}, ['answers']],
    ['answers as a list', { answers: ['yes'] as unknown as BallotInput['answers'] }, ['answers']],
    ['optionIds are not taken in a survey', { optionIds: ['yes'], answers: { visited: 'no' } }, ['optionIds']],
    // single
    ['single: a choice that does not exist', { answers: { visited: 'maybe' } }, ['answers.visited']],
    ['single: a list instead of one id', { answers: { visited: ['yes'] } }, ['answers.visited']],
    // multiple
    ['multiple: an empty list', { answers: { visited: 'yes', rating: 3, topics: [] } }, ['answers.topics']],
    ['multiple: a repeated choice', { answers: { visited: 'yes', rating: 3, topics: ['paths', 'paths'] } }, ['answers.topics']],
    ['multiple: an unknown choice', { answers: { visited: 'yes', rating: 3, topics: ['paths', 'zzz'] } }, ['answers.topics']],
    ['multiple: one id, not a list', { answers: { visited: 'yes', rating: 3, topics: 'paths' } }, ['answers.topics']],
    // scale
    ['scale: 1 is accepted', { answers: { visited: 'yes', rating: 1, topics: ['paths'] } }, []],
    ['scale: 5 is accepted', { answers: { visited: 'yes', rating: 5, topics: ['paths'] } }, []],
    ['scale: 0 is refused', { answers: { visited: 'yes', rating: 0, topics: ['paths'] } }, ['answers.rating']],
    ['scale: 6 is refused', { answers: { visited: 'yes', rating: 6, topics: ['paths'] } }, ['answers.rating']],
    ['scale: 2.5 is refused', { answers: { visited: 'yes', rating: 2.5, topics: ['paths'] } }, ['answers.rating']],
    ['scale: "3" as text is refused', { answers: { visited: 'yes', rating: '3', topics: ['paths'] } }, ['answers.rating']],
    // text
    ['text: maxLength (10) characters accepted', { answers: { visited: 'no', comment: longText(10) } }, []],
    ['text: maxLength + 1 refused', { answers: { visited: 'no', comment: longText(11) } }, ['answers.comment']],
    ['text: ten emoji are ten characters, not twenty', { answers: { visited: 'no', comment: '😀'.repeat(10) } }, []],
    ['text: the default 2000 accepted', { answers: { visited: 'no', extra: longText(2000) } }, []],
    ['text: the default 2000 + 1 refused', { answers: { visited: 'no', extra: longText(2001) } }, ['answers.extra']],
    ['text: spaces only are empty', { answers: { visited: 'no', comment: '   ' } }, ['answers.comment']],
    ['text: an empty string, even on an optional question', { answers: { visited: 'no', extra: '' } }, ['answers.extra']],
    ['text: a NUL character', { answers: { visited: 'no', comment: 'а\u0000б' } }, ['answers.comment']],
    ['text: a number', { answers: { visited: 'no', comment: 5 } }, ['answers.comment']],
  ])('%s', (_, ballot, expected) => {
    expect(fields(ballotProblems(survey, ballot))).toEqual(expected);
  });

  it('names the question by its title and says what is wrong', () => {
    expect(ballotProblems(survey, { answers: {} })).toEqual([
      { field: 'answers.visited', message: 'Вопрос «Вы были в парке?»: обязательный вопрос, нужен ответ' },
    ]);
    expect(ballotProblems(survey, { answers: { visited: 'no', rating: 3 } })).toEqual([
      { field: 'answers.rating', message: 'Вопрос «Оценка парка»: не задаётся при ваших ответах на вопрос «Вы были в парке?», ответ на него не принимается' },
    ]);
    expect(ballotProblems(survey, { answers: { visited: 'yes', rating: 6, topics: ['paths'] } })[0].message).toBe(
      'Вопрос «Оценка парка»: оценка — целое число от 1 до 5',
    );
    expect(ballotProblems(survey, { answers: { visited: 'no', comment: longText(11) } })[0].message).toBe(
      'Вопрос «Комментарий»: ответ должен быть не длиннее 10 символов, сейчас 11',
    );
  });
});

describe('visibleQuestions', () => {
  const ids = (answers: Parameters<typeof visibleQuestions>[1]) => visibleQuestions(questions, answers).map((q) => q.id);

  it.each<[string, Parameters<typeof visibleQuestions>[1], string[]]>([
    ['nothing answered: only the unconditional questions', {}, ['visited', 'comment', 'extra']],
    ['«yes»: its branch, but not «roads» yet', { visited: 'yes' }, ['visited', 'rating', 'topics', 'comment', 'extra']],
    ['«yes» and «roads» picked among others', { visited: 'yes', topics: ['light', 'roads'] }, ['visited', 'rating', 'topics', 'roads', 'comment', 'extra']],
    ['«no» with a stale «roads»: hidden transitively', { visited: 'no', topics: ['roads'] }, ['visited', 'comment', 'extra']],
    ['an answer of the wrong type picks nothing', { visited: 5 }, ['visited', 'comment', 'extra']],
  ])('%s', (_, answers, expected) => {
    expect(ids(answers)).toEqual(expected);
  });

  it('a condition on a missing question, on itself or in a cycle hides the question instead of looping', () => {
    const broken: QuestionDef[] = [
      { id: 'x', type: 'single', title: 'Икс', required: false, choices: [{ id: 'a', title: 'А' }], showIf: { questionId: 'y', choiceIds: ['a'] } },
      { id: 'y', type: 'single', title: 'Игрек', required: false, choices: [{ id: 'a', title: 'А' }], showIf: { questionId: 'x', choiceIds: ['a'] } },
      { id: 'self', type: 'single', title: 'Сам', required: false, choices: [{ id: 'a', title: 'А' }], showIf: { questionId: 'self', choiceIds: ['a'] } },
      { id: 'orphan', type: 'text', title: 'Сирота', required: false, showIf: { questionId: 'gone', choiceIds: ['a'] } },
      { id: 'free', type: 'text', title: 'Свободный', required: false },
    ];
    expect(visibleQuestions(broken, { x: 'a', y: 'a', self: 'a' }).map((q) => q.id)).toEqual(['free']);
  });
});

describe('a discussion', () => {
  it.each<[string, BallotInput]>([
    ['options', { optionIds: ['a'] }],
    ['answers', { answers: { visited: 'yes' } }],
    ['nothing', {}],
  ])('refuses any ballot (%s) once, on `kind`', (_, ballot) => {
    expect(ballotProblems(discussion, ballot)).toEqual([
      { field: 'kind', message: 'Вид: в обсуждении проекта документа оставляют комментарии, голоса и ответы на вопросы не принимаются' },
    ]);
  });
});

describe('the messages', () => {
  const refusals: [BallotRules, BallotInput][] = [
    [single, { optionIds: ['a', 'zz', 'a', 'b'], answers: {} }],
    [single, {}],
    [single, { optionIds: [] }],
    [single, { optionIds: 'a' as unknown as string[] }],
    [budget, { optionIds: ['park', 'lights', 'tiny'] }],
    [budget, { optionIds: ['tiny'] }],
    [survey, { optionIds: ['a'], answers: { visited: 'yes', rating: 0, topics: ['zzz'] } }],
    [survey, { answers: { visited: 'no', rating: 3, topics: ['roads'], roads: 'т', comment: '', extra: 5 } }],
    [survey, { answers: { visited: ['yes'] } }],
    [survey, { answers: { visited: 'yes', rating: 2, topics: 'paths' } }],
    [survey, { answers: { visited: 'yes', rating: 2, topics: ['paths', 'paths'] } }],
    [survey, { answers: { visited: 'no', comment: 'а\u0000б' } }],
    [survey, {}],
    [survey, { answers: [] as unknown as BallotInput['answers'] }],
  ];

  it('are Russian, in the house form «Поле: что не так», with no Latin words', () => {
    const messages = refusals.flatMap(([rules, ballot]) => ballotProblems(rules, ballot).map((p) => p.message));
    expect(messages.length).toBeGreaterThanOrEqual(20);
    for (const message of messages) {
      expect(message).toMatch(/^[А-ЯЁ][^:]*: [а-яё«]/);
      expect(message).not.toMatch(/[A-Za-z]/);
    }
  });
});
