import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageSummary } from '@cur/contracts';
import { Highlight } from '../../components/Highlight';
import { firstLine, formatDateTime, timeLeft } from '../../lib/format';

const ROW_HEIGHT = 28;
/** A list line has no room for «Публичное сообщение»; the full title is the chip's tooltip. */
const SHORT_CHANNELS: Record<string, string> = { pos: 'ПОС', social: 'Соцсети', appeal: 'Обращение' };
const column = createColumnHelper<MessageSummary>();

export type SortKey = 'received' | 'due';

interface Props {
  rows: MessageSummary[];
  selectedId: string | null;
  openId: string | null;
  checked: ReadonlySet<string>;
  queue: boolean;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  onToggle: (id: string) => void;
  onEnd: () => void;
  loadingMore: boolean;
}

/**
 * The list: one line per message, its text's first line in the middle. Rows are virtualized, so a
 * list of thousands scrolls as fast as one of fifty; the selected row stays in view.
 */
export function MessageTable({ rows, selectedId, openId, checked, queue, sort, onSort, onSelect, onOpen, onToggle, onEnd, loadingMore }: Props) {
  const columns = useMemo(
    () => [
      column.display({
        id: 'check',
        header: () => <span className="sr-only">Отметка</span>,
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label="Отметить"
            checked={checked.has(row.original.id)}
            onChange={() => onToggle(row.original.id)}
            onClick={(e) => e.stopPropagation()}
            tabIndex={-1}
          />
        ),
      }),
      column.accessor('dueAt', {
        id: 'due',
        header: 'Срок',
        cell: ({ row }) => {
          const m = row.original;
          const left = timeLeft(m.dueAt, m.overdue);
          return (
            <span className={`left ${left.urgency}`} title={m.dueAt ? `срок ${formatDateTime(m.dueAt)} МСК` : 'срок не установлен'}>
              {left.text}
            </span>
          );
        },
      }),
      column.accessor('receivedAt', { id: 'received', header: 'Поступило', cell: ({ getValue }) => formatDateTime(getValue()) }),
      column.accessor('preview', {
        id: 'text',
        header: 'Текст',
        cell: ({ row }) => {
          const m = row.original;
          return (
            <span className="line">
              <span className={`chip ch-${m.channel}`} title={m.channelTitle}>
                {SHORT_CHANNELS[m.channel] ?? m.channelTitle}
              </span>
              {m.importance === 'high' && <span className="chip high">важно</span>}
              <span className="text-line" title={m.preview ?? undefined}>
                {m.highlight ? <Highlight text={m.highlight} /> : firstLine(m.preview) || <em className="muted">без текста</em>}
              </span>
            </span>
          );
        },
      }),
      column.accessor((m) => m.category?.name ?? m.sourceCategory ?? '', {
        id: 'category',
        header: 'Категория',
        cell: ({ getValue }) => <span title={getValue()}>{getValue() || <span className="muted">не определена</span>}</span>,
      }),
      queue
        ? column.accessor('queueReasonTitle', {
            id: 'reason',
            header: 'Почему в очереди',
            cell: ({ getValue }) => (
              <span className="reason" title={getValue() ?? undefined}>
                {getValue()}
              </span>
            ),
          })
        : column.accessor((m) => m.organization?.name ?? '', {
            id: 'organization',
            header: 'Организация',
            cell: ({ getValue }) => <span title={getValue()}>{getValue() || <span className="muted">ЦУР</span>}</span>,
          }),
      column.accessor('territory', { id: 'territory', header: 'Территория', cell: ({ getValue }) => getValue()?.name ?? <span className="muted">—</span> }),
      column.accessor('statusTitle', {
        id: 'status',
        header: 'Статус',
        cell: ({ row }) => <span className={`chip st-${row.original.status}`}>{row.original.statusTitle}</span>,
      }),
    ],
    [checked, onToggle, queue],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (m) => m.id });
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const selectedIndex = selectedId ? rows.findIndex((m) => m.id === selectedId) : -1;

  // New rows above the ones on screen (a message arrived, a refresh) must not move what the person
  // reads: the first row in view stays where it was. At the very top, new rows simply appear.
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const i = Math.floor(el.scrollTop / ROW_HEIGHT);
    anchor.current = el.scrollTop > 0 && rows[i] ? { id: rows[i].id, offset: el.scrollTop - i * ROW_HEIGHT } : null;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (!el || !a) return;
    const i = rows.findIndex((m) => m.id === a.id);
    if (i >= 0 && Math.abs(el.scrollTop - (i * ROW_HEIGHT + a.offset)) > 1) el.scrollTop = i * ROW_HEIGHT + a.offset;
  }, [rows]);

  useEffect(() => {
    if (selectedIndex >= 0) virtual.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtual]);

  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 10) onEnd();
  }, [last, rows.length, onEnd]);

  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (last?.end ?? 0);
  const sortable: Record<string, SortKey> = { due: 'due', received: 'received' };

  return (
    <div className="table-scroll" ref={scroller} onScroll={onScroll}>
      <table className="messages" aria-label="Сообщения" aria-rowcount={rows.length}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => {
                const key = sortable[h.column.id];
                return (
                  <th
                    key={h.id}
                    className={`col-${h.column.id}`}
                    aria-sort={key ? (sort === key ? (key === 'due' ? 'ascending' : 'descending') : 'none') : undefined}
                    scope="col"
                  >
                    {key ? (
                      <button
                        type="button"
                        className="sort"
                        onClick={() => onSort(key)}
                        title={key === 'due' ? 'Сначала те, у кого меньше времени' : 'Сначала новые'}
                      >
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {sort === key ? ' ▾' : ''}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true">
              <td style={{ height: padTop }} colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = table.getRowModel().rows[item.index];
            const m = row.original;
            return (
              <tr
                key={m.id}
                data-id={m.id}
                aria-rowindex={item.index + 1}
                aria-selected={m.id === selectedId}
                className={`${m.id === selectedId ? 'selected' : ''} ${m.id === openId ? 'open' : ''} ${checked.has(m.id) ? 'checked' : ''}`}
                style={{ height: ROW_HEIGHT }}
                onClick={() => {
                  onSelect(m.id);
                  onOpen(m.id);
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true">
              <td style={{ height: padBottom }} colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">Сообщений нет</p>}
      {loadingMore && <p className="muted more">Загрузка…</p>}
    </div>
  );
}
