import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { Catalog, EngagementKind } from '@cur/contracts';
import { Picker } from '../../components/Picker';
import { territoryOptions } from '../../lib/catalog';
import { useKeys } from '../../lib/keys';
import {
  emptyChoice,
  emptyOption,
  emptyQuestion,
  emptySection,
  fieldsOf,
  KIND_TITLES,
  QUESTION_TYPE_TITLES,
  russianMessage,
  type Draft,
  type QuestionRow,
  type QuestionType,
} from './draft';

interface Props {
  /** Prefix of the inputs' ids: a create form and an edit form never meet, but ids stay unique anyway. */
  id: string;
  label: string;
  initial: Draft;
  themes: { id: string; title: string }[];
  catalog: Catalog;
  /** The kind is chosen once, at creation. */
  kindFixed: boolean;
  /** Ballots exist: options, costs, limits and questions no longer change (the server refuses it too). */
  frozen: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (draft: Draft) => void;
  onCancel: () => void;
}

/** Moves item `i` of a list by `by` places (−1 up, +1 down). */
function moved<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** Which server objections this form shows next to a field; any other is listed under the form, so none is lost. */
function placed(key: string, d: Draft): boolean {
  const common = /^(kind|title|description|theme|territoryIds(\.\d+)?|opensAt|closesAt)$/.test(key);
  if (common) return true;
  if (d.kind === 'vote') {
    const m = /^options\.(\d+)\.(title|cost)$/.exec(key);
    return /^(maxChoices|options)$/.test(key) || (d.budget && /^(budgetLimit|minSpendShare)$/.test(key)) || (!!m && Number(m[1]) < d.options.length);
  }
  if (d.kind === 'survey') {
    const m = /^questions\.(\d+)\.(title|type|choices|showIf)(\..*)?$/.exec(key);
    return key === 'questions' || (!!m && Number(m[1]) < d.questions.length);
  }
  const m = /^document\.sections\.(\d+)\.(title|text)$/.exec(key);
  return /^document(\.title|\.sections)?$/.test(key) || (!!m && Number(m[1]) < d.sections.length);
}

/**
 * An engagement's fields, one form per kind: a vote's options (and a budget vote's costs, limit and
 * threshold), a survey's questions with their choices and branching, a discussion's document with
 * its sections. The server checks everything; its objections appear next to the fields they name.
 */
