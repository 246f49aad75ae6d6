import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeadLetterPage } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { formatFullDateTime } from '../../lib/format';
import './admin.css';

const STATES: Record<string, string> = { pending: 'ждут повторной отправки', replayed: 'отправлены повторно', all: 'все' };

/** Events a consumer gave up on after its retries: the error, and a replay (one, or all) with a reason. */
export function DeadLettersView() {
  const { params } = useRoute();
  const state = params.get('state') ?? 'pending';
  const client = useQueryClient();
  const letters = useQuery({
    queryKey: ['dead-letters', state],
    queryFn: ({ signal }) => get<DeadLetterPage>(`/api/v1/dead-letters?state=${state}&limit=100`, signal),
  });
  // A dead letter's id, or 'all' for every pending one.
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const replay = useMutation({
    mutationFn: () =>
      target === 'all'
        ? send<{ replayed: number; remaining: number }>('POST', '/api/v1/dead-letters/replay', { reason: reason.trim() })
        : send<unknown>('POST', `/api/v1/dead-letters/${target}/replay`, { reason: reason.trim() }),
    onSuccess: (result) => {
      const r = result as { replayed?: number; remaining?: number };
      setDone(target === 'all' ? `Отправлено повторно: ${r.replayed ?? 0}; ещё ждут: ${r.remaining ?? 0}` : 'Событие отправлено повторно');
      setTarget(null);
      setReason('');
      void client.invalidateQueries({ queryKey: ['dead-letters'] });
    },
  });
  const error = replay.error instanceof ApiError ? replay.error : replay.error ? new ApiError(0, replay.error.message, undefined, {}) : null;
  const items = letters.data?.items ?? [];

  return (
    <div className="admin-view">
      <div className="admin-bar">
        <h1>Сбойные события</h1>
        <label htmlFor="dl-state">Показать</label>
        <select id="dl-state" value={state} onChange={(e) => setParams({ state: e.target.value === 'pending' ? null : e.target.value })}>
          {Object.entries(STATES).map(([code, title]) => (
            <option key={code} value={code}>
              {title}
            </option>
          ))}
        </select>
        {state === 'pending' && items.some((l) => l.replayable) && (
          <button type="button" onClick={() => setTarget('all')}>
            Отправить повторно все
          </button>
        )}
      </div>
      <p className="muted">
        Событие попадает сюда, когда обработчик не справился с ним за все попытки; очередь при этом идёт дальше. Исправьте причину, затем отправьте событие
        повторно — обработчик выполнит его один раз.
      </p>
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {target && (
        <form
          className="admin-form"
          aria-label="Повторная отправка"
          onSubmit={(e) => {
            e.preventDefault();
            replay.mutate();
          }}
        >
          <label htmlFor="dl-reason">{target === 'all' ? 'Почему отправить повторно все' : 'Почему отправить повторно'}</label>
          <input id="dl-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={!!error?.fields.reason} autoFocus />
          {error?.fields.reason && <p className="field-error">{error.fields.reason}</p>}
          {error && !error.fields.reason && (
            <p className="error" role="alert">
              {error.message}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={replay.isPending}>
              Отправить повторно
            </button>
            <button type="button" className="quiet" onClick={() => setTarget(null)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {letters.isError && (
        <p className="error" role="alert">
          {letters.error.message}
        </p>
      )}
      {letters.isSuccess && items.length === 0 && <p className="muted">Записей нет.</p>}
      {items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Когда</th>
              <th scope="col">Топик и обработчик</th>
              <th scope="col">Ключ (сообщение)</th>
              <th scope="col">Ошибка</th>
              <th scope="col">Попыток</th>
              <th scope="col">Повторная отправка</th>
            </tr>
          </thead>
          <tbody>
            {items.map((l) => (
              <tr key={l.id}>
                <td>{formatFullDateTime(l.deadLetteredAt)}</td>
                <td>
                  <code translate="no">{l.topic}</code>
                  <br />
                  <code className="muted" translate="no">
                    {l.consumer}
                  </code>
                </td>
                <td>
                  <code>{l.key}</code>
                  {l.correlationId && (
                    <div className="muted">
                      корреляция <code title="Идентификатор корреляции: по нему находятся строки журналов этого события">{l.correlationId}</code>
                    </div>
                  )}
                </td>
                <td>
                  {l.error}
                  {l.payloadWithheld && <div className="muted">Содержимое: {l.payloadWithheld}</div>}
                </td>
                <td>{l.attempts}</td>
                <td>
                  {l.replay ? (
                    <>
                      {formatFullDateTime(l.replay.at)} · {l.replay.by}
                      {l.replay.reason && <div className="muted">{l.replay.reason}</div>}
                    </>
                  ) : l.replayable ? (
                    <button type="button" onClick={() => setTarget(l.id)}>
                      Отправить повторно
                    </button>
                  ) : (
                    <span className="muted">нельзя отправить повторно</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
