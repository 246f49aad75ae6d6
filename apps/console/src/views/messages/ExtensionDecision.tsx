import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExtensionRequestList, ExtensionRequestView } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { formatFullDateTime } from '../../lib/format';

/**
 * «Решить по продлению»: the message's requests waiting for a decision, each with its term, its
 * reason and who asked; approved with an optional comment, rejected with a reason. The server
 * decides who may (not the one who asked) and refuses a term that has run out.
 */
export function ExtensionDecision({ messageId, onDone, onCancel }: { messageId: string; onDone: (title: string) => void; onCancel: () => void }) {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['extensions', messageId],
    queryFn: ({ signal }) => get<ExtensionRequestList>(`/api/v1/messages/${messageId}/extensions`, signal),
  });
  const pending = (list.data?.items ?? []).filter((r) => r.status === 'pending');
  if (list.isPending) return <p className="muted">Загрузка запросов…</p>;
  if (list.isError)
    return (
      <p className="error" role="alert">
        Не удалось загрузить запросы на продление: {list.error.message}
      </p>
    );
  if (!pending.length) return <p className="muted">Запросов на продление, ждущих решения, нет.</p>;
  return (
    <>
      {pending.map((r) => (
        <Request
          key={r.id}
          r={r}
          messageId={messageId}
          requester={list.data.people[r.requestedBy]?.name ?? r.requestedBy}
          onDone={(title) => {
            void client.invalidateQueries({ queryKey: ['extensions', messageId] });
            onDone(title);
          }}
          onCancel={onCancel}
        />
      ))}
    </>
  );
}

function Request({
  r,
  messageId,
  requester,
  onDone,
  onCancel,
}: {
  r: ExtensionRequestView;
  messageId: string;
  requester: string;
  onDone: (title: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) =>
      send('POST', `/api/v1/messages/${messageId}/extensions/${r.id}/${approve ? 'approval' : 'rejection'}`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: (_data, approve) => onDone(approve ? 'Продление одобрено' : 'Продление отклонено'),
  });
  const error = decide.error instanceof ApiError ? decide.error : null;
  const id = `x-${r.id}`;
  return (
    <form className="action-form" aria-label={`Продление на ${r.term.text}`} onSubmit={(e) => e.preventDefault()}>
      <p>
        <b>Продлить на {r.term.text}</b> — просит <span title={r.requestedBy}>{requester}</span>, {formatFullDateTime(r.requestedAt)}. Срок сейчас:{' '}
        {formatFullDateTime(r.previousDueAt)}.
      </p>
      <p className="message-text">{r.reason}</p>
      <div>
        <label htmlFor={id}>Комментарий к решению (для отказа — обязателен)</label>
        <textarea
          id={id}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error?.fields.reason ? true : undefined}
          aria-describedby={error?.fields.reason ? `${id}-error` : undefined}
        />
        {error?.fields.reason && (
          <p className="field-error" id={`${id}-error`}>
            {error.fields.reason}
          </p>
        )}
      </div>
      <div className="row">
        <button type="button" className="primary" disabled={decide.isPending} onClick={() => decide.mutate(true)}>
          Одобрить продление
        </button>
        <button type="button" className="danger" disabled={decide.isPending} onClick={() => decide.mutate(false)}>
          Отклонить
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Отмена
        </button>
      </div>
      {decide.isError && !error?.fields.reason && (
        <p className="error" role="alert">
          {decide.error.message}
        </p>
      )}
    </form>
  );
}
