import { frozenChangeProblems, frozenChanges } from '../..';
import type { EngagementDefinition, QuestionDef } from '../..';

const window = { opensAt: new Date('2026-03-01T06:00:00Z'), closesAt: new Date('2026-03-15T18:00:00Z') };
const budget: EngagementDefinition = {
  kind: 'vote',
  options: [
    { id: 'o1', title: 'Парк', cost: 600_000 },
    { id: 'o2', title: 'Освещение', cost: 400_000 },
    { id: 'o3', title: 'Скамейки', cost: 100_000 },
  ],
  vote: { maxChoices: 2, budgetLimit: 1_000_000, minSpendShare: 0.5 },
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
  { id: 'q2', type: 'scale', title: 'Оценка', required: true, showIf: { questionId: 'q1', choiceIds: ['yes'] } },
  { id: 'q3', type: 'text', title: 'Комментарий', required: false, maxLength: 500 },
];
const survey: EngagementDefinition = { kind: 'survey', options: [], vote: null, questions, ...window };

const withOptions = (change: (o: EngagementDefinition['options']) => EngagementDefinition['options']) => ({ ...budget, options: change(budget.options) });
const withVote = (change: Partial<NonNullable<EngagementDefinition['vote']>>): EngagementDefinition => ({
  ...budget,
  vote: { maxChoices: 2, budgetLimit: 1_000_000, minSpendShare: 0.5, ...change },
});
const withQuestion = (i: number, change: Partial<QuestionDef>): EngagementDefinition => ({
  ...survey,
  questions: questions.map((q, at) => (at === i ? { ...q, ...change } : q)),
});

describe('frozenChanges: what may still change once ballots exist', () => {
  it.each<[string, EngagementDefinition, EngagementDefinition]>([
    ['nothing changed', budget, { ...budget, options: budget.options.map((o) => ({ ...o })), vote: { ...budget.vote! } }],
    [
      'the dates (the service has their own rules)',
      budget,
      { ...budget, opensAt: new Date('2026-02-01T00:00:00Z'), closesAt: new Date('2026-04-01T00:00:00Z') },
    ],
    ['the options’ order', budget, withOptions((o) => [o[2], o[0], o[1]])],
    ['a question’s wording', survey, withQuestion(1, { title: 'Как вы оцените парк?' })],
    ['the questions’ order', survey, { ...survey, questions: [questions[0], questions[2], questions[1]] }],
    ['the choices’ order', survey, withQuestion(0, { choices: [questions[0].choices![1], questions[0].choices![0]] })],
    [
      'the showIf choices’ order',
      withQuestion(1, { showIf: { questionId: 'q1', choiceIds: ['yes', 'no'] } }),
      withQuestion(1, { showIf: { questionId: 'q1', choiceIds: ['no', 'yes'] } }),
    ],
  ])('%s', (_, before, after) => {
    expect(frozenChanges(before, after)).toEqual([]);
  });
});

describe('frozenChanges: what may not', () => {
  it.each<[string, EngagementDefinition, EngagementDefinition, string[]]>([
    ['the kind', budget, { ...budget, kind: 'survey' }, ['kind']],
    ['an option added', budget, withOptions((o) => [...o, { id: 'o4', title: 'Фонтан', cost: 1 }]), ['options']],
    ['an option removed', budget, withOptions((o) => o.slice(0, 2)), ['options']],
    ['an option replaced by another id', budget, withOptions((o) => [o[0], o[1], { ...o[2], id: 'o9' }]), ['options']],
    ['an option retitled', budget, withOptions((o) => [o[0], { ...o[1], title: 'Фонари' }, o[2]]), ['options']],
    ['a cost, named by its place in the new list', budget, withOptions((o) => [o[2], o[0], { ...o[1], cost: 400_001 }]), ['options.2.cost']],
    ['two costs', budget, withOptions((o) => [{ ...o[0], cost: 1 }, o[1], { ...o[2], cost: 2 }]), ['options.0.cost', 'options.2.cost']],
    ['maxChoices', budget, withVote({ maxChoices: 3 }), ['maxChoices']],
    ['the budget', budget, withVote({ budgetLimit: 999_999 }), ['budgetLimit']],
    ['the threshold', budget, withVote({ minSpendShare: 0.4 }), ['minSpendShare']],
    ['the threshold removed', budget, withVote({ minSpendShare: null }), ['minSpendShare']],
    ['the vote rules removed', budget, { ...budget, vote: null }, ['maxChoices', 'budgetLimit', 'minSpendShare']],
    ['a question added', survey, { ...survey, questions: [...questions, { id: 'q4', type: 'text', title: 'Ещё', required: false }] }, ['questions']],
    ['a question removed', survey, { ...survey, questions: questions.slice(0, 2) }, ['questions']],
    ['a question’s type', survey, withQuestion(2, { type: 'scale', maxLength: 500 }), ['questions.2.type']],
    ['a choice added', survey, withQuestion(0, { choices: [...questions[0].choices!, { id: 'maybe', title: 'Не помню' }] }), ['questions.0.choices']],
    ['a choice retitled', survey, withQuestion(0, { choices: [questions[0].choices![0], { id: 'no', title: 'Ни разу' }] }), ['questions.0.choices']],
    ['required', survey, withQuestion(2, { required: true }), ['questions.2.required']],
    ['showIf added', survey, withQuestion(2, { showIf: { questionId: 'q1', choiceIds: ['no'] } }), ['questions.2.showIf']],
    ['showIf changed', survey, withQuestion(1, { showIf: { questionId: 'q1', choiceIds: ['yes', 'no'] } }), ['questions.1.showIf']],
    ['showIf removed', survey, withQuestion(1, { showIf: undefined }), ['questions.1.showIf']],
    ['maxLength', survey, withQuestion(2, { maxLength: 100 }), ['questions.2.maxLength']],
  ])('%s', (_, before, after, expected) => {
    expect(frozenChanges(before, after)).toEqual(expected);
  });

  it('refuses them in Russian, one message per field', () => {
    expect(frozenChangeProblems(budget, { ...withOptions((o) => [o[0], o[1], { ...o[2], cost: 2 }]), vote: { ...budget.vote!, maxChoices: 3 } })).toEqual([
      { field: 'options.2.cost', message: 'Стоимость варианта № 3: нельзя менять, когда уже поданы голоса или ответы' },
      { field: 'maxChoices', message: 'Число выбираемых вариантов: нельзя менять, когда уже поданы голоса или ответы' },
    ]);
    expect(frozenChangeProblems(survey, withQuestion(1, { required: false }))).toEqual([
      { field: 'questions.1.required', message: 'Вопрос № 2, обязательность: нельзя менять, когда уже поданы голоса или ответы' },
    ]);
  });
});
