import { useId, useMemo, useState } from 'react';
import type { Answer, EngagementView, QuestionDef } from '@cur/contracts';
// The domain's own branching rule, the one the server checks ballots by: a pure module (no Node, no
// dependencies), imported by path because the package's index also brings server-only code.
import { minimumSpend, visibleQuestions } from '../../../../../libs/domain/src/engagement/ballot-rules';
import { QUESTION_TYPE_TITLES } from './draft';

const ROUBLES = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
export const rub = (n: number) => `${ROUBLES.format(n)}\u00a0₽`;

/**
 * What a citizen is shown: a vote's options with their costs and rules, a survey's questions as the
 * citizen meets them (answer here and the follow-up questions appear, by the same rule the server
 * applies), a discussion's document.
 */
export function Preview({ e }: { e: EngagementView }) {
  if (e.kind === 'vote') return <VotePreview e={e} />;
  if (e.kind === 'survey') return <SurveyPreview questions={e.questions} />;
  return (
    <div className="eng-preview">
      {e.description && <p>{e.description}</p>}
      <p className="eng-doc-title">
        {e.document?.title ?? 'Документ не задан'}
        {e.document && <span className="muted"> · редакция {e.document.version}</span>}
      </p>
      {e.document?.sections.map((s, i) => (
        <details key={s.id}>
          <summary>
            {i + 1}. {s.title}
          </summary>
          <p className="eng-text">{s.text}</p>
        </details>
      ))}
    </div>
  );
}

function VotePreview({ e }: { e: EngagementView }) {
  const v = e.vote;
  const [chosen, setChosen] = useState<string[]>([]);
  const name = useId();
  const single = (v?.maxChoices ?? 1) === 1;
  const spent = e.options.filter((o) => chosen.includes(o.id)).reduce((s, o) => s + (o.cost ?? 0), 0);
  return (
    <fieldset className="eng-preview">
      <legend>
        {single ? 'Выберите один вариант' : `Выберите до ${v?.maxChoices} вариантов`}
        {v?.budgetLimit != null && ` на сумму не больше ${rub(v.budgetLimit)}`}
      </legend>
      {e.description && <p>{e.description}</p>}
      {e.options.length === 0 && <p className="muted">Вариантов пока нет.</p>}
      {e.options.map((o) => (
        <label key={o.id} className="check eng-preview-option">
          <input
            type={single ? 'radio' : 'checkbox'}
            name={name}
            checked={chosen.includes(o.id)}
            onChange={(ev) => setChosen(single ? [o.id] : ev.target.checked ? [...chosen, o.id] : chosen.filter((x) => x !== o.id))}
          />{' '}
          {o.title}
          {o.cost !== null && <span className="muted"> — {rub(o.cost)}</span>}
        </label>
      ))}
      {v?.budgetLimit != null && (
        <p className="muted">
          Выбрано на {rub(spent)} из {rub(v.budgetLimit)}
          {minimumSpend(v) !== null && `; нужно распределить не меньше ${rub(minimumSpend(v) ?? 0)}`}
        </p>
      )}
    </fieldset>
  );
}

function SurveyPreview({ questions }: { questions: QuestionDef[] }) {
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const base = useId();
  const shown = useMemo(() => new Set(visibleQuestions(questions, answers).map((q) => q.id)), [questions, answers]);
  const hidden = questions.length - shown.size;
  const number = (id: string) => questions.findIndex((q) => q.id === id) + 1;
  if (questions.length === 0) return <p className="muted">Вопросов пока нет.</p>;
  return (
    <div className="eng-preview">
      <p className="muted">Отвечайте здесь, как гражданин: вопросы с условием появляются при нужном ответе. Ответы никуда не отправляются.</p>
      <ol className="eng-preview-questions">
        {questions.map((q, i) =>
          shown.has(q.id) ? (
            <li key={q.id} value={i + 1}>
              <fieldset>
                <legend>
                  {q.title}
                  {q.required ? ' *' : ''} <span className="muted">({QUESTION_TYPE_TITLES[q.type]})</span>
                </legend>
                {q.showIf && (
                  <p className="muted eng-condition">
                    Показывается, если в вопросе № {number(q.showIf.questionId)} выбран ответ{' '}
                    {q.showIf.choiceIds
                      .map((c) => `«${questions.find((x) => x.id === q.showIf?.questionId)?.choices?.find((x) => x.id === c)?.title ?? '—'}»`)
                      .join(' или ')}
                  </p>
                )}
                <AnswerInput q={q} name={`${base}-${i}`} value={answers[q.id]} onChange={(a) => setAnswers((x) => ({ ...x, [q.id]: a }))} />
              </fieldset>
            </li>
          ) : null,
        )}
      </ol>
      {hidden > 0 && <p className="muted">Скрыто вопросов: {hidden} — они появятся при других ответах.</p>}
    </div>
  );
}

function AnswerInput({ q, name, value, onChange }: { q: QuestionDef; name: string; value: Answer | undefined; onChange: (a: Answer) => void }) {
  if (q.type === 'single' || q.type === 'multiple') {
    const list = Array.isArray(value) ? value : [];
    return (
      <>
        {(q.choices ?? []).map((c) => (
          <label key={c.id} className="check eng-preview-option">
            <input
              type={q.type === 'single' ? 'radio' : 'checkbox'}
              name={name}
              checked={q.type === 'single' ? value === c.id : list.includes(c.id)}
              onChange={(ev) => onChange(q.type === 'single' ? c.id : ev.target.checked ? [...list, c.id] : list.filter((x) => x !== c.id))}
            />{' '}
            {c.title}
          </label>
        ))}
      </>
    );
  }
  if (q.type === 'scale')
    return (
      <span className="eng-scale">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="check">
            <input type="radio" name={name} checked={value === n} onChange={() => onChange(n)} /> {n}
          </label>
        ))}
      </span>
    );
  return <textarea aria-label={`Ответ: ${q.title}`} rows={2} value={typeof value === 'string' ? value : ''} onChange={(ev) => onChange(ev.target.value)} />;
}
