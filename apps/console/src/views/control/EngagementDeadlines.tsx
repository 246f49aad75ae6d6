import { useQuery } from '@tanstack/react-query';
import type { EngagementDeadlines as Deadlines } from '@cur/contracts';
import { get } from '../../api/client';
import { hrefOf } from '../../app/router';
import { formatDateTime } from '../../lib/format';

const STATES: Record<Deadlines['items'][number]['state'], string> = { on_time: 'в срок', at_risk: 'срок на исходе', overdue: 'просрочено' };

/**
 * The results and decisions of discussions, votes and surveys still to come (order No. 733,
 * item 4), beside the messages' deadlines: the soonest first, each on time, at risk or overdue.
 */
export function EngagementDeadlines() {
  const deadlines = useQuery({
    queryKey: ['engagements', 'deadlines'],
    queryFn: ({ signal }) => get<Deadlines>('/api/v1/engagements/deadlines', signal),
    refetchInterval: 60_000,
  });
  return (
    <section aria-labelledby="engagement-deadlines-title">
      <h2 id="engagement-deadlines-title">Сроки обсуждений, голосований и опросов</h2>
      {deadlines.isError && (
        <p className="error" role="alert">
          Не удалось загрузить сроки: {deadlines.error.message}
        </p>
      )}
      {deadlines.data && deadlines.data.items.length > 0 && (
        <table className="plain" aria-labelledby="engagement-deadlines-title">
          <thead>
            <tr>
              <th scope="col">Обсуждение, голосование или опрос</th>
              <th scope="col">Этап</th>
              <th scope="col">Организатор</th>
              <th scope="col">Срок</th>
              <th scope="col">Состояние</th>
            </tr>
          </thead>
          <tbody>
            {deadlines.data.items.map((d) => (
              <tr key={`${d.id}-${d.stage}`} data-engagement={d.id}>
                <td>
                  <a href={hrefOf('organizer', { e: d.id })}>{d.title}</a> <span className="muted">{d.kindTitle}</span>
                </td>
                <td>{d.stageTitle}</td>
                <td>{d.organizer.name}</td>
                <td>{formatDateTime(d.dueAt)}</td>
                <td className={d.state === 'overdue' ? 'late' : undefined}>
                  {STATES[d.state]}
                  {d.left ? `, осталось ${d.left}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deadlines.data?.items.length === 0 && <p className="muted">Итогов и решений, ждущих своего срока, нет.</p>}
    </section>
  );
}
