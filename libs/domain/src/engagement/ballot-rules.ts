import type { Answer, BallotInput, BallotProblem, BallotRules, OptionDef, QuestionDef, VoteRules } from './engagement';
import { genitive, questionName, roubles } from './wording';

/** Text answers longer than this are refused when the question sets no `maxLength`. */
export const DEFAULT_TEXT_MAX_LENGTH = 2000;
export const SCALE_MIN = 1;
export const SCALE_MAX = 5;

/** A vote without rules (a definition that was never checked) is read as a single choice: the strictest reading. */
const SINGLE_CHOICE: VoteRules = { maxChoices: 1, budgetLimit: null, minSpendShare: null };

/**
 * The least a budget vote's ballot must spend under Decidim's threshold rule, in whole roubles, or null
 * when there is no threshold. Costs are whole roubles, so the share of the limit is rounded up; the
 * product is first rounded to a millionth so that 0.29 × 100 (28.999…96 in floating point) asks 29, not 30.
 */
export function minimumSpend(vote: VoteRules | null): number | null {
  if (!vote || vote.budgetLimit === null || vote.minSpendShare === null) return null;
  return Math.ceil(Math.round(vote.minSpendShare * vote.budgetLimit * 1e6) / 1e6);
}

/** A value sent as the answer: JSON null counts as no answer, as an absent key does. */
function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answers as an object (anything else reads as no answers), without trusting the prototype. */
function answerOf(answers: unknown, questionId: string): unknown {
  return isPlainObject(answers) && Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

/**
 * Whether the answer to a choice question picks one of `choiceIds` (single: its id; multiple: any of its
 * ids). An answer of the other shape picks nothing: a malformed answer, refused anyway, opens no branch.
 */
function picksAny(controller: QuestionDef, answer: unknown, choiceIds: readonly string[]): boolean {
  if (controller.type === 'single') return typeof answer === 'string' && choiceIds.includes(answer);
  if (controller.type === 'multiple') return Array.isArray(answer) && answer.some((a) => typeof a === 'string' && choiceIds.includes(a));
  return false;
}

/**
 * The questions a citizen is asked given their answers, in the survey's order. A question with `showIf`
 * is asked only when its controlling question is itself asked and its answer picks one of the listed
 * choices; so hiding is transitive (B hidden hides C that depends on B, whatever C's controller's stale
 * answer says). A condition on a missing question, on itself or in a cycle (a definition that was never
 * checked) hides the question rather than throws.
 */
export function visibleQuestions(questions: QuestionDef[], answers: Record<string, Answer>): QuestionDef[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const known = new Map<string, boolean>();
  const deciding = new Set<string>();
  const asked = (q: QuestionDef): boolean => {
    const decided = known.get(q.id);
    if (decided !== undefined) return decided;
    let result = true;
    if (q.showIf) {
      const condition = q.showIf;
      const controller = byId.get(condition.questionId);
      if (deciding.has(q.id) || !controller || controller === q) {
        result = false;
      } else {
        deciding.add(q.id);
        result = asked(controller) && picksAny(controller, answerOf(answers, controller.id), condition.choiceIds);
        deciding.delete(q.id);
      }
    }
    known.set(q.id, result);
    return result;
  };
  return questions.filter(asked);
}

/**
 * Every reason a citizen's ballot is refused, each naming the field as the API reports it
 * (`kind`, `optionIds`, `optionIds.<i>`, `answers`, `answers.<questionId>`); [] when it is accepted.
 * The ballot is the request body as parsed from JSON, so its shape is checked here too, not trusted.
 */
export function ballotProblems(rules: BallotRules, ballot: BallotInput): BallotProblem[] {
  switch (rules.kind) {
    case 'discussion':
      return [{ field: 'kind', message: 'Вид: в обсуждении проекта документа оставляют комментарии, голоса и ответы на вопросы не принимаются' }];
    case 'vote':
      return voteProblems(rules, ballot);
    case 'survey':
      return surveyProblems(rules, ballot);
  }
}

function voteProblems(rules: BallotRules, ballot: BallotInput): BallotProblem[] {
  const problems: BallotProblem[] = [];
  if (isGiven(ballot.answers)) {
    problems.push({ field: 'answers', message: 'Ответы: в голосовании выбирают варианты, ответов на вопросы нет' });
  }
  const ids: unknown = ballot.optionIds;
  if (!isGiven(ids)) return [...problems, { field: 'optionIds', message: 'Варианты: обязательное поле — выберите вариант' }];
  if (!Array.isArray(ids)) return [...problems, { field: 'optionIds', message: 'Варианты: должно быть списком идентификаторов вариантов' }];
  if (ids.length === 0) return [...problems, { field: 'optionIds', message: 'Варианты: выберите хотя бы один вариант' }];

  const vote = rules.vote ?? SINGLE_CHOICE;
  const byId = new Map(rules.options.map((o) => [o.id, o]));
  const chosen: OptionDef[] = [];
  ids.forEach((id: unknown, i) => {
    const field = `optionIds.${i}`;
    const option = typeof id === 'string' ? byId.get(id) : undefined;
    if (!option) {
      problems.push({ field, message: `Вариант № ${i + 1} в списке: такого варианта в этом голосовании нет` });
    } else if (chosen.includes(option)) {
      problems.push({ field, message: `Вариант № ${i + 1} в списке: «${option.title}» уже выбран, каждый вариант выбирают один раз` });
    } else {
      chosen.push(option);
    }
  });

  if (ids.length > vote.maxChoices) {
    const max = vote.maxChoices;
    problems.push({
      field: 'optionIds',
      message:
        max === 1
          ? `Варианты: можно выбрать только один вариант, выбрано ${ids.length}`
          : `Варианты: можно выбрать не больше ${max} ${genitive(max, 'варианта', 'вариантов')}, выбрано ${ids.length}`,
    });
  }

  // The budget is counted over the distinct known options: an unknown or repeated id is refused above
  // and would cost nothing here.
  if (vote.budgetLimit !== null) {
    const spent = chosen.reduce((sum, o) => sum + (o.cost ?? 0), 0);
    const least = minimumSpend(vote);
    if (spent > vote.budgetLimit) {
      problems.push({
        field: 'optionIds',
        message: `Варианты: выбрано на ${roubles(spent)} — превышает бюджет ${roubles(vote.budgetLimit)} на ${roubles(spent - vote.budgetLimit)}`,
      });
    } else if (least !== null && spent < least) {
      problems.push({
        field: 'optionIds',
        message: `Варианты: выбрано на ${roubles(spent)}, а нужно распределить не меньше ${roubles(least)} из бюджета ${roubles(vote.budgetLimit)}`,
      });
    }
  }
  return problems;
}

function surveyProblems(rules: BallotRules, ballot: BallotInput): BallotProblem[] {
  const problems: BallotProblem[] = [];
  if (isGiven(ballot.optionIds)) {
    problems.push({ field: 'optionIds', message: 'Варианты: в опросе отвечают на вопросы, варианты голосования не выбирают' });
  }
  const answers: unknown = ballot.answers;
  if (!isGiven(answers)) return [...problems, { field: 'answers', message: 'Ответы: обязательное поле — ответьте на вопросы опроса' }];
  if (!isPlainObject(answers)) {
    return [...problems, { field: 'answers', message: 'Ответы: должно быть объектом, где ключ — идентификатор вопроса, а значение — ответ' }];
  }

  const byId = new Map(rules.questions.map((q, i) => [q.id, { q, i }]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) problems.push({ field: `answers.${key}`, message: `Ответы: вопроса «${key}» в этом опросе нет` });
  }

  const asked = new Set(visibleQuestions(rules.questions, answers as Record<string, Answer>));
  rules.questions.forEach((q, i) => {
    const field = `answers.${q.id}`;
    const name = questionName(q.title, i);
    const answer = answerOf(answers, q.id);
    if (!asked.has(q)) {
      // A hidden question's `required` does not apply, and an answer to it is refused: the citizen was not asked it.
      if (isGiven(answer)) {
        const controller = q.showIf ? byId.get(q.showIf.questionId) : undefined;
        const because = controller ? ` при ваших ответах на ${lowerFirst(questionName(controller.q.title, controller.i))}` : '';
        problems.push({ field, message: `${name}: не задаётся${because}, ответ на него не принимается` });
      }
      return;
    }
    if (!isGiven(answer)) {
      if (q.required) problems.push({ field, message: `${name}: обязательный вопрос, нужен ответ` });
      return;
    }
    const wrong = answerProblem(q, answer);
    if (wrong) problems.push({ field, message: `${name}: ${wrong}` });
  });
  return problems;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** What is wrong with a given answer to an asked question, or null. */
function answerProblem(q: QuestionDef, answer: unknown): string | null {
  const choiceIds = (q.choices ?? []).map((c) => c.id);
  switch (q.type) {
    case 'single':
      if (typeof answer !== 'string') return 'нужен один вариант ответа (его идентификатор строкой)';
      return choiceIds.includes(answer) ? null : 'такого варианта ответа нет';
    case 'multiple': {
      if (!Array.isArray(answer)) return 'нужен список вариантов ответа';
      if (answer.length === 0) return 'выберите хотя бы один вариант ответа';
      if (!answer.every((a) => typeof a === 'string' && choiceIds.includes(a))) return 'в списке есть вариант ответа, которого нет в вопросе';
      if (new Set(answer).size !== answer.length) return 'варианты ответа в списке не должны повторяться';
      return null;
    }
    case 'scale':
      return typeof answer === 'number' && Number.isInteger(answer) && answer >= SCALE_MIN && answer <= SCALE_MAX
        ? null
        : `оценка — целое число от ${SCALE_MIN} до ${SCALE_MAX}`;
    case 'text': {
      if (typeof answer !== 'string') return 'ответ должен быть текстом';
      if (answer.trim() === '') return 'ответ не может быть пустым';
      if (answer.includes('\u0000')) return 'в тексте есть недопустимый нулевой символ';
      const max = q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      // Characters as a person counts them: a letter outside the BMP (an emoji) is one, not two UTF-16 units.
      const length = [...answer].length;
      return length <= max ? null : `ответ должен быть не длиннее ${max} ${genitive(max, 'символа', 'символов')}, сейчас ${length}`;
    }
  }
}
