import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EngagementList, EngagementThemes, EngagementView } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { get, send } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { formatDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import { API, bodyOf, LIVE_MS, newDraft, STATUS_TITLES, type Draft } from './draft';
import { EngagementCard } from './EngagementCard';
import { EngagementForm } from './EngagementForm';
import './engagements.css';

/**
 * «Обсуждения, голосования и опросы» (order No. 733, items 1.3, 2.3, 4): organizers create and run
 * their organization's engagements, supervisors read every one. The status filter and the open
 * engagement (`?e=<id>`, `?e=new` for a new one) live in the address.
 */
export function EngagementsView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const chosen = params.get('e');
  const status = params.get('status');
  const [created, setCreated] = useState<string | null>(null);
  const mayCreate = me.permissions.includes(`POST ${API}`);
  const list = useQuery({
    queryKey: ['engagements', status ?? ''],
    queryFn: ({ signal }) => get<EngagementList>(`${API}${status ? `?status=${status}` : ''}`, signal),
    placeholderData: keepPreviousData,
    // The ballots column follows the engagements that take ballots now.
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'published') ? LIVE_MS : false),
  });
  const themes = useQuery({ queryKey: ['engagement-themes'], queryFn: ({ signal }) => get<EngagementThemes>(`${API}/themes`, signal), staleTime: Infinity });
  useKeys({ Escape: () => (chosen ? setParams({ e: null }) : false) });
  const items = list.data?.items ?? [];

  return (
    <div className={`eng-view${chosen ? ' with-card' : ''}`}>
      <section className="eng-list" aria-labelledby="eng-title">
        <div className="eng-bar">
          <h1 id="eng-title">Обсуждения, голосования и опросы</h1>
          <div>
            <label htmlFor="eng-status">Состояние</label>
            <select id="eng-status" value={status ?? ''} onChange={(e) => setParams({ status: e.target.value || null }, { replace: true })}>
              <option value="">все</option>
              {Object.entries(STATUS_TITLES).map(([k, t]) => (
                <option key={k} value={k}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          {mayCreate && (
            <button type="button" className="primary" onClick={() => setParams({ e: 'new' })}>
              Создать
            </button>
          )}
        </div>
        {list.isError && (
          <p className="error" role="alert">
            {list.error.message}
          </p>
        )}
        <div className="eng-scroll">
          {list.isPending ? (
            <p className="empty">Загрузка…</p>
          ) : items.length === 0 ? (
            <p className="empty">{status ? 'В этом состоянии ничего нет.' : mayCreate ? 'Пока ничего нет: нажмите «Создать».' : 'Пока ничего нет.'}</p>
          ) : (
            <table className="plain eng-table" aria-label="Обсуждения, голосования и опросы">
              <thead>
                <tr>
                  <th scope="col">Название</th>
                  <th scope="col" className="col-kind">
                    Вид
                  </th>
                  <th scope="col" className="col-theme">
                    Тема
                  </th>
                  <th scope="col">Состояние</th>
                  <th scope="col" className="col-window">
                    Сроки
                  </th>
                  <th scope="col" className="col-ballots">
                    Голосов
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <Row key={e.id} e={e} selected={e.id === chosen} />
                ))}
              </tbody>
            </table>
          )}
        </div>
        <p className="list-status" role="status">
          {list.data ? `Всего: ${items.length}` : ''}
        </p>
      </section>
      {chosen === 'new' ? (
        themes.data ? (
          <NewEngagement
            themes={themes.data.items}
            catalog={catalog}
            onDone={(id) => {
              setCreated(id);
              setParams({ e: id });
            }}
          />
        ) : (
          <aside className="eng-card">{themes.isError ? <p role="alert">{themes.error.message}</p> : 'Загрузка…'}</aside>
        )
      ) : chosen ? (
        <EngagementCard
          key={chosen}
          id={chosen}
          themes={themes.data?.items ?? []}
          catalog={catalog}
          justCreated={created === chosen}
          permissions={me.permissions}
        />
      ) : null}
    </div>
  );
}

function Row({ e, selected }: { e: EngagementView; selected: boolean }) {
  return (
    <tr className={selected ? 'selected' : ''} aria-selected={selected}>
      <td className="col-title">
        <a
          href={`?e=${e.id}`}
          onClick={(ev) => {
            ev.preventDefault();
            setParams({ e: e.id });
          }}
        >
          {e.title}
        </a>
      </td>
      <td className="col-kind">{e.kindTitle}</td>
      <td className="col-theme">{e.theme.title}</td>
      <td>
        <span className={`chip eng-st-${e.status}`}>{e.statusTitle}</span>
        {e.open && <span className="muted"> · идёт приём</span>}
        {e.timing.overdue && <span className="error"> · срок нарушен</span>}
      </td>
      <td className="col-window">
        <time dateTime={e.opensAt}>{formatDateTime(e.opensAt)}</time> — <time dateTime={e.closesAt}>{formatDateTime(e.closesAt)}</time>
      </td>
      <td className="col-ballots num">{e.kind === 'discussion' ? '—' : e.ballots}</td>
    </tr>
  );
}

function NewEngagement({ themes, catalog, onDone }: { themes: { id: string; title: string }[]; catalog: ViewProps['catalog']; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const [initial] = useState(() => newDraft(themes[0]?.id ?? ''));
  const create = useMutation({
    mutationFn: (draft: Draft) => send<EngagementView>('POST', API, bodyOf(draft)),
    onSuccess: (e) => {
      client.setQueryData(['engagement', e.id], e);
      void client.invalidateQueries({ queryKey: ['engagements'] });
      onDone(e.id);
    },
  });
  return (
    <aside className="eng-card" aria-labelledby="eng-new-title">
      <div className="card-head">
        <h2 id="eng-new-title">Новое обсуждение, голосование или опрос</h2>
        <button type="button" className="quiet close" aria-label="Закрыть без сохранения" onClick={() => setParams({ e: null })}>
          ×
        </button>
      </div>
      <p className="muted">Сохраняется черновиком: гражданам его видно только после публикации.</p>
      <EngagementForm
        id="en"
        label="Новое"
        initial={initial}
        themes={themes}
        catalog={catalog}
        kindFixed={false}
        frozen={false}
        submitLabel="Создать черновик"
        pending={create.isPending}
        error={create.error}
        onSubmit={(d) => create.mutate(d)}
        onCancel={() => setParams({ e: null })}
      />
    </aside>
  );
}
