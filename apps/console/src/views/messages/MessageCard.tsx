import { useEffect, useRef } from 'react';
import type { Catalog, MessageDetail } from '@cur/contracts';
import { useMessage } from '../../api/queries';
import { formatDateTime, formatFullDateTime, timeLeft } from '../../lib/format';
import { ActionPanel } from './ActionPanel';
import { SimilarPanel } from './SimilarPanel';

interface Props {
  id: string;
  catalog: Catalog;
  onClose: () => void;
  /** An action changed the message: the list moves on to the next one. */
  onDone: (id: string) => void;
}

/** One message beside the list: what it says, where it stands, what the user may do now, its history. */
export function MessageCard({ id, catalog, onClose, onDone }: Props) {
  const message = useMessage(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const m = message.data;

  const loaded = m?.id;
  // The card's heading takes the focus when a message opens, so a screen reader says which one.
  useEffect(() => {
    if (loaded) heading.current?.focus({ preventScroll: true });
  }, [loaded]);

  return (
    <aside className="card-pane" aria-label="Карточка сообщения">
      <div className="card-head">
        <h2 ref={heading} tabIndex={-1}>
          {m ? (m.category?.name ?? 'Категория не определена') : 'Сообщение'}
        </h2>
        <button type="button" className="quiet close" onClick={onClose} aria-label="Закрыть карточку (Esc)" title="Закрыть (Esc)">
          ×
        </button>
      </div>
      {message.isPending && <p className="muted">Загрузка…</p>}
      {message.isError && (
        <p className="error" role="alert">
          {message.error.message}
        </p>
      )}
      {m && <CardBody m={m} catalog={catalog} onDone={onDone} />}
    </aside>
  );
}

function CardBody({ m, catalog, onDone }: { m: MessageDetail; catalog: Catalog; onDone: (id: string) => void }) {
  const left = timeLeft(m.dueAt, m.overdue);
  return (
    <div className="card-body">
      <p className="meta">
        <span className={`chip st-${m.status}`}>{m.statusTitle}</span> {m.channelTitle}
        {m.externalId && <> · № {m.externalId}</>} · поступило {formatDateTime(m.receivedAt)}
        {m.queueReasonTitle && (
          <>
            {' '}
            · <span className="reason">{m.queueReasonTitle}</span>
          </>
        )}
      </p>
      {m.text ? <div className="message-text">{m.text}</div> : <p className="muted">Строка выгрузки ПОС, текста нет.</p>}
      <dl className="facts">
        <dt>Организация</dt>
        <dd>{m.organization?.name ?? 'ЦУР (не назначена)'}</dd>
        {m.assignee && (
          <>
            <dt>Исполнитель</dt>
            <dd title={m.assignee}>{m.people[m.assignee]?.name ?? m.assignee}</dd>
          </>
        )}
        <dt>Территория</dt>
        <dd>{m.territory?.name ?? m.territoryRaw ?? '—'}</dd>
        <dt>Срок ответа</dt>
        <dd>
          {m.dueAt ? (
            <>
              {formatFullDateTime(m.dueAt)} МСК · <span className={`left ${left.urgency}`}>{left.text}</span>
            </>
          ) : (
            '—'
          )}
        </dd>
        {m.importance === 'high' && (
          <>
            <dt>Важность</dt>
            <dd>высокая</dd>
          </>
        )}
        {m.rating !== null && (
          <>
            <dt>Оценка заявителя</dt>
            <dd>{m.rating} из 5</dd>
          </>
        )}
        {m.applicant && (
          <>
            <dt>Заявитель</dt>
            <dd>
              {[m.applicant.name, m.applicant.phone, m.applicant.email].filter(Boolean).join(', ')}
              {m.applicant.masked && <span className="muted"> (персональные данные скрыты)</span>}
            </dd>
          </>
        )}
      </dl>
      <ActionPanel m={m} catalog={catalog} onDone={onDone} />
      <SimilarPanel m={m} onDone={onDone} />
      <section aria-labelledby="history-title">
        <h3 id="history-title">История</h3>
        <ol className="history">
          {[...m.history].reverse().map((h, i) => (
            <li key={i}>
              <time dateTime={h.at}>{formatDateTime(h.at)}</time> <span>{h.typeTitle}</span>
              {h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus && (
                <span className="muted">
                  {' '}
                  ({catalog.statuses[h.fromStatus] ?? h.fromStatus} → {catalog.statuses[h.toStatus] ?? h.toStatus})
                </span>
              )}
              {h.reason && <span>: {h.reason}</span>}{' '}
              <span className="muted" title={h.actor}>
                — {m.people[h.actor]?.name ?? h.actor}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
