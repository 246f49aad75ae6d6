import { lazy, Suspense, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AtRiskPage, BreachPage, SlaSummary } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { get, qs } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { MessageLink } from '../../components/MessageLink';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatDateTime, formatFullDateTime } from '../../lib/format';
import { EngagementDeadlines } from './EngagementDeadlines';
import { useKeys } from '../../lib/keys';
import { weekLabel, weekTitle } from './weeks';
import './control.css';

// ECharts comes with the chart only, after the figures are on screen.
const WeeklyChart = lazy(() => import('./WeeklyChart').then((m) => ({ default: m.WeeklyChart })));

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Monday 00:00 to the next Monday in Moscow time, as the breaches endpoint takes instants. */
function weekRange(weekStart: string): { from: string; to: string } {
  const start = new Date(`${weekStart}T00:00:00+03:00`);
  const end = new Date(start.getTime() + 7 * 86_400_000);
  return { from: start.toISOString(), to: end.toISOString() };
}

/**
 * «Контроль сроков»: the on-time share of answers, what is overdue or at risk now, per organization
 * and per week, and the lists behind the figures. A message in a list opens its card.
 */
export function ControlView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const organizationId = params.get('organizationId');
  const week = params.get('week');
  const scope = { organizationId };

  const summary = useQuery({
    queryKey: ['sla', 'summary', organizationId],
    queryFn: ({ signal }) => get<SlaSummary>(`/api/v1/sla/summary${qs(scope)}`, signal),
  });
  const atRisk = useQuery({
    queryKey: ['sla', 'at-risk', organizationId],
    queryFn: ({ signal }) => get<AtRiskPage>(`/api/v1/sla/at-risk${qs({ ...scope, limit: 50 })}`, signal),
  });
  const breachQuery = qs({ ...scope, limit: 50, ...(week ? weekRange(week) : {}) });
  const breaches = useQuery({
    queryKey: ['sla', 'breaches', breachQuery],
    queryFn: ({ signal }) => get<BreachPage>(`/api/v1/sla/breaches${breachQuery}`, signal),
  });
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);

  useKeys({ Escape: () => (week ? setParams({ week: null }) : false) });

  const s = summary.data;
  return (
    <div className="control-view">
      <div className="control-head">
        <h1>Контроль сроков</h1>
        <Picker
          label="Организация"
          options={organizations}
          value={organizationId}
          onChange={(v) => setParams({ organizationId: v, week: null })}
          emptyLabel="все доступные"
        />
      </div>
      {summary.isError && (
        <p className="error" role="alert">
          Не удалось загрузить сводку: {summary.error.message}
        </p>
      )}
      {s && (
        <>
          <div className="figures" role="group" aria-label="Показатели">
            <Figure label="В срок" value={pct(s.answers.onTimeShare)} note={`${s.answers.met} из ${s.answers.met + s.answers.late} ответов`} />
            <Figure label="Просрочено сейчас" value={String(s.overdueNow)} note="ответ не дан, срок прошёл" />
            <Figure label="Под угрозой" value={String(s.atRisk)} note="пройдено 75% срока и больше" />
            <Figure label="Нарушено" value={String(s.answers.late)} note="ответы с опозданием за период" />
          </div>
          <section className="control-chart" aria-labelledby="weekly-title">
            <h2 id="weekly-title">
              Доля ответов в срок по неделям{' '}
              <span className="muted">
                ({formatFullDateTime(s.period.from).slice(0, 10)} — {formatFullDateTime(s.period.to).slice(0, 10)})
              </span>
            </h2>
            {s.weekly.length ? (
              <>
                <Suspense fallback={<p className="muted">Загрузка графика…</p>}>
                  <WeeklyChart weeks={s.weekly} onWeek={(w) => setParams({ week: w })} />
                </Suspense>
                <p className="weeks" role="group" aria-label="Нарушения по неделям">
                  Нарушения за неделю:{' '}
                  {s.weekly.map((w) => (
                    <button
                      key={w.weekStart}
                      type="button"
                      className="quiet"
                      aria-pressed={week === w.weekStart}
                      onClick={() => setParams({ week: w.weekStart })}
                    >
                      {weekLabel(w.weekStart)}
                    </button>
                  ))}
                </p>
              </>
            ) : (
              <p className="muted">За период ответов не было.</p>
            )}
          </section>
          <section aria-labelledby="orgs-title">
            <h2 id="orgs-title">По организациям</h2>
            {s.byOrganization.length ? (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Организация</th>
                    <th scope="col">В срок</th>
                    <th scope="col">Ответов</th>
                    <th scope="col">С опозданием</th>
                    <th scope="col">Просрочено сейчас</th>
                    <th scope="col">Под угрозой</th>
                  </tr>
                </thead>
                <tbody>
                  {s.byOrganization.map((o) => (
                    <tr key={o.organization.id}>
                      <td>
                        <button type="button" className="link" onClick={() => setParams({ organizationId: o.organization.id || null, week: null })}>
                          {o.organization.name}
                        </button>
                      </td>
                      <td>
                        {pct(o.onTimeShare)}
                        <span className="bar" aria-hidden="true">
                          <span style={{ width: `${Math.round((o.onTimeShare ?? 0) * 100)}%` }} />
                        </span>
                      </td>
                      <td>{o.met + o.late}</td>
                      <td>{o.late}</td>
                      <td>{o.overdueNow}</td>
                      <td>{o.atRisk}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">Нет данных за период.</p>
            )}
          </section>
        </>
      )}
      <section aria-labelledby="risk-title">
        <h2 id="risk-title">Под угрозой срыва</h2>
        {atRisk.isError && (
          <p className="error" role="alert">
            Не удалось загрузить список: {atRisk.error.message}
          </p>
        )}
        {atRisk.data && (
          <table className="plain" aria-labelledby="risk-title">
            <thead>
              <tr>
                <th scope="col">Сообщение</th>
                <th scope="col">Срок</th>
                <th scope="col">Организация</th>
                <th scope="col">До</th>
                <th scope="col">Осталось</th>
                <th scope="col">Пройдено</th>
              </tr>
            </thead>
            <tbody>
              {atRisk.data.items.map((r) => (
                <tr key={r.clockId} data-id={r.messageId}>
                  <td>
                    <MessageLink me={me} id={r.messageId} />
                  </td>
                  <td>{r.title}</td>
                  <td>{r.organization?.name ?? 'ЦУР'}</td>
                  <td>{formatDateTime(r.dueAt)}</td>
                  <td className="soon">{r.timeLeft.text}</td>
                  <td>{Math.round(r.fractionPassed * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {atRisk.data?.items.length === 0 && <p className="muted">Сообщений под угрозой срыва нет.</p>}
      </section>
      <section aria-labelledby="breaches-title">
        <div className="control-subhead">
          <h2 id="breaches-title" tabIndex={-1}>
            Нарушения сроков{week ? `, срок — ${weekTitle(week)}` : ''}
          </h2>
          {week && (
            <button type="button" className="quiet" onClick={() => setParams({ week: null })} title="Esc">
              Все нарушения
            </button>
          )}
        </div>
        {breaches.isError && (
          <p className="error" role="alert">
            Не удалось загрузить нарушения: {breaches.error.message}
          </p>
        )}
        {breaches.data && breaches.data.items.length > 0 && (
          <table className="plain" aria-labelledby="breaches-title">
            <thead>
              <tr>
                <th scope="col">Сообщение</th>
                <th scope="col">Срок</th>
                <th scope="col">Организация</th>
                <th scope="col">Срок истёк</th>
                <th scope="col">Опоздание</th>
              </tr>
            </thead>
            <tbody>
              {breaches.data.items.map((b) => (
                <tr key={b.id} data-id={b.messageId}>
                  <td>
                    <MessageLink me={me} id={b.messageId} />
                  </td>
                  <td>{b.title}</td>
                  <td>{b.organization?.name ?? 'ЦУР'}</td>
                  <td>{formatDateTime(b.dueAt)}</td>
                  <td className="late">
                    {b.lateness.text}
                    {b.lateness.final ? '' : ', растёт'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {breaches.data?.items.length === 0 && <p className="muted">Нарушений нет.</p>}
      </section>
      {me.permissions.includes('GET /api/v1/engagements/deadlines') && <EngagementDeadlines />}
      <p className="sr-only" role="status">
        {summary.isPending || atRisk.isPending || breaches.isPending ? 'Загрузка…' : ''}
      </p>
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="figure-card">
      <div className="figure-label">{label}</div>
      <div className="figure-value">{value}</div>
      <div className="muted">{note}</div>
    </div>
  );
}
