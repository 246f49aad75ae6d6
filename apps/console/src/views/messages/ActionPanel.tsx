import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerTemplateView, Catalog, MessageDetail } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { Picker } from '../../components/Picker';
import { categoryName, categoryOptions, organizationOptions } from '../../lib/catalog';
import { useKeys } from '../../lib/keys';
import { ExtensionDecision } from './ExtensionDecision';

/**
 * The actions of a message: exactly those the server lists in `actions` (the message life cycle
 * decides them from the status, the role and the organization); this file only knows what each
 * one asks for and where it is sent.
 */
type Field = 'text' | 'reason' | 'optionalReason' | 'redirect' | 'extension' | 'assignee' | 'decision';

interface ActionForm {
  path: string;
  fields: Field[];
  kind?: 'primary' | 'danger';
  /** The label of the text box, when the action has one. */
  textLabel?: string;
}

const FORMS: Record<string, ActionForm> = {
  'accept-moderation': { path: 'moderation-acceptance', fields: [], kind: 'primary' },
  reject: { path: 'rejection', fields: ['reason'], kind: 'danger', textLabel: 'Причина отклонения' },
  reconsider: { path: 'reconsideration', fields: ['reason'], textLabel: 'Почему сообщение рассматривается повторно' },
  take: { path: 'take', fields: [], kind: 'primary' },
  'interim-answer': { path: 'interim-answer', fields: ['text'], textLabel: 'Текст промежуточного ответа' },
  'ask-applicant': { path: 'clarification-request', fields: ['reason'], textLabel: 'Что уточнить у заявителя' },
  'applicant-answered': { path: 'clarification-received', fields: [] },
  answer: { path: 'answer', fields: ['text'], kind: 'primary', textLabel: 'Текст ответа заявителю' },
  'draft-answer': { path: 'answer-draft', fields: ['text'], textLabel: 'Проект ответа' },
  'approve-answer': { path: 'answer-approval', fields: ['optionalReason'], kind: 'primary' },
  'return-answer': { path: 'answer-return', fields: ['reason'], textLabel: 'Что доработать' },
  assign: { path: 'assignment', fields: ['assignee'] },
  redirect: { path: 'redirect', fields: ['redirect', 'reason'], textLabel: 'Причина перенаправления' },
  'request-extension': { path: 'extensions', fields: ['extension', 'reason'], textLabel: 'Обоснование продления' },
  // Its own form (ExtensionDecision): the requests waiting, each approved or rejected.
  'decide-extension': { path: '', fields: ['decision'] },
};

const UNITS: { value: string; label: string }[] = [
  { value: 'working_days', label: 'рабочих дней' },
  { value: 'working_hours', label: 'рабочих часов' },
  { value: 'calendar_days', label: 'календарных дней' },
];

interface Values {
  text: string;
  organizationId: string | null;
  direction: string;
  amount: string;
  unit: string;
  login: string;
}

interface Staff {
  items: { login: string; name: string }[];
}

