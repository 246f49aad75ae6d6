import { minimumSpend } from './ballot-rules';
import { QUESTION_TYPES } from './engagement';
import type { BallotProblem, EngagementKind, OptionDef, QuestionDef, VoteRules } from './engagement';
import { plural, roubles } from './wording';

/** What an organizer sets up, as far as the rules of publishing and freezing need it. */
export interface EngagementDefinition {
  kind: EngagementKind;
  options: OptionDef[];
  vote: VoteRules | null;
  questions: QuestionDef[];
  opensAt: Date;
  closesAt: Date;
}

const MAX_CHOICES = 'Число выбираемых вариантов';
const BUDGET = 'Бюджет';
const MIN_SPEND = 'Минимальная доля бюджета';

const isPositiveInteger = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
/** Titles compared as a person reads them: «Парк » and «парк» are the same option. */
const sameTitleKey = (title: string) => title.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru-RU').replace(/ё/g, 'е');

/**
 * Every reason an organizer's definition cannot be published, each naming the field of the create body
 * (`options`, `options.<i>.title`, `options.<i>.cost`, `maxChoices`, `budgetLimit`, `minSpendShare`,
 * `questions`, `questions.<i>.…`, `opensAt`, `closesAt`); [] when it can be.
 */
export function definitionProblems(def: EngagementDefinition): BallotProblem[] {
  const problems = [...windowProblems(def)];
  switch (def.kind) {
    case 'vote':
      problems.push(...voteDefinitionProblems(def));
      if (def.questions.length > 0) problems.push({ field: 'questions', message: 'Вопросы: в голосовании вопросов нет, только варианты' });
      break;
    case 'survey':
      if (def.options.length > 0) {
        problems.push({ field: 'options', message: 'Варианты: в опросе нет вариантов голосования, варианты ответа задаются в вопросах' });
      }
      if (def.vote) problems.push({ field: 'maxChoices', message: `${MAX_CHOICES}: задаётся только в голосовании` });
      problems.push(...surveyDefinitionProblems(def.questions));
      break;
    case 'discussion':
      if (def.options.length > 0) problems.push({ field: 'options', message: 'Варианты: в обсуждении вариантов нет, обсуждают проект документа' });
      if (def.vote) problems.push({ field: 'maxChoices', message: `${MAX_CHOICES}: задаётся только в голосовании` });
      if (def.questions.length > 0) problems.push({ field: 'questions', message: 'Вопросы: в обсуждении вопросов нет, обсуждают проект документа' });
      break;
  }
  return problems;
}

function windowProblems(def: EngagementDefinition): BallotProblem[] {
  const problems: BallotProblem[] = [];
  if (!isValidDate(def.opensAt)) problems.push({ field: 'opensAt', message: 'Начало: должно быть датой и временем' });
  if (!isValidDate(def.closesAt)) problems.push({ field: 'closesAt', message: 'Окончание: должно быть датой и временем' });
  if (problems.length === 0 && def.closesAt.getTime() <= def.opensAt.getTime()) {
    problems.push({ field: 'closesAt', message: 'Окончание: должно быть позже начала' });
  }
  return problems;
}

function voteDefinitionProblems(def: EngagementDefinition): BallotProblem[] {
  const problems: BallotProblem[] = [];
  const { options, vote } = def;
  if (options.length < 2) {
    problems.push({ field: 'options', message: `Варианты: в голосовании нужно не меньше 2 вариантов, сейчас ${options.length}` });
  }
  const firstByTitle = new Map<string, number>();
  const firstById = new Map<string, number>();
  options.forEach((o, i) => {
    const key = sameTitleKey(o.title);
    if (key === '') {
      problems.push({ field: `options.${i}.title`, message: `Вариант № ${i + 1}: название не может быть пустым` });
    } else if (firstByTitle.has(key)) {
      problems.push({ field: `options.${i}.title`, message: `Вариант № ${i + 1}: название повторяет вариант № ${(firstByTitle.get(key) ?? 0) + 1}` });
    } else {
      firstByTitle.set(key, i);
    }
    // Ballots name options by id: two options with one id could not be told apart.
    if (firstById.has(o.id)) {
      problems.push({ field: `options.${i}.id`, message: `Вариант № ${i + 1}: идентификатор повторяет вариант № ${(firstById.get(o.id) ?? 0) + 1}` });
    } else {
      firstById.set(o.id, i);
    }
  });

  if (!vote) {
    problems.push({ field: 'maxChoices', message: `${MAX_CHOICES}: обязательное поле` });
    return problems;
  }
  if (!isPositiveInteger(vote.maxChoices) || vote.maxChoices > Math.max(options.length, 1)) {
    problems.push({
      field: 'maxChoices',
      message: `${MAX_CHOICES}: должно быть целым числом от 1 до числа вариантов (${options.length})`,
    });
  }

  if (vote.budgetLimit === null) {
    // Costs and a threshold mean something only against a budget.
    options.forEach((o, i) => {
      if (o.cost !== null) problems.push({ field: `options.${i}.cost`, message: `Вариант № ${i + 1}: стоимость задаётся только в голосовании с бюджетом` });
    });
    if (vote.minSpendShare !== null) problems.push({ field: 'minSpendShare', message: `${MIN_SPEND}: задаётся только в голосовании с бюджетом` });
    return problems;
  }

  const costsValid = options.every((o) => isPositiveInteger(o.cost));
  options.forEach((o, i) => {
    if (!isPositiveInteger(o.cost)) {
      problems.push({ field: `options.${i}.cost`, message: `Вариант № ${i + 1}: стоимость — обязательное целое положительное число рублей` });
    }
  });
  const limitValid = isPositiveInteger(vote.budgetLimit);
  if (!limitValid) problems.push({ field: 'budgetLimit', message: `${BUDGET}: должен быть целым положительным числом рублей` });
  const share = vote.minSpendShare;
  const shareValid = share === null || (typeof share === 'number' && share > 0 && share <= 1);
  if (!shareValid) problems.push({ field: 'minSpendShare', message: `${MIN_SPEND}: должна быть больше 0 и не больше 1` });
  if (!costsValid || !limitValid || options.length === 0) return problems;

  const costs = options.map((o) => o.cost ?? 0).sort((a, b) => a - b);
  if (costs[0] > vote.budgetLimit) {
    problems.push({
      field: 'budgetLimit',
      message: `${BUDGET}: ни один вариант не укладывается в ${roubles(vote.budgetLimit)}, самый дешёвый стоит ${roubles(costs[0])}`,
    });
    return problems;
  }
  // A necessary condition only (the exact one is a knapsack): even the dearest options allowed by
  // maxChoices, together, must reach the threshold, or no ballot could ever be accepted.
  const least = minimumSpend(vote);
  if (shareValid && least !== null && isPositiveInteger(vote.maxChoices)) {
    const dearest = costs.slice(-vote.maxChoices).reduce((sum, c) => sum + c, 0);
    if (dearest < least) {
      const n = Math.min(vote.maxChoices, costs.length);
      const which =
        n === 1
          ? 'самый дорогой вариант стоит'
          : `${n} ${n % 10 === 1 && n % 100 !== 11 ? 'самый дорогой' : 'самых дорогих'} ${plural(n, 'вариант', 'варианта', 'вариантов')} вместе стоят`;
      problems.push({ field: 'minSpendShare', message: `${MIN_SPEND}: недостижима — нужно не меньше ${roubles(least)}, а ${which} ${roubles(dearest)}` });
    }
  }
  return problems;
}

