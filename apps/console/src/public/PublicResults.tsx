import { useEffect, useState } from 'react';
import type { PublicEngagementResults } from '@cur/contracts';
import { formatFullDateTime } from '../lib/format';
import './public.css';

type State = { kind: 'loading' } | { kind: 'missing'; message: string } | { kind: 'ready'; r: PublicEngagementResults };

const share = (n: number, total: number) => (total ? Math.round((n / total) * 1000) / 10 : 0);
const SCALE = ['1', '2', '3', '4', '5'];

/**
 * The public page of an engagement's result (`/results/<id>`): for anyone, no sign-in, from the
 * public route, which holds no personal data — the counts as the organizer published them and the
 * decision taken.
 */
export function PublicResults({ id }: { id: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/v1/public/engagements/${encodeURIComponent(id)}`, { signal: controller.signal })
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as (PublicEngagementResults & { message?: string }) | null;
        if (!res.ok || !body) setState({ kind: 'missing', message: body?.message ?? 'Итоги не найдены' });
        else {
          setState({ kind: 'ready', r: body });
          document.title = `Итоги: ${body.title}`;
        }
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'missing', message: `Не удалось загрузить итоги: ${(error as Error).message}` });
      });
    return () => controller.abort();
  }, [id]);

  if (state.kind === 'loading') return <p className="splash">Загрузка…</p>;
  if (state.kind === 'missing')
    return (
      <main className="public-results">
        <h1>Итоги</h1>
        <p role="alert">{state.message}</p>
      </main>
    );
  const { r } = state;
  const total = r.results.totalBallots;
  return (
    <main className="public-results">
      <p className="muted">
        {r.kindTitle} · {r.theme.title} · {r.organizer.name}
        {r.territories.length ? ` · ${r.territories.map((t) => t.name).join(', ')}` : ''}
      </p>
      <h1>{r.title}</h1>
      {r.description && <p>{r.description}</p>}
      <p>
        Проходило с {formatFullDateTime(r.opensAt)} по {formatFullDateTime(r.closedAt)} (МСК). Участников: <b>{total}</b>. Итоги опубликованы{' '}
        {formatFullDateTime(r.resultPublishedAt)}.
      </p>
      {r.resultText && (
        <section aria-labelledby="pr-result">
          <h2 id="pr-result">Итог</h2>
          <p>{r.resultText}</p>
        </section>
      )}
      {r.results.options.length > 0 && (
        <section aria-labelledby="pr-options">
          <h2 id="pr-options">Голоса по вариантам</h2>
          <table className="pr-table">
            <thead>
              <tr>
                <th scope="col">Вариант</th>
                <th scope="col">Голосов</th>
                <th scope="col">Доля участников</th>
              </tr>
            </thead>
            <tbody>
              {r.results.options.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    {o.title}
                    {o.cost !== null && <span className="muted"> · {o.cost.toLocaleString('ru-RU')} ₽</span>}
                  </th>
                  <td>{o.votes}</td>
                  <td>
                    <span className="pr-bar" style={{ width: `${share(o.votes, total)}%` }} aria-hidden="true" /> {share(o.votes, total)}%
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {r.results.questions.map((q) => {
        const entries = q.type === 'scale' ? SCALE.map((k) => [k, q.answers[k] ?? 0] as const) : Object.entries(q.answers);
        return (
          <section key={q.id} aria-label={q.title}>
            <h2>{q.title}</h2>
            {q.type === 'text' ? (
              <p>Ответили: {q.answers.answered ?? 0}. Тексты ответов публикует организатор.</p>
            ) : (
              <table className="pr-table">
                <tbody>
                  {entries.map(([answer, n]) => (
                    <tr key={answer}>
                      <th scope="row">{q.type === 'scale' ? `Оценка ${answer}` : answer}</th>
                      <td>{n}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
      {r.decision && (
        <section aria-labelledby="pr-decision">
          <h2 id="pr-decision">Что сделано по итогам</h2>
          <p>{r.decision.text}</p>
          <p className="muted">
            {r.decision.documentRef}, {formatFullDateTime(r.decision.decidedAt)}
          </p>
        </section>
      )}
    </main>
  );
}
