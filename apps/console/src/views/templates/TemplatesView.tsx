import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerTemplateEvent, AnswerTemplateHistory, AnswerTemplateView, Catalog } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import type { ViewProps } from '../../app/views';
import { setParams, useRoute } from '../../app/router';
import { Picker, type PickerOption } from '../../components/Picker';
import { categoryName, categoryOptions } from '../../lib/catalog';
import { firstLine, formatDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import './templates.css';

const LIST = '/api/v1/answer-templates';
// The same request as the answer form of a message without a category: they share the cache.
const LIST_KEY = ['answer-templates', ''];

const EVENT_TITLES: Record<AnswerTemplateEvent['type'], string> = { created: 'Создан', updated: 'Изменён', removed: 'Удалён' };
const FIELD_TITLES: Record<string, string> = { categoryCode: 'категория', title: 'заголовок', body: 'текст', active: 'действует' };
const FOR_ALL = 'Для всех категорий';

interface Group {
  code: string | null;
  name: string;
  items: AnswerTemplateView[];
}

const errorOf = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : 'Ошибка', undefined, {}));

/**
 * Answer templates for admins: the list by category, and beside it the chosen template (or a new
 * one) with its history. Those who answer see a category's own templates and those for all
 * categories in the answer form of a message.
 */
export function TemplatesView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const chosen = params.get('template');
  const category = params.get('category');
  const [filter, setFilter] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const can = (route: string) => me.permissions.includes(route);
  const templates = useQuery({ queryKey: LIST_KEY, queryFn: ({ signal }) => get<{ items: AnswerTemplateView[] }>(LIST, signal) });
  const categories = useMemo(() => categoryOptions(catalog), [catalog]);
  useKeys({ Escape: () => (chosen ? setParams({ template: null }) : false) });

  const groups = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const byCode = new Map<string | null, Group>();
    for (const t of templates.data?.items ?? []) {
      // A category shows what the answer form offers for it: its own templates and those for all.
      if (category && t.categoryCode !== category && t.categoryCode !== null) continue;
      if (!words.every((w) => `${t.title} ${t.body}`.toLowerCase().includes(w))) continue;
      const name = t.categoryCode ? (t.category?.name ?? categoryName(catalog, t.categoryCode)) : FOR_ALL;
      const group = byCode.get(t.categoryCode) ?? { code: t.categoryCode, name, items: [] };
      group.items.push(t);
      byCode.set(t.categoryCode, group);
    }
    // Those for all categories first: they are offered with every message.
    return [...byCode.values()].sort((a, b) => (a.code === null ? -1 : b.code === null ? 1 : a.name.localeCompare(b.name, 'ru')));
  }, [templates.data, filter, category, catalog]);
  const shown = groups.reduce((n, g) => n + g.items.length, 0);

  return (
    <div className={`templates-view${chosen ? ' with-card' : ''}`}>
      <section className="templates-list" aria-labelledby="templates-title">
        <div className="templates-bar">
          <h1 id="templates-title">Шаблоны ответов</h1>
          <div>
            <label htmlFor="templates-filter">Найти</label>
            <input id="templates-filter" type="search" placeholder="заголовок или текст" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
          <Picker
            label="Категория"
            options={categories}
            value={category}
            onChange={(v) => setParams({ category: v }, { replace: true })}
            emptyLabel="все категории"
          />
          {can(`POST ${LIST}`) && (
            <button type="button" className="primary" onClick={() => setParams({ template: 'new' })}>
              Новый шаблон
            </button>
          )}
        </div>
        {templates.isError && (
          <p className="error" role="alert">
            {templates.error.message}
          </p>
        )}
        <div className="templates-scroll">
          {templates.isPending ? (
            <p className="empty">Загрузка…</p>
          ) : shown === 0 ? (
            <p className="empty">{filter || category ? 'Шаблонов по этому отбору нет.' : 'Шаблонов пока нет.'}</p>
          ) : (
            <table className="plain templates-table">
              <thead>
                <tr>
                  <th scope="col">Заголовок</th>
                  <th scope="col">Начало текста</th>
                  <th scope="col">Изменён</th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.code ?? ''}>
                  <tr className="group">
                    <th scope="rowgroup" colSpan={3}>
                      {g.name} <span className="muted">· {g.items.length}</span>
                    </th>
                  </tr>
                  {g.items.map((t) => (
                    <tr key={t.id} className={t.id === chosen ? 'selected' : ''} aria-selected={t.id === chosen}>
                      <td>
                        <a
                          href={`?template=${t.id}`}
                          onClick={(e) => {
                            e.preventDefault();
                            setParams({ template: t.id });
                          }}
                        >
                          {t.title}
                        </a>
                      </td>
                      <td className="excerpt" title={t.body}>
                        {firstLine(t.body)}
                      </td>
                      <td className="when">
                        <time dateTime={t.updatedAt}>{formatDateTime(t.updatedAt)}</time> <span className="muted">{t.updatedBy}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          )}
        </div>
        <p className="list-status" role="status">
          {templates.data ? `Шаблонов: ${shown}${shown !== templates.data.items.length ? ` из ${templates.data.items.length}` : ''}` : ''}
          {category && ' · с выбранной категорией показаны и шаблоны для всех категорий: их тоже предлагают отвечающему'}
        </p>
      </section>
      {chosen === 'new' ? (
        <NewTemplate
          categories={categories}
          initialCategory={category}
          onDone={(id) => {
            setCreated(id);
            setParams({ template: id });
          }}
        />
      ) : chosen ? (
        <TemplateCard
          key={chosen}
          id={chosen}
          listed={templates.data?.items.find((t) => t.id === chosen)}
          catalog={catalog}
          categories={categories}
          justCreated={created === chosen}
          can={can}
        />
      ) : null}
    </div>
  );
}

interface Draft {
  categoryCode: string | null;
  title: string;
  body: string;
  reason: string;
}

/** The fields of a template, with the server's objection next to each. */
function TemplateForm({
  id,
  label,
  initial,
  categories,
  reasonLabel,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  initial: Draft;
  categories: PickerOption[];
  reasonLabel: string;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit: (draft: Draft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const dirty = draft.categoryCode !== initial.categoryCode || draft.title !== initial.title || draft.body !== initial.body || draft.reason !== initial.reason;
  // Esc does not throw away what was typed; with nothing typed it closes the form.
  useKeys({ Escape: () => (dirty ? undefined : onCancel()) });
  const fieldError = (field: string) => error?.fields[field];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(draft);
  };
  return (
    <form className="template-form" aria-label={label} onSubmit={submit} noValidate>
      <Picker
        label="Для какой категории"
        options={categories}
        value={draft.categoryCode}
        onChange={(v) => setDraft({ ...draft, categoryCode: v })}
        emptyLabel="для всех категорий"
        error={fieldError('categoryCode')}
      />
      <Field id={`${id}-title`} label="Заголовок (его видит отвечающий в списке шаблонов)" error={fieldError('title')}>
        <input
          id={`${id}-title`}
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          aria-invalid={!!fieldError('title')}
          aria-describedby={fieldError('title') ? `${id}-title-error` : undefined}
          autoComplete="off"
        />
      </Field>
      <Field id={`${id}-body`} label="Текст ответа" error={fieldError('body')}>
        <textarea
          id={`${id}-body`}
          rows={10}
          value={draft.body}
          onChange={(e) => setDraft({ ...draft, body: e.target.value })}
          aria-invalid={!!fieldError('body')}
          aria-describedby={fieldError('body') ? `${id}-body-error` : undefined}
        />
      </Field>
      <Field id={`${id}-reason`} label={reasonLabel} error={fieldError('reason')}>
        <input
          id={`${id}-reason`}
          value={draft.reason}
          onChange={(e) => setDraft({ ...draft, reason: e.target.value })}
          aria-invalid={!!fieldError('reason')}
          aria-describedby={fieldError('reason') ? `${id}-reason-error` : undefined}
          autoComplete="off"
        />
      </Field>
      {error && (
        <p className="error" role="alert">
          {error.message}
          {error.fields.version && `: ${error.fields.version}`}
        </p>
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

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: React.ReactNode }) {
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

/** What the server takes: the category as a code or null (for all), the texts as typed (it trims the title itself). */
const bodyOf = (draft: Draft) => ({ categoryCode: draft.categoryCode, title: draft.title, body: draft.body });

function NewTemplate({ categories, initialCategory, onDone }: { categories: PickerOption[]; initialCategory: string | null; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (draft: Draft) => send<AnswerTemplateView>('POST', LIST, { ...bodyOf(draft), ...(draft.reason.trim() ? { reason: draft.reason.trim() } : {}) }),
    onSuccess: (template) => {
      void client.invalidateQueries({ queryKey: ['answer-templates'] });
      onDone(template.id);
    },
  });
  return (
    <aside className="template-card" aria-labelledby="new-template-title">
      <h2 id="new-template-title">Новый шаблон</h2>
      <TemplateForm
        id="nt"
        label="Новый шаблон"
        initial={{ categoryCode: initialCategory, title: '', body: '', reason: '' }}
        categories={categories}
        reasonLabel="Основание (необязательно)"
        submitLabel="Создать"
        pending={create.isPending}
        error={create.error ? errorOf(create.error) : null}
        onSubmit={(draft) => create.mutate(draft)}
        onCancel={() => setParams({ template: null })}
      />
    </aside>
  );
}

function TemplateCard({
  id,
  listed,
  catalog,
  categories,
  justCreated,
  can,
}: {
  id: string;
  listed: AnswerTemplateView | undefined;
  catalog: Catalog;
  categories: PickerOption[];
  justCreated: boolean;
  can: (route: string) => boolean;
}) {
  const client = useQueryClient();
  const mayRead = can(`GET ${LIST}/:id/history`);
  const history = useQuery({
    queryKey: ['answer-template', id],
    queryFn: ({ signal }) => get<AnswerTemplateHistory>(`${LIST}/${id}/history`, signal),
    enabled: mayRead,
  });
  const [mode, setMode] = useState<'view' | 'edit' | 'remove'>('view');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(justCreated ? 'Шаблон создан' : null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['answer-templates'] });
    void client.invalidateQueries({ queryKey: ['answer-template', id] });
  };
  const update = useMutation({
    mutationFn: ({ draft, version }: { draft: Draft; version: number }) =>
      send<AnswerTemplateView>('PUT', `${LIST}/${id}`, { ...bodyOf(draft), reason: draft.reason.trim(), version }),
    onSuccess: (t, { version }) => {
      setMode('view');
      setDone(t.version === version ? 'Изменений нет' : 'Изменения сохранены');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => send<{ id: string; removed: boolean }>('DELETE', `${LIST}/${id}?reason=${encodeURIComponent(reason.trim())}`),
    onSuccess: () => {
      setMode('view');
      setReason('');
      setDone('Шаблон удалён: отвечающим он больше не предлагается');
      refresh();
    },
  });

  const t = history.data?.template ?? listed;
  if (mayRead && history.isPending) return <aside className="template-card">Загрузка…</aside>;
  if (!t)
    return (
      <aside className="template-card">
        <p className="error" role="alert">
          {history.error?.message ?? 'Шаблон не найден'}
        </p>
      </aside>
    );
  const events = history.data?.items ?? [];
  const removed = events.at(-1)?.type === 'removed';
  const removeError = remove.error ? errorOf(remove.error) : null;

  return (
    <aside className="template-card" aria-labelledby="template-title">
      <div className="card-head">
        <h2 id="template-title">{t.title}</h2>
        <button type="button" className="quiet close" aria-label="Закрыть карточку шаблона" onClick={() => setParams({ template: null })}>
          ×
        </button>
      </div>
      <p className="meta">
        {t.category?.name ?? (t.categoryCode ? categoryName(catalog, t.categoryCode) : FOR_ALL)} · версия {t.version} · изменён{' '}
        <time dateTime={t.updatedAt}>{formatDateTime(t.updatedAt)}</time> ({t.updatedBy}){removed && ' · удалён'}
      </p>
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {mode === 'edit' ? (
        <TemplateForm
          id="et"
          label="Изменение шаблона"
          initial={{ categoryCode: t.categoryCode, title: t.title, body: t.body, reason: '' }}
          categories={categories}
          reasonLabel="Причина изменения"
          submitLabel="Сохранить"
          pending={update.isPending}
          error={update.error ? errorOf(update.error) : null}
          onSubmit={(draft) => {
            setDone(null);
            update.mutate({ draft, version: t.version });
          }}
          onCancel={() => {
            update.reset();
            setMode('view');
          }}
        />
      ) : (
        <>
          <div className="message-text template-body">{t.body}</div>
          {!removed && mode === 'view' && (
            <div className="row">
              {can(`PUT ${LIST}/:id`) && (
                <button
                  type="button"
                  onClick={() => {
                    setDone(null);
                    setMode('edit');
                  }}
                >
                  Изменить
                </button>
              )}
              {can(`DELETE ${LIST}/:id`) && (
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    setDone(null);
                    setMode('remove');
                  }}
                >
                  Удалить
                </button>
              )}
            </div>
          )}
          {mode === 'remove' && (
            <form
              className="template-form"
              aria-label="Удаление шаблона"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                remove.mutate();
              }}
            >
              <p>Шаблон перестанет предлагаться отвечающим; его история сохранится.</p>
              <Field id="rt-reason" label="Причина удаления" error={removeError?.fields.reason}>
                <input
                  id="rt-reason"
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  aria-invalid={!!removeError?.fields.reason}
                  aria-describedby={removeError?.fields.reason ? 'rt-reason-error' : undefined}
                  autoComplete="off"
                  autoFocus
                />
              </Field>
              {removeError && (
                <p className="error" role="alert">
                  {removeError.message}
                </p>
              )}
              <div className="row">
                <button type="submit" className="danger" disabled={remove.isPending}>
                  Удалить шаблон
                </button>
                <button
                  type="button"
                  className="quiet"
                  onClick={() => {
                    remove.reset();
                    setMode('view');
                  }}
                >
                  Отмена
                </button>
              </div>
            </form>
          )}
        </>
      )}
      {mayRead && (
        <>
          <h3>История</h3>
          {history.isError ? (
            <p className="error" role="alert">
              {history.error.message}
            </p>
          ) : (
            <ol className="history template-history">
              {[...events].reverse().map((e, i) => (
                <li key={i}>
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time> {EVENT_TITLES[e.type] ?? e.type}
                  {e.reason && <> — {e.reason}</>}{' '}
                  <span className="muted" title={e.actor}>
                    {history.data?.people[e.actor]?.name ?? e.actor}
                  </span>
                  {e.type === 'updated' && <Changes event={e} catalog={catalog} />}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </aside>
  );
}

/** What a change changed: the fields named, and their values before and after on request. */
function Changes({ event, catalog }: { event: AnswerTemplateEvent; catalog: Catalog }) {
  const fields = Object.keys(event.after ?? {});
  if (!fields.length) return null;
  // The recorded fields are texts (the category a code, null for all) and `active`, a yes or no.
  const show = (field: string, value: unknown): string => {
    if (field === 'categoryCode') return typeof value === 'string' ? categoryName(catalog, value) : FOR_ALL;
    if (typeof value === 'boolean') return value ? 'да' : 'нет';
    return typeof value === 'string' ? value : '—';
  };
  return (
    <details className="changes">
      <summary>Изменено: {fields.map((f) => FIELD_TITLES[f] ?? f).join(', ')}</summary>
      <dl>
        {fields.map((f) => (
          <div key={f}>
            <dt>{FIELD_TITLES[f] ?? f}</dt>
            <dd>
              <span className="before">было: {show(f, event.before?.[f])}</span>
              <span className="after">стало: {show(f, event.after?.[f])}</span>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
