import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EngagementResults, EngagementView } from '@cur/contracts';
import { get } from '../../api/client';
import { EChart } from '../../components/EChart';
import type { ChartOption } from '../../lib/echarts';
import { formatFullDateTime } from '../../lib/format';
import { API, LIVE_MS } from './draft';

const hourLabel = (iso: string) => {
  const d = new Date(Date.parse(iso) + 3 * 3600e3).toISOString();
  return `${d.slice(8, 10)}.${d.slice(5, 7)} ${d.slice(11, 13)}:00`;
};

/**
 * Participation: votes per option and ballots per hour, as charts and as tables with the same
 * numbers; read again every 15 s while ballots are taken. Counts only — who chose what is never known.
 */
export function Participation({ e }: { e: EngagementView }) {
  const results = useQuery({
    queryKey: ['engagement-results', e.id],
    queryFn: ({ signal }) => get<EngagementResults>(`${API}/${e.id}/results`, signal),
    refetchInterval: e.status === 'published' ? LIVE_MS : false,
  });
  const r = results.data;
  const options = useMemo(() => (r ? charts(r) : null), [r]);
  if (results.isError)
    return (
      <p className="error" role="alert">
        Не удалось загрузить итоги: {results.error.message}
      </p>
    );
  if (!r || !options) return <p className="muted">Загрузка…</p>;
  const choiceTitle = (questionId: string, key: string) =>
    e.questions.find((q) => q.id === questionId)?.choices?.find((c) => c.id === key)?.title ?? (key === 'answered' ? 'ответили' : key);

  return (
    <div className="eng-participation">
      <p role="status">
        Всего {e.kind === 'vote' ? 'голосов' : 'ответов'}: <strong>{r.totalBallots}</strong>
        {e.open && <span className="muted"> · приём идёт, данные обновляются каждые 15 секунд</span>}
        {results.dataUpdatedAt > 0 && <span className="muted"> · на {formatFullDateTime(new Date(results.dataUpdatedAt).toISOString())}</span>}
      </p>
      {e.kind === 'vote' && (
        <>
          <EChart option={options.votes} label="Голоса по вариантам" height={Math.max(120, r.options.length * 30 + 50)} id="eng-votes-chart" />
          <table className="plain eng-results">
            <caption className="sr-only">Голоса по вариантам</caption>
            <thead>
              <tr>
                <th scope="col">Вариант</th>
                {r.options.some((o) => o.cost !== null) && <th scope="col">Стоимость</th>}
                <th scope="col">Голосов</th>
              </tr>
            </thead>
            <tbody>
              {r.options.map((o) => (
                <tr key={o.id}>
                  <td>{o.title}</td>
                  {r.options.some((x) => x.cost !== null) && <td className="num">{o.cost === null ? '—' : new Intl.NumberFormat('ru-RU').format(o.cost)}</td>}
                  <td className="num">{o.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {e.kind === 'survey' &&
        r.questions.map((q, i) => (
          <table key={q.id} className="plain eng-results">
            <caption>
              {i + 1}. {q.title}
            </caption>
            <thead>
              <tr>
                <th scope="col">Ответ</th>
                <th scope="col">Число</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(q.answers).length === 0 ? (
                <tr>
                  <td colSpan={2} className="muted">
                    ответов нет
                  </td>
                </tr>
              ) : (
                Object.entries(q.answers).map(([k, n]) => (
                  <tr key={k}>
                    <td>{choiceTitle(q.id, k)}</td>
                    <td className="num">{n}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        ))}
      <h4>По часам</h4>
      {r.byHour.length === 0 ? (
        <p className="muted">Голосов ещё нет.</p>
      ) : (
        <EChart option={options.hours} label="Поданные голоса по часам" height={180} id="eng-hours-chart" />
      )}
    </div>
  );
}

function charts(r: EngagementResults): { votes: ChartOption; hours: ChartOption } {
  return {
    votes: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 150, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: r.options.map((o) => o.title), axisLabel: { width: 140, overflow: 'truncate' } },
      series: [
        { name: 'голосов', type: 'bar', barMaxWidth: 24, color: '#0b5cad', data: r.options.map((o) => o.votes), label: { show: true, position: 'right' } },
      ],
    },
    hours: {
      tooltip: { trigger: 'axis' },
      grid: { left: 36, right: 16, top: 12, bottom: 28 },
      xAxis: { type: 'category', data: r.byHour.map((h) => hourLabel(h.hour)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: 'голосов за час', type: 'line', color: '#1e6b32', data: r.byHour.map((h) => h.ballots), showSymbol: true }],
    },
  };
}