export function ActionPanel({ m, catalog, onDone }: { m: MessageDetail; catalog: Catalog; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const may = (action: string) => m.actions.some((a) => a.action === action);
  const [chosen, setChosen] = useState<string | null>(null);
  const [values, setValues] = useState<Values>({
    text: '',
    organizationId: null,
    direction: 'competence',
    amount: '10',
    unit: 'working_days',
    login: m.assignee ?? '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const categoryInput = useRef<HTMLInputElement>(null);
  const organizationInput = useRef<HTMLInputElement>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [organization, setOrganization] = useState<string | null>(null);

  const staff = useQuery({ queryKey: ['staff'], queryFn: ({ signal }) => get<Staff>('/api/v1/staff', signal), enabled: may('assign') });
  const answering = chosen !== null && FORMS[chosen]?.fields.includes('text');
  const templates = useQuery({
    queryKey: ['answer-templates', m.category?.code ?? ''],
    queryFn: ({ signal }) =>
      get<{ items: AnswerTemplateView[] }>(`/api/v1/answer-templates${m.category ? `?categoryCode=${encodeURIComponent(m.category.code)}` : ''}`, signal),
    enabled: answering,
    staleTime: 60_000,
  });

  const mutation = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown; title?: string }) => send('POST', `/api/v1/messages/${m.id}/${path}`, body),
    onSuccess: (_data, { title }) => {
      setError(null);
      setDone(title ?? 'Готово');
      void client.invalidateQueries({ queryKey: ['messages'] });
      void client.invalidateQueries({ queryKey: ['message', m.id] });
      onDone(m.id);
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, e.message, undefined, {})),
  });

  const run = (path: string, body: unknown, title?: string) => {
    setDone(null);
    mutation.mutate({ path, body, title });
  };

  const suggestions = (m.classification?.suggestions ?? []).slice(0, 3);
  const rubricator = m.channel === 'social' ? 'im' : 'pos';
  const categories = useMemo(() => categoryOptions(catalog, rubricator), [catalog, rubricator]);
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);

  const categorize = (code: string | null) => {
    if (!code) {
      setError(new ApiError(400, 'Выберите категорию', undefined, { categoryCode: 'Выберите категорию' }));
      return;
    }
    run('category', { categoryCode: code, ...(organization ? { organizationId: organization } : {}) }, 'Категория выбрана');
  };

  useKeys({
    '1': () => (may('categorize') && suggestions[0] ? categorize(suggestions[0].code) : false),
    '2': () => (may('categorize') && suggestions[1] ? categorize(suggestions[1].code) : false),
    '3': () => (may('categorize') && suggestions[2] ? categorize(suggestions[2].code) : false),
    c: () => (may('categorize') ? categoryInput.current?.focus() : false),
    o: () => (may('categorize') ? organizationInput.current?.focus() : false),
  });

  const form = chosen ? FORMS[chosen] : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || !form) return;
    const body: Record<string, unknown> = {};
    const text = values.text.trim();
    if (form.fields.includes('text')) body.text = text;
    if (form.fields.includes('reason')) body.reason = text;
    if (form.fields.includes('optionalReason') && text) body.reason = text;
    if (form.fields.includes('redirect')) Object.assign(body, { organizationId: values.organizationId ?? '', direction: values.direction });
    if (form.fields.includes('extension')) Object.assign(body, { amount: Number(values.amount), unit: values.unit });
    if (form.fields.includes('assignee')) body.login = values.login || null;
    run(form.path, body, m.actions.find((a) => a.action === chosen)?.title);
  };

  const others = m.actions.filter((a) => FORMS[a.action]);
  const fieldError = (field: string) => error?.fields[field];

  return (
    <section className="actions" aria-labelledby="actions-title">
      <h3 id="actions-title">Действия</h3>
      {may('categorize') && (
        <div className="triage">
          {suggestions.length > 0 && (
            <div className="suggestions" role="group" aria-label="Предложения классификатора">
              {suggestions.map((s, i) => (
                <button key={s.code} type="button" onClick={() => categorize(s.code)} disabled={mutation.isPending} title={`Клавиша ${i + 1}`}>
                  <kbd>{i + 1}</kbd> {categoryName(catalog, s.code)} <span className="muted">{Math.round(s.probability * 100)}%</span>
                </button>
              ))}
            </div>
          )}
          <form
            className="row"
            aria-label="Категория и организация"
            onSubmit={(e) => {
              e.preventDefault();
              categorize(category);
            }}
          >
            <Picker
              label="Категория (c)"
              options={categories}
              value={category}
              onChange={setCategory}
              inputRef={categoryInput}
              placeholder="начните вводить"
              error={fieldError('categoryCode')}
            />
            <Picker
              label="Организация (o)"
              options={organizations}
              value={organization}
              onChange={setOrganization}
              inputRef={organizationInput}
              emptyLabel="по правилу маршрутизации"
              error={fieldError('organizationId')}
            />
            <button type="submit" className="primary" disabled={mutation.isPending}>
              Назначить
            </button>
          </form>
        </div>
      )}
      {may('set-importance') && (
        <button
          type="button"
          onClick={() => run('importance', { importance: m.importance === 'high' ? 'normal' : 'high', reason: 'Изменено оператором' }, 'Важность изменена')}
          disabled={mutation.isPending}
        >
          {m.importance === 'high' ? 'Снять высокую важность' : 'Высокая важность'}
        </button>
      )}
      {others.length > 0 && (
        <div className="action-buttons" role="group" aria-label="Другие действия">
          {others.map((a) => {
            const f = FORMS[a.action];
            return (
              <button
                key={a.action}
                type="button"
                className={`${f.kind ?? ''}${chosen === a.action ? ' chosen' : ''}`}
                aria-expanded={f.fields.length ? chosen === a.action : undefined}
                disabled={mutation.isPending}
                onClick={() => {
                  setError(null);
                  if (f.fields.length) setChosen(chosen === a.action ? null : a.action);
                  else run(f.path, {}, a.title);
                }}
              >
                {a.title}
              </button>
            );
          })}
        </div>
      )}
      {chosen === 'decide-extension' && (
        <ExtensionDecision
          messageId={m.id}
          onCancel={() => setChosen(null)}
          onDone={(title) => {
            setChosen(null);
            setError(null);
            setDone(title);
            void client.invalidateQueries({ queryKey: ['messages'] });
            void client.invalidateQueries({ queryKey: ['message', m.id] });
          }}
        />
      )}
      {form && chosen && chosen !== 'decide-extension' && (
        <form className="action-form" onSubmit={submit} aria-label={m.actions.find((a) => a.action === chosen)?.title}>
          {form.fields.includes('redirect') && (
            <div className="row">
              <Picker
                label="Куда"
                options={organizations}
                value={values.organizationId}
                onChange={(v) => setValues({ ...values, organizationId: v })}
                emptyLabel="выберите организацию"
                error={fieldError('organizationId')}
              />
              <div>
                <label htmlFor="a-direction">Основание</label>
                <select id="a-direction" value={values.direction} onChange={(e) => setValues({ ...values, direction: e.target.value })}>
                  <option value="competence">по компетенции</option>
                  <option value="down">подведомственной организации</option>
                  <option value="up">вышестоящей организации</option>
                </select>
              </div>
            </div>
          )}
          {form.fields.includes('extension') && (
            <div className="row">
              <label htmlFor="a-amount">Продлить на</label>
              <input
                id="a-amount"
                type="number"
                min={1}
                max={365}
                value={values.amount}
                onChange={(e) => setValues({ ...values, amount: e.target.value })}
                aria-invalid={!!fieldError('amount')}
              />
              <select aria-label="Единица срока" value={values.unit} onChange={(e) => setValues({ ...values, unit: e.target.value })}>
                {UNITS.map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
              </select>
              {fieldError('amount') && <p className="field-error">{fieldError('amount')}</p>}
            </div>
          )}
          {form.fields.includes('assignee') && (
            <div>
              <label htmlFor="a-assignee">Исполнитель</label>
              <select id="a-assignee" value={values.login} onChange={(e) => setValues({ ...values, login: e.target.value })}>
                <option value="">— никто —</option>
                {(staff.data?.items ?? []).map((u) => (
                  <option key={u.login} value={u.login} title={u.login}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {answering && (templates.data?.items.length ?? 0) > 0 && (
            <div>
              <label htmlFor="a-template">Шаблон ответа</label>
              <select
                id="a-template"
                value=""
                onChange={(e) => {
                  const t = templates.data?.items.find((x) => x.id === e.target.value);
                  if (t) setValues({ ...values, text: values.text.trim() ? `${values.text.trimEnd()}\n\n${t.body}` : t.body });
                }}
              >
                <option value="">вставить шаблон…</option>
                {templates.data?.items.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                    {t.category ? '' : ' (для всех категорий)'}
                  </option>
                ))}
              </select>
            </div>
          )}
          {form.textLabel && (
            <div>
              <label htmlFor="a-text">{form.textLabel}</label>
              <textarea
                id="a-text"
                rows={form.fields.includes('text') ? 6 : 3}
                value={values.text}
                onChange={(e) => setValues({ ...values, text: e.target.value })}
                aria-invalid={!!(fieldError('text') || fieldError('reason'))}
                autoFocus
              />
              {(fieldError('text') || fieldError('reason')) && <p className="field-error">{fieldError('text') ?? fieldError('reason')}</p>}
            </div>
          )}
          <div className="row">
            <button type="submit" className={form.kind ?? 'primary'} disabled={mutation.isPending}>
              {m.actions.find((a) => a.action === chosen)?.title}
            </button>
            <button type="button" className="quiet" onClick={() => setChosen(null)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
          {Object.keys(error.fields).length > 0 && !form && `: ${Object.values(error.fields).join('; ')}`}
        </p>
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {m.actions.length === 0 && <p className="muted">Действий с этим сообщением сейчас нет.</p>}
    </section>
  );
}