export function EngagementForm({ id, label, initial, themes, catalog, kindFixed, frozen, submitLabel, pending, error, onSubmit, onCancel }: Props) {
  const [d, setD] = useState<Draft>(initial);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const territories = useMemo(() => territoryOptions(catalog), [catalog]);
  const fields = fieldsOf(error);
  const dirty = JSON.stringify(d) !== JSON.stringify(initial);
  useKeys({ Escape: () => (dirty ? undefined : onCancel()) });

  /** The server's message for a field (with its nested ones when `nested`), named in Russian. */
  const err = (key: string, name: string, nested = false): string | undefined => {
    const found = Object.entries(fields)
      .filter(([k]) => k === key || (nested && k.startsWith(`${key}.`)))
      .map(([, v]) => russianMessage(v, name));
    return found.length ? found.join('; ') : undefined;
  };
  const others = Object.entries(fields).filter(([k]) => !placed(k, d));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(d);
  };

  return (
    <form className="eng-form" aria-label={label} onSubmit={submit} noValidate>
      <div className="eng-grid">
        <Field id={`${id}-kind`} label="Вид" error={err('kind', 'Вид')}>
          <select
            {...aria(`${id}-kind`, err('kind', ''))}
            value={d.kind}
            disabled={kindFixed}
            onChange={(e) => set({ kind: e.target.value as EngagementKind })}
          >
            {(Object.keys(KIND_TITLES) as EngagementKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_TITLES[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-theme`} label="Тема (из утверждённого перечня)" error={err('theme', 'Тема')}>
          <select {...aria(`${id}-theme`, err('theme', ''))} value={d.theme} onChange={(e) => set({ theme: e.target.value })}>
            {themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${id}-title`} label="Название" error={err('title', 'Название')}>
        <input {...aria(`${id}-title`, err('title', ''))} value={d.title} onChange={(e) => set({ title: e.target.value })} autoComplete="off" />
      </Field>
      <Field id={`${id}-description`} label="Описание для граждан (необязательно)" error={err('description', 'Описание')}>
        <textarea
          {...aria(`${id}-description`, err('description', ''))}
          rows={3}
          value={d.description}
          onChange={(e) => set({ description: e.target.value })}
        />
      </Field>
      <fieldset className="eng-territories">
        <legend>Территория проведения</legend>
        {d.territoryIds.length === 0 ? (
          <p className="muted">Вся область</p>
        ) : (
          <ul className="eng-chips" aria-label="Выбранные территории">
            {d.territoryIds.map((t, i) => (
              <li key={t} className="chip">
                {territories.find((x) => x.value === t)?.label ?? t}
                <button
                  type="button"
                  className="quiet"
                  aria-label={`Убрать территорию: ${territories.find((x) => x.value === t)?.label ?? t}`}
                  onClick={() => set({ territoryIds: d.territoryIds.filter((x) => x !== t) })}
                >
                  ×
                </button>
                {err(`territoryIds.${i}`, 'Территория') && <span className="field-error">{err(`territoryIds.${i}`, 'Территория')}</span>}
              </li>
            ))}
          </ul>
        )}
        <Picker
          id={`${id}-territory`}
          label="Добавить муниципальное образование"
          options={territories.filter((t) => !d.territoryIds.includes(t.value))}
          value={null}
          emptyLabel="начните вводить название"
          onChange={(v) => v && set({ territoryIds: [...d.territoryIds, v] })}
          error={err('territoryIds', 'Территории')}
        />
      </fieldset>
      <div className="eng-grid">
        <Field id={`${id}-opens`} label="Начало (время московское)" error={err('opensAt', 'Начало')}>
          <input {...aria(`${id}-opens`, err('opensAt', ''))} type="datetime-local" value={d.opensAt} onChange={(e) => set({ opensAt: e.target.value })} />
        </Field>
        <Field id={`${id}-closes`} label="Окончание (время московское)" error={err('closesAt', 'Окончание')}>
          <input {...aria(`${id}-closes`, err('closesAt', ''))} type="datetime-local" value={d.closesAt} onChange={(e) => set({ closesAt: e.target.value })} />
        </Field>
      </div>
      {frozen && (
        <p className="eng-note" role="note">
          Голоса уже поданы: варианты, стоимости, ограничения и вопросы изменить нельзя — меняются только название, описание и окончание.
        </p>
      )}
      {d.kind === 'vote' && <VoteFields id={id} d={d} set={set} err={err} frozen={frozen} />}
      {d.kind === 'survey' && <SurveyFields id={id} d={d} set={set} err={err} frozen={frozen} />}
      {d.kind === 'discussion' && <DiscussionFields id={id} d={d} set={set} err={err} />}
      {error !== null && error !== undefined && (
        <div className="error" role="alert">
          {error instanceof Error ? error.message : 'Ошибка'}
          {fields.version && `: ${fields.version}`}
          {others.length > 0 && (
            <ul>
              {others
                .filter(([k]) => k !== 'version')
                .map(([k, v]) => (
                  <li key={k}>{russianMessage(v, 'Поле')}</li>
                ))}
            </ul>
          )}
        </div>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </form>
  );
}

type Err = (key: string, name: string, nested?: boolean) => string | undefined;
interface PartProps {
  id: string;
  d: Draft;
  set: (patch: Partial<Draft>) => void;
  err: Err;
}

function VoteFields({ id, d, set, err, frozen }: PartProps & { frozen: boolean }) {
  const setOption = (i: number, patch: Partial<Draft['options'][number]>) => set({ options: d.options.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  return (
    <fieldset className="eng-part" disabled={frozen}>
      <legend>Голосование</legend>
      <div className="eng-grid">
        <Field id={`${id}-max`} label="Сколько вариантов можно выбрать" error={err('maxChoices', 'Число вариантов')}>
          <input
            {...aria(`${id}-max`, err('maxChoices', ''))}
            type="number"
            min={1}
            step={1}
            value={d.maxChoices}
            onChange={(e) => set({ maxChoices: e.target.value })}
          />
        </Field>
        <label className="check eng-budget-check">
          <input type="checkbox" checked={d.budget} onChange={(e) => set({ budget: e.target.checked })} /> Бюджетное голосование (у вариантов есть стоимость)
        </label>
      </div>
      {d.budget && (
        <div className="eng-grid">
          <Field id={`${id}-budget`} label="Бюджет, ₽" error={err('budgetLimit', 'Бюджет')}>
            <input
              {...aria(`${id}-budget`, err('budgetLimit', ''))}
              type="number"
              min={1}
              step={1}
              value={d.budgetLimit}
              onChange={(e) => set({ budgetLimit: e.target.value })}
            />
          </Field>
          <Field id={`${id}-share`} label="Распределить не меньше, % бюджета (необязательно)" error={err('minSpendShare', 'Доля бюджета')}>
            <input
              {...aria(`${id}-share`, err('minSpendShare', ''))}
              type="number"
              min={0}
              max={100}
              step="any"
              value={d.minSpendPercent}
              onChange={(e) => set({ minSpendPercent: e.target.value })}
            />
          </Field>
        </div>
      )}
      <h3 id={`${id}-options-title`}>Варианты</h3>
      {err('options', 'Варианты') && (
        <p className="field-error" id={`${id}-options-error`}>
          {err('options', 'Варианты')}
        </p>
      )}
      <ol className="eng-rows" aria-labelledby={`${id}-options-title`} aria-describedby={err('options', '') ? `${id}-options-error` : undefined}>
        {d.options.map((o, i) => {
          const n = i + 1;
          const titleErr = err(`options.${i}.title`, `Вариант № ${n}`);
          const costErr = err(`options.${i}.cost`, `Стоимость варианта № ${n}`);
          return (
            <li key={o.key} className="eng-row">
              <span className="eng-num" aria-hidden="true">
                {n}.
              </span>
              <input
                id={`${id}-o${i}-title`}
                aria-invalid={titleErr ? true : undefined}
                aria-describedby={titleErr || costErr ? `${id}-o${i}-error` : undefined}
                aria-label={`Вариант № ${n}: название`}
                value={o.title}
                onChange={(e) => setOption(i, { title: e.target.value })}
                autoComplete="off"
              />
              {d.budget && (
                <input
                  id={`${id}-o${i}-cost`}
                  aria-invalid={costErr ? true : undefined}
                  aria-describedby={titleErr || costErr ? `${id}-o${i}-error` : undefined}
                  className="eng-cost"
                  aria-label={`Вариант № ${n}: стоимость, ₽`}
                  placeholder="стоимость, ₽"
                  type="number"
                  min={1}
                  step={1}
                  value={o.cost}
                  onChange={(e) => setOption(i, { cost: e.target.value })}
                />
              )}
              <RowButtons
                n={n}
                what="вариант"
                count={d.options.length}
                i={i}
                onMove={(by) => set({ options: moved(d.options, i, by) })}
                onRemove={() => set({ options: d.options.filter((_, j) => j !== i) })}
              />
              {(titleErr || costErr) && (
                <p className="field-error eng-row-error" id={`${id}-o${i}-error`}>
                  {[titleErr, costErr].filter(Boolean).join('; ')}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => set({ options: [...d.options, emptyOption()] })}>
        Добавить вариант
      </button>
    </fieldset>
  );
}

function SurveyFields({ id, d, set, err, frozen }: PartProps & { frozen: boolean }) {
  const setQuestion = (i: number, patch: Partial<QuestionRow>) => set({ questions: d.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)) });
  const remove = (i: number) => {
    const gone = d.questions[i].id;
    // A question that depended on the removed one is shown always from now on.
    set({ questions: d.questions.filter((_, j) => j !== i).map((q) => (q.showIf?.questionId === gone ? { ...q, showIf: null } : q)) });
  };
  return (
    <fieldset className="eng-part" disabled={frozen}>
      <legend>Вопросы опроса</legend>
      {err('questions', 'Вопросы') && <p className="field-error">{err('questions', 'Вопросы')}</p>}
      <ol className="eng-questions">
        {d.questions.map((q, i) => (
          <QuestionEditor
            key={q.id}
            id={`${id}-q${i}`}
            i={i}
            q={q}
            previous={d.questions.slice(0, i)}
            count={d.questions.length}
            err={err}
            onChange={(patch) => setQuestion(i, patch)}
            onMove={(by) => set({ questions: moved(d.questions, i, by) })}
            onRemove={() => remove(i)}
          />
        ))}
      </ol>
      <button type="button" onClick={() => set({ questions: [...d.questions, emptyQuestion()] })}>
        Добавить вопрос
      </button>
    </fieldset>
  );
}

function QuestionEditor({
  id,
  i,
  q,
  previous,
  count,
  err,
  onChange,
  onMove,
  onRemove,
}: {
  id: string;
  i: number;
  q: QuestionRow;
  previous: QuestionRow[];
  count: number;
  err: Err;
  onChange: (patch: Partial<QuestionRow>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const n = i + 1;
  const at = `questions.${i}`;
  const hasChoices = q.type === 'single' || q.type === 'multiple';
  const controllers = previous.filter((p) => p.type === 'single' || p.type === 'multiple');
  const controller = controllers.find((p) => p.id === q.showIf?.questionId);
  const titleErr = err(`${at}.title`, `Вопрос № ${n}`);
  const typeErr = err(`${at}.type`, `Тип вопроса № ${n}`);
  const choicesErr = err(`${at}.choices`, `Варианты ответа на вопрос № ${n}`, true);
  const showIfErr = err(`${at}.showIf`, `Условие вопроса № ${n}`, true);
  return (
    <li className="eng-question">
      <fieldset>
        <legend>Вопрос № {n}</legend>
        <div className="eng-grid">
          <Field id={`${id}-title`} label="Текст вопроса" error={titleErr}>
            <input {...aria(`${id}-title`, titleErr)} value={q.title} onChange={(e) => onChange({ title: e.target.value })} autoComplete="off" />
          </Field>
          <Field id={`${id}-type`} label="Как отвечают" error={typeErr}>
            <select
              {...aria(`${id}-type`, typeErr)}
              value={q.type}
              onChange={(e) => {
                const type = e.target.value as QuestionType;
                const choosing = type === 'single' || type === 'multiple';
                onChange({ type, choices: choosing ? (q.choices.length ? q.choices : [emptyChoice(), emptyChoice()]) : [] });
              }}
            >
              {(Object.keys(QUESTION_TYPE_TITLES) as QuestionType[]).map((t) => (
                <option key={t} value={t}>
                  {QUESTION_TYPE_TITLES[t]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={q.required} onChange={(e) => onChange({ required: e.target.checked })} /> Обязательный
        </label>
        {hasChoices && (
          <div className="eng-choices">
            <p className="eng-sub" id={`${id}-choices-title`}>
              Варианты ответа
            </p>
            {choicesErr && (
              <p className="field-error" id={`${id}-choices-error`}>
                {choicesErr}
              </p>
            )}
            <ol className="eng-rows" aria-labelledby={`${id}-choices-title`}>
              {q.choices.map((c, k) => (
                <li key={c.id} className="eng-row">
                  <span className="eng-num" aria-hidden="true">
                    {k + 1}.
                  </span>
                  <input
                    id={`${id}-c${k}`}
                    aria-label={`Вопрос № ${n}, вариант ответа № ${k + 1}`}
                    aria-invalid={choicesErr ? true : undefined}
                    aria-describedby={choicesErr ? `${id}-choices-error` : undefined}
                    value={c.title}
                    onChange={(e) => onChange({ choices: q.choices.map((x, j) => (j === k ? { ...x, title: e.target.value } : x)) })}
                    autoComplete="off"
                  />
                  <RowButtons
                    n={k + 1}
                    what={`вариант ответа вопроса № ${n}`}
                    count={q.choices.length}
                    i={k}
                    onMove={(by) => onChange({ choices: moved(q.choices, k, by) })}
                    onRemove={() => onChange({ choices: q.choices.filter((_, j) => j !== k) })}
                  />
                </li>
              ))}
            </ol>
            <button type="button" onClick={() => onChange({ choices: [...q.choices, emptyChoice()] })}>
              Добавить вариант ответа
            </button>
          </div>
        )}
        {controllers.length > 0 && (
          <div className="eng-showif">
            <Field id={`${id}-showif`} label="Показывать, если в вопросе" error={showIfErr}>
              <select
                {...aria(`${id}-showif`, showIfErr)}
                value={q.showIf?.questionId ?? ''}
                onChange={(e) => onChange({ showIf: e.target.value ? { questionId: e.target.value, choiceIds: [] } : null })}
              >
                <option value="">всегда</option>
                {controllers.map((p) => (
                  <option key={p.id} value={p.id}>
                    № {previous.indexOf(p) + 1} {p.title ? `«${p.title}»` : ''}
                  </option>
                ))}
              </select>
            </Field>
            {controller && (
              <fieldset className="eng-showif-choices">
                <legend>выбран ответ</legend>
                {controller.choices.map((c, k) => (
                  <label key={c.id} className="check">
                    <input
                      type="checkbox"
                      checked={q.showIf?.choiceIds.includes(c.id) ?? false}
                      onChange={(e) => {
                        const ids = q.showIf?.choiceIds ?? [];
                        onChange({ showIf: { questionId: controller.id, choiceIds: e.target.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id) } });
                      }}
                    />{' '}
                    {c.title || `вариант № ${k + 1}`}
                  </label>
                ))}
              </fieldset>
            )}
          </div>
        )}
        <RowButtons n={n} what="вопрос" count={count} i={i} onMove={onMove} onRemove={onRemove} />
      </fieldset>
    </li>
  );
}

function DiscussionFields({ id, d, set, err }: PartProps) {
  const setSection = (i: number, patch: Partial<Draft['sections'][number]>) => set({ sections: d.sections.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <fieldset className="eng-part">
      <legend>Проект документа</legend>
      <Field id={`${id}-doc`} label="Название документа" error={err('document.title', 'Название документа') ?? err('document', 'Документ')}>
        <input
          {...aria(`${id}-doc`, err('document.title', '') ?? err('document', ''))}
          value={d.documentTitle}
          onChange={(e) => set({ documentTitle: e.target.value })}
          autoComplete="off"
        />
      </Field>
      {err('document.sections', 'Разделы') && <p className="field-error">{err('document.sections', 'Разделы')}</p>}
      <ol className="eng-questions">
        {d.sections.map((s, i) => {
          const titleErr = err(`document.sections.${i}.title`, `Заголовок раздела № ${i + 1}`);
          const textErr = err(`document.sections.${i}.text`, `Текст раздела № ${i + 1}`);
          return (
            <li key={s.key} className="eng-question">
              <fieldset>
                <legend>Раздел № {i + 1}</legend>
                <Field id={`${id}-s${i}-title`} label="Заголовок раздела" error={titleErr}>
                  <input
                    {...aria(`${id}-s${i}-title`, titleErr)}
                    value={s.title}
                    onChange={(e) => setSection(i, { title: e.target.value })}
                    autoComplete="off"
                  />
                </Field>
                <Field id={`${id}-s${i}-text`} label="Текст раздела" error={textErr}>
                  <textarea {...aria(`${id}-s${i}-text`, textErr)} rows={4} value={s.text} onChange={(e) => setSection(i, { text: e.target.value })} />
                </Field>
                <RowButtons
                  n={i + 1}
                  what="раздел"
                  count={d.sections.length}
                  i={i}
                  onMove={(by) => set({ sections: moved(d.sections, i, by) })}
                  onRemove={() => set({ sections: d.sections.filter((_, j) => j !== i) })}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => set({ sections: [...d.sections, emptySection()] })}>
        Добавить раздел
      </button>
    </fieldset>
  );
}

/** Up, down and remove for a row, each saying which row it acts on. */
function RowButtons({
  n,
  what,
  count,
  i,
  onMove,
  onRemove,
}: {
  n: number;
  what: string;
  count: number;
  i: number;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  return (
    <span className="eng-row-buttons">
      <button type="button" className="quiet" aria-label={`Поднять ${what} № ${n}`} title="Выше" disabled={i === 0} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" className="quiet" aria-label={`Опустить ${what} № ${n}`} title="Ниже" disabled={i === count - 1} onClick={() => onMove(1)}>
        ↓
      </button>
      <button type="button" className="quiet" aria-label={`Удалить ${what} № ${n}`} title="Удалить" onClick={onRemove}>
        ×
      </button>
    </span>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The id and aria attributes of an input whose field may carry an error. */
function aria(id: string, error: string | undefined) {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
}
