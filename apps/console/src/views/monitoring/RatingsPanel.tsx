import { useQuery } from '@tanstack/react-query';
import type { LeagueRowView, RatingsTableView } from '@cur/contracts';
import { ApiError, get } from '../../api/client';

/** The month's league table (`GET /api/v1/reports/ratings`), beside the dashboard's figures. */
export function RatingsPanel({ year, month }: { year: number; month: number }) {
  const ratings = useQuery({
    queryKey: ['ratings', 'month', year, month],
    queryFn: ({ signal }) => get<RatingsTableView>(`/api/v1/reports/ratings?period=month&year=${year}&month=${month}`, signal),
    retry: false,
  });
  if (ratings.isPending) return <p className="muted">Загрузка…</p>;
  if (ratings.isError)
    return (
      <p className="muted">
        {ratings.error instanceof ApiError && ratings.error.status === 404 ? 'Рейтинг будет доступен позже' : `Рейтинг недоступен: ${ratings.error.message}`}
      </p>
    );
  const groups = ratings.data.groups;
  if (!groups.length) return <p className="muted">Рейтинг за этот месяц пуст.</p>;
  return (
    <>
      {groups.map((g) => (
        <div key={g.id}>
          <h4>{g.title}</h4>
          <LeagueTable rows={g.rows} />
        </div>
      ))}
    </>
  );
}

const index = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

/** A peer group's rows; `mine` marks the reader's own organization. */
export function LeagueTable({ rows, mine }: { rows: LeagueRowView[]; mine?: string }) {
  return (
    <table className="plain">
      <thead>
        <tr>
          <th scope="col">Место</th>
          <th scope="col">Организация</th>
          <th scope="col">Индекс</th>
          <th scope="col">Изменение</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.organizationId} className={r.organizationId === mine ? 'selected' : undefined}>
            <td>{r.rank ?? '—'}</td>
            <td>
              {r.organizationName}
              {r.note && <span className="muted"> · {r.note}</span>}
            </td>
            <td>{r.index === null ? '—' : index.format(r.index)}</td>
            <td>
              <Change x={r.change?.index} rank={r.change?.rank ?? null} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The index's change (+ is better) and the places moved since the previous period. */
function Change({ x, rank }: { x: number | undefined; rank: number | null }) {
  if (x === undefined) return <span className="muted">—</span>;
  return (
    <>
      <span className={x > 0 ? 'ok' : x < 0 ? 'error' : 'muted'}>{x > 0 ? `+${index.format(x)}` : index.format(x)}</span>
      {rank ? <span className="muted">{` ${rank > 0 ? '↑' : '↓'}${Math.abs(rank)} ${Math.abs(rank) === 1 ? 'место' : 'мест.'}`}</span> : null}
    </>
  );
}
