import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModeratedComment, ModeratedComments } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { formatFullDateTime } from '../../lib/format';
import { API } from './draft';

/**
 * The citizens' comments as moderators see them: threads, authors as «Участник N» (never an id),
 * reports, what is hidden and by whom; an organizer hides or shows one with a reason, which the
 * history keeps.
 */
export function Comments({ id, mayModerate }: { id: string; mayModerate: boolean }) {
  const comments = useQuery({
    queryKey: ['engagement-comments', id],
    queryFn: ({ signal }) => get<ModeratedComments>(`${API}/${id}/comments`, signal),
  });
  if (comments.isPending) return <p className="muted">Загрузка…</p>;
  if (comments.isError)
    return (
      <p className="error" role="alert">
        Не удалось загрузить комментарии: {comments.error.message}
      </p>
    );
  const { items, total, hidden } = comments.data;
  if (!total) return <p className="muted">Комментариев нет.</p>;
  return (
    <>
      <p className="muted">
        Всего {total}, скрыто {hidden}.
      </p>
      <ol className="eng-comments">
        {items.map((c) => (
          <Comment key={c.id} c={c} engagementId={id} mayModerate={mayModerate} />
        ))}
      </ol>
    </>
  );
}

function Comment({ c, engagementId, mayModerate }: { c: ModeratedComment; engagementId: string; mayModerate: boolean }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const hide = c.status === 'visible';
  const act = useMutation({
    mutationFn: () => send('POST', `${API}/${engagementId}/comments/${c.id}/${hide ? 'hide' : 'show'}`, { reason: reason.trim() }),
    onSuccess: () => {
      setOpen(false);
      setReason('');
      void client.invalidateQueries({ queryKey: ['engagement-comments', engagementId] });
      void client.invalidateQueries({ queryKey: ['engagement-history', engagementId] });
    },
  });
  const error = act.error instanceof ApiError ? act.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.mutate();
  };
  const reasonId = `cm-reason-${c.id}`;
  return (
    <li className={c.status === 'hidden' ? 'hidden-comment' : undefined} data-comment={c.id}>
      <div className="muted">
        <b>{c.author}</b> · {formatFullDateTime(c.createdAt)}
        {c.sectionTitle && ` · раздел «${c.sectionTitle}»`}
        {c.reports > 0 && ` · жалоб: ${c.reports}`}
        {c.status === 'hidden' && <span className="error"> · скрыт{c.hiddenReason ? `: ${c.hiddenReason}` : ''}</span>}
      </div>
      <p className="eng-text">{c.text}</p>
      {mayModerate && !open && (
        <button type="button" onClick={() => setOpen(true)}>
          {hide ? 'Скрыть' : 'Показать'}
        </button>
      )}
      {open && (
        <form className="eng-inline" onSubmit={submit} aria-label={hide ? 'Скрыть комментарий' : 'Показать комментарий'}>
          <label htmlFor={reasonId}>Причина</label>
          <input
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={error?.fields.reason ? true : undefined}
            aria-describedby={error?.fields.reason ? `${reasonId}-error` : undefined}
            autoFocus
          />
          <button type="submit" className="primary" disabled={act.isPending}>
            {hide ? 'Скрыть' : 'Показать'}
          </button>
          <button type="button" className="quiet" onClick={() => setOpen(false)}>
            Отмена
          </button>
          {error?.fields.reason && (
            <span className="field-error" id={`${reasonId}-error`}>
              {error.fields.reason}
            </span>
          )}
          {act.isError && !error?.fields.reason && (
            <span className="error" role="alert">
              {act.error.message}
            </span>
          )}
        </form>
      )}
      {c.replies.length > 0 && (
        <ol className="eng-comments">
          {c.replies.map((r) => (
            <Comment key={r.id} c={r} engagementId={engagementId} mayModerate={mayModerate} />
          ))}
        </ol>
      )}
    </li>
  );
}