function surveyDefinitionProblems(questions: QuestionDef[]): BallotProblem[] {
  const problems: BallotProblem[] = [];
  if (questions.length === 0) problems.push({ field: 'questions', message: 'Вопросы: в опросе нужен хотя бы один вопрос' });
  const indexById = new Map<string, number>();
  questions.forEach((q, i) => {
    const at = `questions.${i}`;
    const name = `Вопрос № ${i + 1}`;
    if (indexById.has(q.id)) {
      problems.push({ field: `${at}.id`, message: `${name}: идентификатор повторяет вопрос № ${(indexById.get(q.id) ?? 0) + 1}` });
    } else {
      indexById.set(q.id, i);
    }
    if (q.title.trim() === '') problems.push({ field: `${at}.title`, message: `${name}: текст вопроса не может быть пустым` });
    if (!(QUESTION_TYPES as readonly string[]).includes(q.type)) {
      problems.push({ field: `${at}.type`, message: `${name}: тип — один выбор, несколько вариантов, оценка от 1 до 5 или текст` });
    }

    const choices = q.choices ?? [];
    if (q.type === 'single' || q.type === 'multiple') {
      if (choices.length < 2) {
        problems.push({ field: `${at}.choices`, message: `${name}: нужно не меньше 2 вариантов ответа, сейчас ${choices.length}` });
      }
      const distinct = new Set(choices.map((c) => c.id));
      if (distinct.size !== choices.length || distinct.has('')) {
        problems.push({ field: `${at}.choices`, message: `${name}: идентификаторы вариантов ответа должны быть непустыми и не повторяться` });
      }
      if (choices.some((c) => c.title.trim() === '')) {
        problems.push({ field: `${at}.choices`, message: `${name}: название варианта ответа не может быть пустым` });
      }
    } else if (choices.length > 0) {
      problems.push({ field: `${at}.choices`, message: `${name}: варианты ответа бывают только у вопросов с выбором` });
    }

    if (q.maxLength !== undefined) {
      if (q.type !== 'text') {
        problems.push({ field: `${at}.maxLength`, message: `${name}: предельная длина задаётся только для текстового ответа` });
      } else if (!isPositiveInteger(q.maxLength)) {
        problems.push({ field: `${at}.maxLength`, message: `${name}: предельная длина — целое положительное число символов` });
      }
    }

    if (q.showIf) problems.push(...showIfProblems(q.showIf, i, questions));
  });
  return problems;
}

/**
 * Branching may depend only on an earlier choice question and its own choices: so the survey reads top
 * down, and a cycle cannot be built.
 */
function showIfProblems(showIf: NonNullable<QuestionDef['showIf']>, i: number, questions: QuestionDef[]): BallotProblem[] {
  const field = `questions.${i}.showIf`;
  const name = `Вопрос № ${i + 1}`;
  const at = questions.findIndex((q) => q.id === showIf.questionId);
  if (at < 0 || at >= i) return [{ field, message: `${name}: условие показа может ссылаться только на вопрос выше этого` }];
  const controller = questions[at];
  if (controller.type !== 'single' && controller.type !== 'multiple') {
    return [{ field, message: `${name}: условие показа может ссылаться только на вопрос с выбором ответа, а вопрос № ${at + 1} — не такой` }];
  }
  const ids = new Set((controller.choices ?? []).map((c) => c.id));
  if (showIf.choiceIds.length === 0) return [{ field, message: `${name}: в условии показа нужен хотя бы один вариант ответа вопроса № ${at + 1}` }];
  if (!showIf.choiceIds.every((id) => ids.has(id))) {
    return [{ field, message: `${name}: в условии показа есть вариант ответа, которого нет в вопросе № ${at + 1}` }];
  }
  return [];
}
