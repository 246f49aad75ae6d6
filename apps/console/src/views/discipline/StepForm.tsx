import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DisciplineCaseDetail, DisciplineStep } from '@cur/contracts';
import { ApiError, send } from '../../api/client';
import { instantOf } from './dates';
import { Field, invalid } from './fields';

type Input = 'at' | 'summary' | 'period' | 'order' | 'reason';

/** What each step's endpoint takes (the step's name is its path under the case). */
const INPUTS: Record<DisciplineStep, Input[]> = {
  'explanation-request': ['at'],
  explanation: ['at', 'summary'],
  'explanation-refusal': ['at'],
  'excluded-periods': ['period', 'reason'],
  order: ['order'],
  acknowledgement: ['at'],
  'acknowledgement-refusal': ['at'],
  closure: ['reason'],
};

const AT_LABELS: Partial<Record<DisciplineStep, string>> = {
  'explanation-request': 'Когда запрошено',
  explanation: 'Когда получено',
  'explanation-refusal': 'Когда составлен акт',
  acknowledgement: 'Когда ознакомлен',
  'acknowledgement-refusal': 'Когда составлен акт',
};

/** One procedure step: its fields, sent to the server, which checks the order and the dates. */
export function StepForm({
  c,
  step,
  title,
  onCancel,
  onDone,
}: {
  c: DisciplineCaseDetail;
  step: DisciplineStep;
  title: string;
  onCancel: () => void;
  onDone: (title: string) => void;
}) {
  const client = useQueryClient();
  const inputs = INPUTS[step];
  const [v, setV] = useState({ at: '', summary: '', from: '', to: '', reason: '', measure: '', number: '', date: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => send<DisciplineCaseDetail>('POST', `/api/v1/discipline/cases/${c.id}/${step}`, body),
    onSuccess: (updated) => {
      client.setQueryData(['discipline', 'case', c.id], updated);
      void client.invalidateQueries({ queryKey: ['discipline', 'cases'] });
      onDone(title);
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, e.message, undefined, {})),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = {};
    if (inputs.includes('at')) {
      const at = instantOf(v.at);
      if (at) body.at = at;
    }
    if (inputs.includes('summary') && v.summary.trim()) body.summary = v.summary.trim();
    if (inputs.includes('period')) Object.assign(body, { from: v.from, to: v.to });
    if (inputs.includes('reason')) body.reason = v.reason.trim();
    if (inputs.includes('order')) Object.assign(body, { measure: v.measure, number: v.number.trim(), date: v.date });
    mutation.mutate(body);
  };
  const f = (field: string) => error?.fields[field];

  return (
    <form className="d-form step-form" aria-label={title} onSubmit={submit} noValidate>
      {inputs.includes('at') && (
        <Field id="s-at" label={`${AT_LABELS[step] ?? 'Когда'} (пусто — сейчас)`} error={f('at')}>
          <input type="datetime-local" {...invalid('s-at', f('at'))} value={v.at} onChange={set('at')} />
        </Field>
      )}
      {inputs.includes('summary') && (
        <Field id="s-summary" label="Суть объяснения" error={f('summary')}>
          <textarea rows={3} {...invalid('s-summary', f('summary'))} value={v.summary} onChange={set('summary')} />
        </Field>
      )}
      {inputs.includes('period') && (
        <div className="row">
          <Field id="s-from" label="С" error={f('from')}>
            <input type="date" {...invalid('s-from', f('from'))} value={v.from} onChange={set('from')} />
          </Field>
          <Field id="s-to" label="По" error={f('to')}>
            <input type="date" {...invalid('s-to', f('to'))} value={v.to} onChange={set('to')} />
          </Field>
        </div>
      )}
      {inputs.includes('order') && (
        <div className="row">
          <Field id="s-measure" label="Взыскание" error={f('measure')}>
            <select {...invalid('s-measure', f('measure'))} value={v.measure} onChange={set('measure')}>
              <option value="">— выберите —</option>
              {c.measures.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.title}
                </option>
              ))}
            </select>
          </Field>
          <Field id="s-number" label="Номер приказа" error={f('number')}>
            <input {...invalid('s-number', f('number'))} value={v.number} onChange={set('number')} />
          </Field>
          <Field id="s-date" label="Дата приказа" error={f('date')}>
            <input type="date" {...invalid('s-date', f('date'))} value={v.date} onChange={set('date')} />
          </Field>
        </div>
      )}
      {inputs.includes('reason') && (
        <Field
          id="s-reason"
          label={step === 'closure' ? 'Почему дело закрывается без взыскания' : 'Основание (болезнь, отпуск, мнение профсоюза)'}
          error={f('reason')}
        >
          <textarea rows={2} {...invalid('s-reason', f('reason'))} value={v.reason} onChange={set('reason')} />
        </Field>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {title}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </form>
  );
}
