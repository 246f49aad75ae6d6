import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Catalog, MessageDeadlines, MessageDetail, PersonalDataAccessPage } from '@cur/contracts';
import { get } from '../../api/client';
import { keys, useMessage } from '../../api/queries';
import { formatDateTime, formatFullDateTime, timeLeft } from '../../lib/format';
import { ActionPanel } from './ActionPanel';
import { SimilarPanel } from './SimilarPanel';

interface Props {
  id: string;
  catalog: Catalog;
  /** Supervisors audit who was shown the applicant's personal data. */
  mayAudit: boolean;
  onClose: () => void;
  /** An action changed the message: the list moves on to the next one. */
  onDone: (id: string) => void;
}

/** One message beside the list: what it says, where it stands, what the user may do now, its history. */
export function MessageCard({ id, catalog, mayAudit, onClose, onDone }: Props) {
  const message = useMessage(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const m = message.data;

  const loaded = m?.id;
  // The card's heading takes the focus when a message opens, so a screen reader says which one;
  // not when the user has gone on to type in a field outside the card while it loaded (the bulk
  // bar, the search): the card arriving must not take their keys.
  useEffect(() => {
    if (!loaded || typingElsewhere(heading.current)) return;
    heading.current?.focus({ preventScroll: true });
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
      {m && <CardBody m={m} catalog={catalog} mayAudit={mayAudit} onDone={onDone} />}
    </aside>
  );
}

/** The history entries that carry a text: the answer sent, a draft, an interim answer. */
const textOf = (data: Record<string, unknown> | null) => (typeof data?.text === 'string' ? data.text : null);

function CardBody({ m, catalog, mayAudit, onDone }: { m: MessageDetail; catalog: Catalog; mayAudit: boolean; onDone: (id: string) => void }) {
  const left = timeLeft(m.dueAt, m.overdue);
  // The draft a head approves or returns, and an executor reworks: the latest one sent for approval.
  const draft = m.status === 'approval' || m.status === 'answer_draft' ? [...m.history].reverse().find((h) => h.type === 'answer-drafted') : undefined;
  const draftText = draft ? textOf(draft.data) : null;
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
      {draft && draftText && (
        <section aria-labelledby="draft-title">
          <h3 id="draft-title">
            Проект ответа{' '}
            <span className="muted" title={draft.actor}>
              — {m.people[draft.actor]?.name ?? draft.actor}, {formatDateTime(draft.at)}
            </span>
          </h3>
          <div className="message-text">{draftText}</div>
        </section>
      )}
      <ActionPanel m={m} catalog={catalog} onDone={onDone} />
      <SimilarPanel m={m} onDone={onDone} />
      <Deadlines m={m} catalog={catalog} />
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
              {textOf(h.data) && (
                <details>
                  <summary>Текст</summary>
                  <div className="message-text">{textOf(h.data)}</div>
                </details>
              )}
            </li>
          ))}
        </ol>
      </section>
      {mayAudit && <PersonalDataLog m={m} />}
    </div>
  );
}

const CLOCK_STATE_CLASS: Record<string, string> = { met: 'met', breached: 'late', expired: 'late' };

/** Every clock of the message: its state, when it is due and, on demand, how that was counted. */
function Deadlines({ m, catalog }: { m: MessageDetail; catalog: Catalog }) {
  const deadlines = useQuery({
    queryKey: [...keys.message(m.id), 'deadlines'],
    queryFn: ({ signal }) => get<MessageDeadlines>(`/api/v1/messages/${m.id}/deadlines`, signal),
  });
  const d = deadlines.data;
  if (deadlines.isError)
    return (
      <p className="error" role="alert">
        Сроки не загрузились: {deadlines.error.message}
      </p>
    );
  if (!d || d.clocks.length === 0) return null;
  return (
    <section aria-labelledby="clocks-title">
      <h3 id="clocks-title">
        Сроки <span className="muted">({d.policy.title})</span>
      </h3>
      <table className="plain clocks" aria-labelledby="clocks-title">
        <tbody>
          {d.clocks.map((c) => (
            <tr key={`${c.kind}-${c.generation}`}>
              <th scope="row">
                {c.title}
                {c.generation > 1 && <span className="muted"> ({c.generation}-й цикл)</span>}
                <br />
                <small className="muted">{c.term.text}</small>
              </th>
              <td className={CLOCK_STATE_CLASS[c.state] ?? ''}>{catalog.clockStates[c.state] ?? c.state}</td>
              <td>
                {c.dueAt
                  ? `${formatFullDateTime(c.dueAt)} МСК`
                  : c.waitsForCalendarYear
                    ? `не рассчитан: нет календаря на ${c.waitsForCalendarYear} г.`
                    : `с события «${c.startReason}»`}
                {c.timeLeft && <small className="muted"> · осталось {c.timeLeft.text}</small>}
                {c.lateness && <small className="late"> · просрочка {c.lateness.text}</small>}
                <details>
                  <summary>Как посчитано</summary>
                  <ul>
                    {c.explanation.lines.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const PD_FIELDS: Record<string, string> = { name: 'ФИО', phone: 'телефон', email: 'эл. почта', epguId: 'идентификатор ЕПГУ' };
const PD_PURPOSES: Record<string, string> = { 'message-view': 'открыта карточка', search: 'найдено поиском' };

/** Who was shown the applicant's personal data, when, and what of it. */
function PersonalDataLog({ m }: { m: MessageDetail }) {
  const log = useQuery({
    queryKey: [...keys.message(m.id), 'personal-data-access'],
    queryFn: ({ signal }) => get<PersonalDataAccessPage>(`/api/v1/messages/${m.id}/personal-data-access`, signal),
  });
  return (
    <section aria-labelledby="pd-title">
      <h3 id="pd-title">Доступ к персональным данным</h3>
      {log.isError && (
        <p className="error" role="alert">
          {log.error.message}
        </p>
      )}
      {log.data &&
        (log.data.items.length === 0 ? (
          <p className="muted">Никто не открывал.</p>
        ) : (
          <ol className="history">
            {[...log.data.items].reverse().map((r, i) => (
              <li key={i}>
                <time dateTime={r.at}>{formatDateTime(r.at)}</time> <span title={r.actor}>{log.data.people[r.actor]?.name ?? r.actor}</span>
                {r.organization && <span className="muted"> ({r.organization.name})</span>}: {PD_PURPOSES[r.purpose] ?? 'просмотр'};{' '}
                {r.fields.map((f) => PD_FIELDS[f] ?? 'другие данные').join(', ')}
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}

/** Whether the focus is in a field the user types into, outside the card of `inside`. */
function typingElsewhere(inside: HTMLElement | null): boolean {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active.closest('.card-pane') === inside?.closest('.card-pane')) return false;
  return active.isContentEditable || active.matches('input, textarea, select');
}
