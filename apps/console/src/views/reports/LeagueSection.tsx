import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { MeView, RatingsTableView } from '@cur/contracts';
import { get } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { download } from '../../lib/download';
import { formatFullDateTime } from '../../lib/format';
import { LeagueTable } from '../monitoring/RatingsPanel';
import { ScrollBox } from './common';

const SECTIONS = [
  ['all', 'все каналы'],
  ['pos', 'ПОС'],
  ['appeals', '59-ФЗ'],
  ['social', 'соцсети'],
] as const;

/** The organizations' league table of the month or its quarter, by peer group, with its files. */
export function LeagueSection({ year, month, me }: { year: number; month: number; me: MeView }) {
  const { params } = useRoute();
  const period = params.get('rp') === 'quarter' ? 'quarter' : 'month';
  const section = SECTIONS.find(([s]) => s === params.get('rs'))?.[0] ?? 'all';
  const query = new URLSearchParams({ period, year: String(year), section });
  if (period === 'month') query.set('month', String(month));
  else query.set('quarter', String(Math.ceil(month / 3)));
  const ratings = useQuery({
    queryKey: ['ratings', query.toString()],
    queryFn: ({ signal }) => get<RatingsTableView>(`/api/v1/reports/ratings?${query}`, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const [status, setStatus] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const fetchFile = async (format: 'csv' | 'xlsx') => {
    setStatus({ text: 'Готовится файл…', kind: 'ok' });
    try {
      setStatus({ text: `Скачан файл ${await download(`/api/v1/reports/ratings/file?format=${format}&${query}`, `ratings.${format}`)}`, kind: 'ok' });
    } catch (e) {
      setStatus({ text: `Не удалось скачать файл: ${(e as Error).message}`, kind: 'error' });
    }
  };
  const r = ratings.data;

  return (
    <section aria-labelledby="r-ratings-title">
      <h2 className="section-title" id="r-ratings-title">
        Рейтинг организаций
      </h2>
      <div className="reports-form" id="r-ratings-tools">
        <fieldset className="switch">
          <legend className="sr-only">Период рейтинга</legend>
          {(['month', 'quarter'] as const).map((p) => (
            <label key={p}>
              <input type="radio" name="r-rating-period" value={p} checked={period === p} onChange={() => setParams({ rp: p === 'month' ? null : p })} />{' '}
              {p === 'month' ? 'месяц' : 'квартал'}
            </label>
          ))}
        </fieldset>
        <label>
          Раздел{' '}
          <select value={section} onChange={(e) => setParams({ rs: e.target.value === 'all' ? null : e.target.value })}>
            {SECTIONS.map(([s, title]) => (
              <option key={s} value={s}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-label="Скачать рейтинг CSV" onClick={() => void fetchFile('csv')}>
          CSV
        </button>
        <button type="button" aria-label="Скачать рейтинг XLSX" onClick={() => void fetchFile('xlsx')}>
          XLSX
        </button>
        <span className="muted" id="r-ratings-scope">
          {r ? `${r.period.title} · данные на ${formatFullDateTime(r.dataAsOf)}` : ''}
        </span>
        <span id="r-ratings-status" role="status" className={status?.kind}>
          {status?.text}
        </span>
      </div>
      <div id="r-ratings">
        {ratings.isPending && <p className="muted">Загрузка…</p>}
        {ratings.isError && (
          <p className="error" role="alert">
            Рейтинг недоступен: {ratings.error.message}
          </p>
        )}
        {r &&
          (r.groups.length ? (
            r.groups.map((g) => (
              <div key={g.id} data-group={g.id}>
                <h4>{g.title}</h4>
                <ScrollBox label={g.title}>
                  <LeagueTable rows={g.rows} mine={me.organization?.id} />
                </ScrollBox>
              </div>
            ))
          ) : (
            <p className="muted">Рейтинг за этот период пуст.</p>
          ))}
        {r?.formula.text && (
          <details>
            <summary>Как считается индекс</summary>
            <p>{r.formula.text}</p>
          </details>
        )}
      </div>
    </section>
  );
}
