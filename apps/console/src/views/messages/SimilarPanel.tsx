import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MessageDetail, SimilarPage } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';

/**
 * Possible duplicates of the open message (same territory, alike text, recent), and the merge: the
 * two texts side by side, then one keystroke. The open message is the one closed as the duplicate.
 */
export function SimilarPanel({ m, onDone }: { m: MessageDetail; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const mayMerge = m.actions.some((a) => a.action === 'merge');
  const similar = useQuery({ queryKey: ['similar', m.id], queryFn: ({ signal }) => get<SimilarPage>(`/api/v1/messages/${m.id}/similar`, signal) });
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const items = similar.data?.items ?? [];
  const chosen = items.find((s) => s.id === target) ?? null;

  const merge = useMutation({
    mutationFn: () => send('POST', `/api/v1/messages/${m.id}/merge`, { targetId: target, reason: reason.trim() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['messages'] });
      void client.invalidateQueries({ queryKey: ['message'] });
      onDone(m.id);
    },
  });
  const error = merge.error instanceof ApiError ? merge.error : merge.error ? new ApiError(0, merge.error.message, undefined, {}) : null;

  const compare = (id: string) => {
    const s = items.find((x) => x.id === id);
    setTarget(id);
    setReason(s ? `Повтор сообщения от ${formatDateTime(s.receivedAt)}` : '');
  };

  useKeys({
    m: () => (mayMerge && items[0] && !target ? compare(items[0].id) : false),
    Escape: () => (target ? setTarget(null) : false),
  });

  if (similar.isPending || items.length === 0) return null;
  return (
    <section className="similar" aria-labelledby="similar-title">
      <h3 id="similar-title">
        Похожие сообщения ({items.length}){mayMerge && <span className="muted"> · m — сравнить с первым</span>}
      </h3>
      <ol>
        {items.map((s) => (
          <li key={s.id} className={s.id === target ? 'chosen' : ''}>
            <span className="muted">{Math.round(s.similarity * 100)}%</span> {formatDateTime(s.receivedAt)} · {s.statusTitle} · {s.preview}
            {mayMerge && s.id !== target && (
              <button type="button" onClick={() => compare(s.id)}>
                Сравнить
              </button>
            )}
          </li>
        ))}
      </ol>
      {chosen && (
        <form
          className="merge"
          aria-label="Объединение дублей"
          onSubmit={(e) => {
            e.preventDefault();
            merge.mutate();
          }}
        >
          <div className="side-by-side">
            <div>
              <h4>Это сообщение (будет закрыто как дубль)</h4>
              <p className="muted">{formatDateTime(m.receivedAt)}</p>
              <div className="message-text">{m.text}</div>
            </div>
            <div>
              <h4>Основное (останется в работе)</h4>
              <p className="muted">
                {formatDateTime(chosen.receivedAt)} · {chosen.statusTitle} · {chosen.organization?.name ?? 'ЦУР'}
              </p>
              <div className="message-text">{chosen.preview}</div>
            </div>
          </div>
          <label htmlFor="merge-reason">Причина</label>
          <input id="merge-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={!!error?.fields.reason} autoFocus />
          {error?.fields.reason && <p className="field-error">{error.fields.reason}</p>}
          {error && !error.fields.reason && (
            <p className="error" role="alert">
              {error.message}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={merge.isPending}>
              Объединить (Enter)
            </button>
            <button type="button" className="quiet" onClick={() => setTarget(null)}>
              Отмена (Esc)
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
