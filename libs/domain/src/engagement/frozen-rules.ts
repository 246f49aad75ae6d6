import type { BallotProblem, QuestionDef } from './engagement';
import type { EngagementDefinition } from './definition-rules';

/**
 * The fields of an organizer's change that may not happen once ballots exist (the rules people voted
 * under stay the rules they are counted under), named as in the create body:
 * - `kind`;
 * - `options`: an option added, removed or retitled (options are matched by id; a new order is allowed);
 * - `options.<i>.cost`: a cost changed (`i` in the new list);
 * - `maxChoices`, `budgetLimit`, `minSpendShare`;
 * - `questions`: a question added or removed (matched by id; a new order is allowed);
 * - `questions.<i>.type`, `.choices`, `.required`, `.showIf`, `.maxLength`: what a kept question asks
 *   (its wording may still be corrected).
 * The engagement's own title and its dates are not checked here: the service has the dates' rules.
 */
export function frozenChanges(before: EngagementDefinition, after: EngagementDefinition): string[] {
  const fields: string[] = [];
  if (before.kind !== after.kind) fields.push('kind');

  const oldOptions = new Map(before.options.map((o) => [o.id, o]));
  const newIds = new Set(after.options.map((o) => o.id));
  const optionSetChanged =
    before.options.length !== after.options.length ||
    before.options.some((o) => !newIds.has(o.id)) ||
    after.options.some((o) => oldOptions.get(o.id)?.title !== o.title);
  if (optionSetChanged) fields.push('options');
  after.options.forEach((o, i) => {
    const old = oldOptions.get(o.id);
    if (old && old.cost !== o.cost) fields.push(`options.${i}.cost`);
  });

  const oldVote = before.vote;
  const newVote = after.vote;
  if ((oldVote?.maxChoices ?? null) !== (newVote?.maxChoices ?? null)) fields.push('maxChoices');
  if ((oldVote?.budgetLimit ?? null) !== (newVote?.budgetLimit ?? null)) fields.push('budgetLimit');
  if ((oldVote?.minSpendShare ?? null) !== (newVote?.minSpendShare ?? null)) fields.push('minSpendShare');

  const oldQuestions = new Map(before.questions.map((q) => [q.id, q]));
  const newQuestionIds = new Set(after.questions.map((q) => q.id));
  if (before.questions.length !== after.questions.length || before.questions.some((q) => !newQuestionIds.has(q.id))) {
    fields.push('questions');
  }
  after.questions.forEach((q, i) => {
    const old = oldQuestions.get(q.id);
    if (!old) return; // an added question is reported as `questions`
    if (old.type !== q.type) fields.push(`questions.${i}.type`);
    if (choicesKey(old) !== choicesKey(q)) fields.push(`questions.${i}.choices`);
    if (old.required !== q.required) fields.push(`questions.${i}.required`);
    if (showIfKey(old) !== showIfKey(q)) fields.push(`questions.${i}.showIf`);
    if (old.maxLength !== q.maxLength) fields.push(`questions.${i}.maxLength`);
  });
  return fields;
}

/** Choices as a set of (id, title): answers are stored by choice id, so only their order may change. */
function choicesKey(q: QuestionDef): string {
  return JSON.stringify((q.choices ?? []).map((c) => [c.id, c.title]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function showIfKey(q: QuestionDef): string {
  return q.showIf ? JSON.stringify([q.showIf.questionId, [...q.showIf.choiceIds].sort()]) : '';
}

/** The frozen changes as the API refuses them: one Russian message per field. */
export function frozenChangeProblems(before: EngagementDefinition, after: EngagementDefinition): BallotProblem[] {
  return frozenChanges(before, after).map((field) => ({ field, message: `${frozenFieldName(field)}: нельзя менять, когда уже поданы голоса или ответы` }));
}

function frozenFieldName(field: string): string {
  const option = /^options\.(\d+)\.cost$/.exec(field);
  if (option) return `Стоимость варианта № ${Number(option[1]) + 1}`;
  const question = /^questions\.(\d+)\.(\w+)$/.exec(field);
  if (question) return `Вопрос № ${Number(question[1]) + 1}, ${QUESTION_PARTS[question[2]] ?? 'условия'}`;
  return FIELD_NAMES[field] ?? 'Правила';
}

const FIELD_NAMES: Record<string, string> = {
  kind: 'Вид',
  options: 'Варианты',
  maxChoices: 'Число выбираемых вариантов',
  budgetLimit: 'Бюджет',
  minSpendShare: 'Минимальная доля бюджета',
  questions: 'Вопросы',
};

const QUESTION_PARTS: Record<string, string> = {
  type: 'тип',
  choices: 'варианты ответа',
  required: 'обязательность',
  showIf: 'условие показа',
  maxLength: 'предельная длина',
};
