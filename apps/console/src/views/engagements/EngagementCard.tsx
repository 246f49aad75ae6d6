import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Catalog, EngagementHistory, EngagementView } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { setParams } from '../../app/router';
import { formatFullDateTime } from '../../lib/format';
import { API, bodyOf, draftOf, errorText, fieldsOf, LIVE_MS, russianMessage, type Draft } from './draft';
import { EngagementForm } from './EngagementForm';
import { Preview, rub } from './Preview';
import { Comments } from './Comments';
import { ResultFiles } from './ResultFiles';

// ECharts comes with the participation block only, when an engagement that takes ballots is opened.
const Participation = lazy(() => import('./Participation').then((m) => ({ default: m.Participation })));

type Mode = 'view' | 'edit' | 'close' | 'result' | 'decision';

/**
 * One engagement: its facts, what a citizen sees, what the caller may do now (exactly the server's
 * `actions`), the participation while it is open and after, and its history.
 */
export function EngagementCard({
  id,
  themes,
  catalog,
  justCreated,
  permissions,
}: {
  id: string;
  themes: { id: string; title: string }[];
  catalog: Catalog;
  justCreated: boolean;
  /** The caller's routes (`me.permissions`): the files and the moderation are offered where the server takes them. */
  permissions: string[];
}) {
  const client = useQueryClient();
  const card = useQuery({
    queryKey: ['engagement', id],
    queryFn: ({ signal }) => get<EngagementView>(`${API}/${id}`, signal),
    // Published: taking ballots, or about to open, or about to close on time.
    refetchInterval: (q) => (q.state.data?.status === 'published' ? LIVE_MS : false),
  });
  const history = useQuery({
    queryKey: ['engagement-history', id],
    queryFn: ({ signal }) => get<EngagementHistory>(`${API}/${id}/history`, signal),
  });
  const [mode, setMode] = useState<Mode>('view');
  const [done, setDone] = useState<string | null>(justCreated ? 'Черновик создан' : null);
  /** A refusal to publish that names fields: the form opens with each objection next to its field. */
  const [editError, setEditError] = useState<unknown>(null);

  const changed = (e: EngagementView, text: string) => {
    client.setQueryData(['engagement', id], e);
    void client.invalidateQueries({ queryKey: ['engagements'] });
    void client.invalidateQueries({ queryKey: ['engagement-history', id] });
    void client.invalidateQueries({ queryKey: ['engagement-results', id] });
    setMode('view');
    setEditError(null);
    setDone(text);
  };
  const update = useMutation({
    mutationFn: ({ draft, version }: { draft: Draft; version: number }) => send<EngagementView>('PATCH', `${API}/${id}`, { ...bodyOf(draft), version }),
    onSuccess: (e) => changed(e, 'Изменения сохранены'),
  });
  const publish = useMutation({
    mutationFn: () => send<EngagementView>('POST', `${API}/${id}/publish`, {}),
    onSuccess: (e) => changed(e, e.open ? 'Опубликовано: приём идёт' : 'Опубликовано: приём начнётся в назначенное время'),
    onError: (e) => {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
        setEditError(e);
        setMode('edit');
      }
    },
  });

  const e = card.data;
  if (card.isPending) return <aside className="eng-card">Загрузка…</aside>;
  if (!e)
    return (
      <aside className="eng-card">
        <p className="error" role="alert">
          {card.error?.message ?? 'Не найдено'}
        </p>
      </aside>
    );
  const may = (a: EngagementView['actions'][number]) => e.actions.includes(a);
  const takesBallots = e.kind !== 'discussion' && e.status !== 'draft';

  return (
    <aside className="eng-card" aria-labelledby="eng-card-title">
      <div className="card-head">
        <h2 id="eng-card-title">{e.title}</h2>
        <button type="button" className="quiet close" aria-label="Закрыть карточку" onClick={() => setParams({ e: null })}>
          ×
        </button>
      </div>
      <p className="meta">
        {e.kindTitle} · <span className={`chip eng-st-${e.status}`}>{e.statusTitle}</span>
        {e.open && ' · идёт приём'}
      </p>
      <p className={done ? 'ok' : undefined} role="status">
        {done}
      </p>
      {mode === 'edit' ? (
        <EngagementForm
          id="ee"
          label="Изменение"
          initial={draftOf(e)}
          themes={themes}
          catalog={catalog}
          kindFixed
          frozen={e.rulesFrozen}
          submitLabel="Сохранить"
          pending={update.isPending}
          error={update.error ?? editError}
          onSubmit={(draft) => {
            setDone(null);
            setEditError(null);
            update.mutate({ draft, version: e.version });
          }}
          onCancel={() => {
            update.reset();
            setEditError(null);
            setMode('view');
          }}
        />
      ) : (
        <>
          {mode === 'view' && e.actions.length > 0 && (
            <div className="action-buttons" role="group" aria-label="Действия">
              {may('edit') && (
                <button type="button" onClick={() => (setDone(null), setMode('edit'))}>
                  Изменить
                </button>
              )}
              {may('publish') && (
                <button
                  type="button"
                  className="primary"
                  disabled={publish.isPending}
                  onClick={() => {
                    setDone(null);
                    publish.mutate();
                  }}
                >
                  Опубликовать
                </button>
              )}
              {may('close') && (
                <button type="button" className="danger" onClick={() => (setDone(null), setMode('close'))}>
                  Завершить досрочно
                </button>
              )}
              {may('publish-result') && (
                <button type="button" className="primary" onClick={() => (setDone(null), setMode('result'))}>
                  Опубликовать итоги
                </button>
              )}
              {may('record-decision') && (
                <button type="button" className="primary" onClick={() => (setDone(null), setMode('decision'))}>
                  Записать решение
                </button>
              )}
            </div>
          )}
          {publish.isError && !(publish.error instanceof ApiError && Object.keys(publish.error.fields).length > 0) && (
            <p className="error" role="alert">
              {errorText(publish.error)}
            </p>
          )}
          {mode === 'close' && (
            <TextAction
              id="ec"
              label="Досрочное завершение"
              note="Приём голосов прекратится сейчас; поданные голоса сохранятся."
              fields={[{ name: 'reason', label: 'Причина досрочного завершения', multiline: true }]}
              submitLabel="Завершить"
              danger
              path={`${API}/${id}/close`}
              onDone={(x) => changed(x, 'Завершено досрочно')}
              onCancel={() => setMode('view')}
            />
          )}
          {mode === 'result' && (
            <TextAction
              id="er"
              label="Публикация итогов"
              note="Подсчёт голосов публикуется вместе с текстом."
              fields={[{ name: 'text', label: 'Итоги словами (необязательно)', multiline: true }]}
              submitLabel="Опубликовать итоги"
              path={`${API}/${id}/result`}
              onDone={(x) => changed(x, 'Итоги опубликованы')}
              onCancel={() => setMode('view')}
            />
          )}
          {mode === 'decision' && (
            <TextAction
              id="ed"
              label="Решение по итогам"
              fields={[
                { name: 'text', label: 'Что сделано по итогам', multiline: true },
                { name: 'documentRef', label: 'Документ (номер и дата)' },
              ]}
              submitLabel="Записать решение"
              path={`${API}/${id}/decision`}
              onDone={(x) => changed(x, 'Решение записано')}
              onCancel={() => setMode('view')}
            />
          )}
        </>
      )}
      <Facts e={e} />
      <section aria-labelledby="eng-preview-title">
        <h3 id="eng-preview-title">Что видит гражданин</h3>
        <Preview e={e} />
      </section>
      {takesBallots && (
        <section aria-labelledby="eng-part-title">
          <h3 id="eng-part-title">Участие</h3>
          <Suspense fallback={<p className="muted">Загрузка…</p>}>
            <Participation e={e} />
          </Suspense>
          {e.status !== 'draft' && permissions.includes(`GET ${API}/:id/results/file`) && <ResultFiles id={e.id} />}
        </section>
      )}
      {e.status !== 'draft' && permissions.includes(`GET ${API}/:id/comments`) && (
        <section aria-labelledby="eng-comments-title">
          <h3 id="eng-comments-title">Комментарии</h3>
          <Comments id={e.id} mayModerate={permissions.includes(`POST ${API}/:id/comments/:commentId/hide`)} />
        </section>
      )}
      <section aria-labelledby="eng-history-title">
        <h3 id="eng-history-title">История</h3>
        {history.isError ? (
          <p className="error" role="alert">
            {history.error.message}
          </p>
        ) : (
          <ol className="history">
            {[...(history.data?.items ?? [])].reverse().map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{formatFullDateTime(h.at)}</time> {h.typeTitle}
                {h.reason && <> — {h.reason}</>} <span className="muted">{history.data?.people[h.actor]?.name ?? h.actor}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  );
}

function Facts({ e }: { e: EngagementView }) {
  const v = e.vote;
  return (
    <dl className="facts">
      <dt>Тема</dt>
      <dd>{e.theme.title}</dd>
      <dt>Организатор</dt>
      <dd>{e.organizer.name}</dd>
      <dt>Территория</dt>
      <dd>{e.territories.length ? e.territories.map((t) => t.name).join(', ') : 'вся область'}</dd>
      <dt>Приём</dt>
      <dd>
        с <time dateTime={e.opensAt}>{formatFullDateTime(e.opensAt)}</time> до <time dateTime={e.closesAt}>{formatFullDateTime(e.closesAt)}</time> (время
        московское)
      </dd>
      {(e.timing.resultDueAt || e.timing.decisionDueAt) && (
        <>
          <dt>Сроки (приказ № 733, п. 4)</dt>
          <dd>
            {e.timing.resultDueAt && (
              <>
                итоги — до <time dateTime={e.timing.resultDueAt}>{formatFullDateTime(e.timing.resultDueAt)}</time>
              </>
            )}
            {e.timing.decisionDueAt && (
              <>
                {e.timing.resultDueAt && '; '}решение — до <time dateTime={e.timing.decisionDueAt}>{formatFullDateTime(e.timing.decisionDueAt)}</time>
              </>
            )}
            {e.timing.overdue && <span className="error"> · срок нарушен</span>}
          </dd>
        </>
      )}
      {e.kind === 'vote' && v && (
        <>
          <dt>Правила</dt>
          <dd>
            {v.maxChoices === 1 ? 'один вариант' : `до ${v.maxChoices} вариантов`}
            {v.budgetLimit !== null && `; бюджет ${rub(v.budgetLimit)}`}
            {v.budgetLimit !== null && v.minSpendShare !== null && `, распределить не меньше ${Math.round(v.minSpendShare * 10000) / 100}%`}
            {e.rulesFrozen && ' · закреплены: голоса уже поданы'}
          </dd>
        </>
      )}
      {e.kind !== 'discussion' && (
        <>
          <dt>{e.kind === 'vote' ? 'Голосов' : 'Ответов'}</dt>
          <dd>{e.ballots}</dd>
        </>
      )}
      {e.closedAt && (
        <>
          <dt>Завершено</dt>
          <dd>
            <time dateTime={e.closedAt}>{formatFullDateTime(e.closedAt)}</time>
            {e.closeReason && ` — досрочно: ${e.closeReason}`}
          </dd>
        </>
      )}
      {e.resultPublishedAt && (
        <>
          <dt>Итоги</dt>
          <dd>
            опубликованы <time dateTime={e.resultPublishedAt}>{formatFullDateTime(e.resultPublishedAt)}</time>
            {e.resultText && <span className="eng-text">{e.resultText}</span>}
            <a href={`/results/${e.id}`} target="_blank" rel="noopener">
              Публичная страница итогов
            </a>
          </dd>
        </>
      )}
      {e.decision && (
        <>
          <dt>Решение</dt>
          <dd>
            {e.decision.documentRef}, записано <time dateTime={e.decision.decidedAt}>{formatFullDateTime(e.decision.decidedAt)}</time>
            <span className="eng-text">{e.decision.text}</span>
          </dd>
        </>
      )}
    </dl>
  );
}

/** A step that takes a text or two (a reason, the result, the decision): the server's objection next to each field. */
function TextAction({
  id,
  label,
  note,
  fields,
  submitLabel,
  danger,
  path,
  onDone,
  onCancel,
}: {
  id: string;
  label: string;
  note?: string;
  fields: { name: string; label: string; multiline?: boolean }[];
  submitLabel: string;
  danger?: boolean;
  path: string;
  onDone: (e: EngagementView) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const act = useMutation({
    mutationFn: () => send<EngagementView>('POST', path, Object.fromEntries(fields.map((f) => [f.name, (values[f.name] ?? '').trim()]))),
    onSuccess: onDone,
  });
  const errors = fieldsOf(act.error);
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    act.mutate();
  };
  return (
    <form className="action-form" aria-label={label} onSubmit={submit} noValidate>
      {note && <p>{note}</p>}
      {fields.map((f, i) => {
        const fid = `${id}-${f.name}`;
        const error = errors[f.name] ? russianMessage(errors[f.name], f.label) : undefined;
        const common = {
          id: fid,
          value: values[f.name] ?? '',
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? `${fid}-error` : undefined,
          autoFocus: i === 0,
        };
        return (
          <div className="field" key={f.name}>
            <label htmlFor={fid}>{f.label}</label>
            {f.multiline ? (
              <textarea {...common} rows={3} onChange={(ev) => setValues({ ...values, [f.name]: ev.target.value })} />
            ) : (
              <input {...common} autoComplete="off" onChange={(ev) => setValues({ ...values, [f.name]: ev.target.value })} />
            )}
            {error && (
              <p className="field-error" id={`${fid}-error`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      {act.isError && (
        <p className="error" role="alert">
          {errorText(act.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={act.isPending}>
          {submitLabel}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </form>
  );
}
