import type { EngagementKind, EngagementView, QuestionDef } from '@cur/contracts';
import { ApiError } from '../../api/client';

/**
 * The organizer's form as it is typed (numbers as the inputs hold them), and the API's body made
 * from it. Rows keep the server's ids, so an edit names the same options and questions; new
 * questions and choices get an id here at once, as «показывать, если» must point at them before
 * the engagement is saved.
 */

export const API = '/api/v1/engagements';
/** While ballots are taken the card and its counts are read again this often: the organizer watches participation live. */
export const LIVE_MS = 15_000;

export type QuestionType = QuestionDef['type'];

export const KIND_TITLES: Record<EngagementKind, string> = {
  vote: 'Голосование',
  survey: 'Опрос',
  discussion: 'Обсуждение проекта документа',
};

export const QUESTION_TYPE_TITLES: Record<QuestionType, string> = {
  single: 'один вариант',
  multiple: 'несколько вариантов',
  scale: 'оценка от 1 до 5',
  text: 'свободный ответ',
};

export const STATUS_TITLES: Record<EngagementView['status'], string> = {
  draft: 'Черновик',
  published: 'Опубликовано',
  closed: 'Завершено',
  result_published: 'Итоги опубликованы',
  decided: 'Решение принято',
};

export interface OptionRow {
  key: string;
  id?: string;
  title: string;
  cost: string;
}

export interface ChoiceRow {
  id: string;
  title: string;
}

export interface QuestionRow {
  id: string;
  type: QuestionType;
  title: string;
  required: boolean;
  choices: ChoiceRow[];
  maxLength?: number;
  /** The question it depends on, and which of its choices show this one. */
  showIf: { questionId: string; choiceIds: string[] } | null;
}

export interface SectionRow {
  key: string;
  id?: string;
  title: string;
  text: string;
}

export interface Draft {
  kind: EngagementKind;
  title: string;
  description: string;
  theme: string;
  territoryIds: string[];
  /** Moscow time as `datetime-local` holds it: 2026-12-02T09:00. */
  opensAt: string;
  closesAt: string;
  /** The instants as stored: sent back unchanged when the inputs were not touched (they hold minutes only). */
  stored?: { opensAt: string; closesAt: string };
  maxChoices: string;
  budget: boolean;
  budgetLimit: string;
  /** Percent, as the organizer thinks of it; the API takes a share 0..1. */
  minSpendPercent: string;
  options: OptionRow[];
  questions: QuestionRow[];
  documentTitle: string;
  sections: SectionRow[];
}

let counter = 0;
/** An id the API accepts (lowercase letters, digits, hyphens, up to 40) and unique enough within one engagement. */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const MOSCOW_MS = 3 * 3600e3;

