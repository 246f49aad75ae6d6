import { useEffect, useRef } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { Catalog, ConsoleView, FigureMessagePage, MeView } from '@cur/contracts';
import { get } from '../api/client';
import { hrefOf, navigate } from '../app/router';
import { formatDateTime } from '../lib/format';
import { useKeys } from '../lib/keys';
import './drill.css';

const PAGE = 100;

/** The list views a message opens in, the first one the user has. */
const LIST_VIEWS: ConsoleView[] = ['all', 'inbox', 'queue'];

interface Props {
  /** The figure's query (without limit/offset); its list's total is the figure. */
  query: string;
  title: string;
  me: MeView;
  catalog: Catalog;
  onClose: () => void;
  /** Says why the list may differ from the figure the page shows (a summary is a snapshot). */
  note?: (total: number) => string | null;
  id?: string;
}

/**
 * The list of the messages a figure counts (the drill-down): its total is the figure; a row opens
 * the message in the user's list view; Esc closes it, and focus goes back to what opened it.
 */
export function DrillList({ query, title, me, catalog, onClose, note, id = 'drill' }: Props) {
  const list = useInfiniteQuery({
    queryKey: ['figure-messages', query],
    queryFn: ({ pageParam, signal }) => get<FigureMessagePage>(`/api/v1/reports/figures/messages?${query}&limit=${PAGE}&offset=${pageParam}`, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const shown = pages.reduce((n, p) => n + p.items.length, 0);
      return shown < last.total && last.items.length ? shown : undefined;
    },
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    // What opened this list (a card, a number): a later list opened from inside this one keeps the first opener.
    if (!heading.current?.parentElement?.parentElement?.contains(document.activeElement)) opener.current = document.activeElement;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [query]);

  useEffect(
    () => () => {
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    },
    [],
  );

  useKeys({ Escape: () => onClose() });

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const listView = LIST_VIEWS.find((v) => me.views.includes(v));
  const categoryName = (code: string | null) => (code ? (catalog.categories.find((c) => c.code === code)?.name ?? code) : null);
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
  const remark = total === undefined ? null : (note?.(total) ?? null);

  return (
    <section className="drill" id={id} aria-labelledby={`${id}-title`}>
      <div className="drill-head">
        <h3 id={`${id}-title`} tabIndex={-1} ref={heading}>
          {title}: <span id={`${id}-total`}>{total ?? '…'}</span>
        </h3>
        <span className="muted" role="status">
          {list.isPending ? 'Загрузка…' : `показано ${items.length}`}
        </span>
        <button type="button" onClick={onClose} title="Esc">
          Закрыть
        </button>
      </div>
      {remark && <p className="muted">{remark}</p>}
      {list.isError && (
        <p role="alert" className="error">
          Не удалось загрузить список: {list.error.message}
        </p>
      )}
      {list.data && !items.length && <p className="muted">Сообщений нет.</p>}
      {items.length > 0 && (
        <div className="drill-scroll">
          <table className="plain" id={`${id}-rows`}>
            <thead>
              <tr>
                <th scope="col">Сообщение</th>
                <th scope="col">Поступило</th>
                <th scope="col">Канал</th>
                <th scope="col">Категория</th>
                <th scope="col">Организация</th>
                <th scope="col">Статус</th>
                <th scope="col">Срок</th>
                <th scope="col">Ответ</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => {
                const href = listView ? hrefOf(listView, { m: m.id }) : null;
                const name = m.posNumber ? `№ ${m.posNumber}` : `сообщение ${m.id.slice(0, 8)}`;
                return (
                  <tr key={m.id} data-id={m.id}>
                    <td>
                      {href ? (
                        <a
                          href={href}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(href);
                          }}
                        >
                          {name}
                        </a>
                      ) : (
                        name
                      )}
                    </td>
                    <td>{when(m.receivedAt)}</td>
                    <td>{catalog.channels[m.channel] ?? m.channel}</td>
                    <td>{categoryName(m.categoryCode) ?? <span className="muted">не определена</span>}</td>
                    <td>{m.organization?.name ?? 'ЦУР'}</td>
                    <td>
                      <span className={`chip st-${m.status}`}>{catalog.statuses[m.status] ?? m.status}</span>
                    </td>
                    <td>{when(m.dueAt)}</td>
                    <td>{when(m.answeredAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Показать ещё
        </button>
      )}
    </section>
  );
}

/** A number that opens its list (a zero has none to open). */
export function Num({ n, open, title }: { n: number; open: () => void; title: string }) {
  return n ? (
    <button type="button" className="num" title={`${title}: открыть список`} onClick={open}>
      {n}
    </button>
  ) : (
    <span className="muted">0</span>
  );
}
