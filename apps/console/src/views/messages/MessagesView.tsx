import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BulkResult, ConsoleView } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { useMessages } from '../../api/queries';
import { KeyHelp } from '../../components/KeyHelp';
import { Picker } from '../../components/Picker';
import { categoryOptions, organizationOptions, territoryOptions } from '../../lib/catalog';
import { BASE, setParams, useRoute } from '../../app/router';
import { useKeys } from '../../lib/keys';
import { BulkBar, BulkOutcome } from './BulkBar';
import { MessageCard } from './MessageCard';
import { SavedViews } from './SavedViews';
import { MessageTable, type SortKey } from './MessageTable';

const FIRST_LIST = 'cur:first-list';

/** The filters a list keeps in the address, so a view can be bookmarked and shared. */
const FILTERS = ['q', 'status', 'channel', 'categoryCode', 'organizationId', 'territoryId', 'importance', 'overdue', 'sort', 'assignee'] as const;

interface Props extends ViewProps {
  view: ConsoleView;
  /** The list's own query (the queue: what waits for an operator), under the user's filters. */
  base: { status?: string };
}

/**
 * A list with its card beside it: the queue, the inbox, all messages. The selection is a message id,
 * never a row number, so new rows arriving or a refresh never move it to another message.
 */
export function MessagesView({ view, base, catalog, me }: Props) {
  const { params } = useRoute();
  const openId = params.get('m');
  const [selectedId, setSelectedId] = useState<string | null>(openId);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [help, setHelp] = useState(false);
  const [bulkOutcome, setBulkOutcome] = useState<BulkResult | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const query = useMemo(() => {
    const p = new URLSearchParams({ limit: '100' });
    if (base.status && !params.get('status')) p.set('status', base.status);
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) p.set(k, v);
    }
    return p.toString();
  }, [base.status, params]);

  const list = useMessages(query);
  // The filters on screen, for a saved view: what the address holds, without the open card.
  const filterQuery = useMemo(() => {
    const p = new URLSearchParams();
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) p.set(k, v);
    }
    return p;
  }, [params]);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const sort: SortKey = params.get('sort') === 'due' ? 'due' : 'received';

  const open = useCallback((id: string | null) => setParams({ m: id }, { replace: true }), []);
  const toggle = useCallback((id: string) => setChecked((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id]))), []);
  const onEnd = useCallback(() => {
    if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [list]);

  /** After an action the next message of the list opens (or the card closes at the end of it). */
  const openNext = useCallback(
    (doneId: string) => {
      const i = rows.findIndex((m) => m.id === doneId);
      const next = rows[i + 1] ?? null;
      setSelectedId(next?.id ?? null);
      open(next?.id ?? null);
    },
    [rows, open],
  );

  const move = (step: number) => {
    if (!rows.length) return;
    const i = selectedId ? rows.findIndex((m) => m.id === selectedId) : -1;
    const next = rows[Math.max(0, Math.min(rows.length - 1, i < 0 ? 0 : i + step))];
    setSelectedId(next.id);
    if (openId) open(next.id);
  };

  useKeys({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => (selectedId ? open(selectedId) : false),
    x: () => (selectedId ? toggle(selectedId) : false),
    '/': () => searchRef.current?.focus(),
    '?': () => setHelp(true),
    Escape: () => {
      if (openId) open(null);
      else if (checked.size) setChecked(new Set());
      else return false;
    },
  });

  useEffect(() => {
    if (openId) setSelectedId(openId);
  }, [openId]);

  // The first page on screen is the moment a person can start working: `npm run bench` reads this mark.
  const shown = list.isSuccess;
  useEffect(() => {
    if (shown && performance.getEntriesByName(FIRST_LIST).length === 0) performance.mark(FIRST_LIST);
  }, [shown]);

  const filterPicker = (key: 'categoryCode' | 'organizationId' | 'territoryId', label: string, options: ReturnType<typeof categoryOptions>) => (
    <Picker label={label} options={options} value={params.get(key)} onChange={(v) => setParams({ [key]: v })} />
  );
  const categories = useMemo(() => categoryOptions(catalog), [catalog]);
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const territories = useMemo(() => territoryOptions(catalog), [catalog]);

  return (
    <div className={`messages-view${openId ? ' with-card' : ''}`}>
      <section className="list-pane" aria-label="Список сообщений">
        <form
          className="filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ q: search.trim() || null });
          }}
        >
          <div className="search">
            <label htmlFor="q">Поиск</label>
            <input
              id="q"
              ref={searchRef}
              type="search"
              value={search}
              placeholder="фраза, № ПОС, телефон, адрес"
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  e.currentTarget.blur();
                }
              }}
            />
            <button type="submit" className="find">
              Найти
            </button>
          </div>
          {view === 'all' && (
            <div>
              <label htmlFor="f-status">Статус</label>
              <select id="f-status" value={params.get('status') ?? ''} onChange={(e) => setParams({ status: e.target.value })}>
                <option value="">все</option>
                <option value="open">все открытые</option>
                {Object.entries(catalog.statuses).map(([code, title]) => (
                  <option key={code} value={code}>
                    {title}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor="f-channel">Канал</label>
            <select id="f-channel" value={params.get('channel') ?? ''} onChange={(e) => setParams({ channel: e.target.value })}>
              <option value="">все</option>
              {Object.entries(catalog.channels).map(([code, title]) => (
                <option key={code} value={code}>
                  {title}
                </option>
              ))}
            </select>
          </div>
          {filterPicker('categoryCode', 'Категория', categories)}
          {view !== 'queue' && filterPicker('organizationId', 'Организация', organizations)}
          {filterPicker('territoryId', 'Территория', territories)}
          <div>
            <label htmlFor="f-overdue">Срок</label>
            <select id="f-overdue" value={params.get('overdue') ?? ''} onChange={(e) => setParams({ overdue: e.target.value })}>
              <option value="">любой</option>
              <option value="true">просрочено</option>
              <option value="false">не просрочено</option>
            </select>
          </div>
          {view === 'inbox' && (
            <label className="check">
              <input type="checkbox" checked={params.get('assignee') === 'me'} onChange={(e) => setParams({ assignee: e.target.checked ? 'me' : null })} />
              Мои
            </label>
          )}
        </form>
        {checked.size > 0 && me.permissions.includes('POST /api/v1/messages/bulk') && (
          <BulkBar
            ids={[...checked]}
            rows={rows}
            catalog={catalog}
            onDone={(result) => {
              setBulkOutcome(result);
              const done = new Set(result.results.filter((r) => r.ok).map((r) => r.id));
              setChecked((s) => new Set([...s].filter((id) => !done.has(id))));
            }}
          />
        )}
        {bulkOutcome && <BulkOutcome result={bulkOutcome} rows={rows} onClose={() => setBulkOutcome(null)} />}
        {list.isError && (
          <p className="error" role="alert">
            Не удалось загрузить сообщения: {list.error.message}
          </p>
        )}
        <MessageTable
          rows={rows}
          selectedId={selectedId}
          openId={openId}
          checked={checked}
          queue={view === 'queue'}
          sort={sort}
          onSort={(s) => setParams({ sort: s === 'received' ? null : s })}
          onSelect={setSelectedId}
          onOpen={open}
          onToggle={toggle}
          onEnd={onEnd}
          loadingMore={list.isFetchingNextPage}
        />
        <div className="list-status">
          <span role="status">
            {list.isPending ? 'Загрузка…' : `Показано ${rows.length}${list.hasNextPage ? '+' : ''}`}
            {checked.size > 0 && ` · отмечено ${checked.size}`}
          </span>
          <SavedViews query={filterQuery} base={`${BASE}${view}`} />
          <button type="button" className="quiet help" onClick={() => setHelp(true)}>
            Клавиши <kbd>?</kbd>
          </button>
        </div>
      </section>
      {help && <KeyHelp onClose={() => setHelp(false)} />}
      {openId && (
        <MessageCard
          key={openId}
          id={openId}
          catalog={catalog}
          mayAudit={me.permissions.includes('GET /api/v1/messages/:id/personal-data-access')}
          onClose={() => open(null)}
          onDone={openNext}
        />
      )}
    </div>
  );
}