/** An instant as Moscow's wall clock for a `datetime-local` input (Moscow keeps +03:00 all year). */
export function toLocalInput(iso: string): string {
  return new Date(Date.parse(iso) + MOSCOW_MS).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as Moscow time, with its offset, as the API takes instants. */
export function fromLocalInput(value: string): string {
  return value.length === 16 ? `${value}:00+03:00` : value;
}

export const emptyOption = (): OptionRow => ({ key: newId('o'), title: '', cost: '' });
export const emptyQuestion = (): QuestionRow => ({
  id: newId('q'),
  type: 'single',
  title: '',
  required: true,
  choices: [emptyChoice(), emptyChoice()],
  showIf: null,
});
export const emptyChoice = (): ChoiceRow => ({ id: newId('c'), title: '' });
export const emptySection = (): SectionRow => ({ key: newId('s'), title: '', text: '' });

/** A new engagement: opening now (ballots are taken as soon as it is published), closing in two weeks at 18:00. */
export function newDraft(theme: string): Draft {
  const now = Date.now();
  const closes = toLocalInput(new Date(now + 14 * 864e5).toISOString()).slice(0, 10) + 'T18:00';
  return {
    kind: 'vote',
    title: '',
    description: '',
    theme,
    territoryIds: [],
    opensAt: toLocalInput(new Date(now).toISOString()),
    closesAt: closes,
    maxChoices: '1',
    budget: false,
    budgetLimit: '',
    minSpendPercent: '',
    options: [emptyOption(), emptyOption()],
    questions: [emptyQuestion()],
    documentTitle: '',
    sections: [emptySection()],
  };
}

export function draftOf(e: EngagementView): Draft {
  const budget = e.vote?.budgetLimit != null;
  return {
    kind: e.kind,
    title: e.title,
    description: e.description ?? '',
    theme: e.theme.id,
    territoryIds: e.territories.map((t) => t.id),
    opensAt: toLocalInput(e.opensAt),
    closesAt: toLocalInput(e.closesAt),
    stored: { opensAt: e.opensAt, closesAt: e.closesAt },
    maxChoices: String(e.vote?.maxChoices ?? 1),
    budget,
    budgetLimit: budget ? String(e.vote?.budgetLimit) : '',
    // Rounded to a hundredth of a percent: 0.29 × 100 is 28.999…96 in floating point.
    minSpendPercent: e.vote?.minSpendShare != null ? String(Math.round(e.vote.minSpendShare * 10000) / 100) : '',
    options: e.options.map((o) => ({ key: o.id, id: o.id, title: o.title, cost: o.cost === null ? '' : String(o.cost) })),
    questions: e.questions.map((q) => ({
      id: q.id,
      type: q.type,
      title: q.title,
      required: q.required,
      choices: q.choices?.map((c) => ({ ...c })) ?? [],
      maxLength: q.maxLength,
      showIf: q.showIf ? { questionId: q.showIf.questionId, choiceIds: [...q.showIf.choiceIds] } : null,
    })),
    documentTitle: e.document?.title ?? '',
    sections: e.document?.sections.map((s) => ({ key: s.id, id: s.id, title: s.title, text: s.text })) ?? [],
  };
}

/** A number typed in a `type=number` input, or nothing when it is empty (the server then names what is missing). */
const numberOf = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

export function bodyOf(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: d.kind,
    title: d.title,
    theme: d.theme,
    territoryIds: d.territoryIds,
    // An opening time that has come may not change: one stored with seconds is sent as it was.
    opensAt: d.stored && toLocalInput(d.stored.opensAt) === d.opensAt ? d.stored.opensAt : fromLocalInput(d.opensAt),
    closesAt: d.stored && toLocalInput(d.stored.closesAt) === d.closesAt ? d.stored.closesAt : fromLocalInput(d.closesAt),
  };
  if (d.description.trim()) body.description = d.description;
  if (d.kind === 'vote') {
    body.maxChoices = numberOf(d.maxChoices);
    body.options = d.options.map((o) => ({ ...(o.id ? { id: o.id } : {}), title: o.title, ...(d.budget ? { cost: numberOf(o.cost) } : {}) }));
    if (d.budget) {
      body.budgetLimit = numberOf(d.budgetLimit);
      const percent = numberOf(d.minSpendPercent);
      if (percent !== undefined) body.minSpendShare = Math.round(percent * 100) / 10000;
    }
  } else if (d.kind === 'survey') {
    body.questions = d.questions.map((q) => ({
      id: q.id,
      type: q.type,
      title: q.title,
      required: q.required,
      ...(q.type === 'single' || q.type === 'multiple' ? { choices: q.choices } : {}),
      ...(q.type === 'text' && q.maxLength ? { maxLength: q.maxLength } : {}),
      ...(q.showIf && q.showIf.questionId ? { showIf: q.showIf } : {}),
    }));
  } else {
    body.document = { title: d.documentTitle, sections: d.sections.map((s) => ({ ...(s.id ? { id: s.id } : {}), title: s.title, text: s.text })) };
  }
  return body;
}

/**
 * The server's objections by field, under the domain's names: class-validator says `options[1].cost`,
 * the engagement rules `options.1.cost`; both become `options.1.cost`.
 */
export function fieldsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(error.fields)) {
    const key = k.replace(/\[(\d+)\]/g, '.$1');
    fields[key] = fields[key] ? `${fields[key]}; ${v}` : v;
  }
  return fields;
}

/**
 * A message shown next to its field: a generic one that names the field by its path («Поле
 * «options[1].cost»: …») is named by the field's Russian label instead.
 */
export const russianMessage = (message: string, label: string) => message.replace(/Поле «[^»]*»/g, label);

export const errorText = (e: unknown) => (e instanceof Error ? e.message : 'Ошибка');
