import { useCallback, useMemo, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dashboard, ReportFigures, ReportSectionKey } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { ApiError, get, qs } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { DrillList, Num } from '../../components/DrillList';
import { EChart, type ChartClick } from '../../components/EChart';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatFullDateTime } from '../../lib/format';
import { dayText, drillQuery, FIGURE_TITLES, monthValue, percent, SECTION_NAMES, SECTION_TITLES, SECTIONS, type DrillParams } from '../../lib/reports';
import { categoriesOption, heatmapHeight, heatmapOption, organizationsHeight, organizationsOption, volumeOption, weeklyOption } from './charts';
import { RatingsPanel } from './RatingsPanel';
import './monitoring.css';

type Open = (params: DrillParams, title: string) => void;

/** The five cards of a section: each opens the list of the messages it counts. */
const CARDS: {
  figure: keyof ReportFigures;
  label: string;
  value: (t: ReportFigures) => string;
  note: (t: ReportFigures) => string;
  count: (t: ReportFigures) => number;
}[] = [
  { figure: 'received', label: 'Поступило', value: (t) => String(t.received), note: () => 'за месяц', count: (t) => t.received },
  {
    figure: 'answered',
    label: 'Отвечено',
    value: (t) => String(t.answered),
    note: (t) => `в срок ${t.answeredOnTime}, с опозданием ${t.answeredLate}`,
    count: (t) => t.answered,
  },
  {
    figure: 'answeredOnTime',
    label: 'В срок',
    value: (t) => (t.answered ? `${Math.round((t.answeredOnTime / t.answered) * 100)}%` : '—'),
    note: (t) => `${t.answeredOnTime} из ${t.answered} ответов`,
    count: (t) => t.answeredOnTime,
  },
  { figure: 'openOverdue', label: 'Просрочено', value: (t) => String(t.openOverdue), note: () => 'без ответа на конец месяца', count: (t) => t.openOverdue },
  {
    figure: 'openNoDueDate',
    label: 'Без срока',
    value: (t) => String(t.openNoDueDate),
    note: () => 'без ответа, срок не определён',
    count: (t) => t.openNoDueDate,
  },
];

const weekTitle = (weekStart: string) => `неделя с ${dayText(weekStart)}`;

/**
 * «Мониторинг» (order No. 733, item 1.4): a month's figures of the region or of an organization,
 * as cards, charts and tables; every number, bar and cell opens the list of the messages it counts.
 * The month, the organization and the open list live in the address.
 */
export function MonitoringView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const month = params.get('month');
  const org = params.get('org');
  const query = qs({ year: month ? Number(month.slice(0, 4)) : undefined, month: month ? Number(month.slice(5, 7)) : undefined, organizationId: org });
  const dashboard = useQuery({
    queryKey: ['dashboard', query],
    queryFn: ({ signal }) => get<Dashboard>(`/api/v1/reports/dashboard${query}`, signal),
    placeholderData: keepPreviousData,
  });
  const d = dashboard.data;
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const error = dashboard.error instanceof ApiError ? dashboard.error : null;

  const open: Open = useCallback(
    (p, title) => {
      if (!d) return;
      const base: DrillParams = { year: d.year, month: d.month };
      if (d.organizationId) base.scopeOrganizationId = d.organizationId;
      setParams({ drill: drillQuery(base, p), dt: title });
    },
    [d],
  );
  const close = useCallback(() => setParams({ drill: null, dt: null }), []);
  const drill = params.get('drill');

  return (
    <div className="monitoring-view">
      <h2 className="sr-only">Мониторинг</h2>
      <div className="monitor-toolbar">
        <div>
          <label htmlFor="m-month">Месяц</label>
          <input
            id="m-month"
            type="month"
            value={month ?? (d ? monthValue(d.year, d.month) : '')}
            max={d ? monthValue(d.current.year, d.current.month) : undefined}
            aria-invalid={error?.fields.month || error?.fields.year ? true : undefined}
            aria-describedby={error?.fields.month || error?.fields.year ? 'm-month-error' : undefined}
            onChange={(e) => setParams({ month: e.target.value || null, drill: null, dt: null })}
          />
          {(error?.fields.month || error?.fields.year) && (
            <span className="field-error" id="m-month-error">
              {error.fields.month ?? error.fields.year}
            </span>
          )}
        </div>
        {d?.mayChooseOrganization && (
          <div className="monitor-org">
            <Picker
              id="m-org"
              label="Организация"
              emptyLabel="весь регион"
              options={organizations}
              value={org}
              onChange={(v) => setParams({ org: v, drill: null, dt: null })}
              error={error?.fields.organizationId}
            />
          </div>
        )}
        <span className="muted" id="m-scope" role="status">
          {d ? `${d.organizationName} · ${d.title} · данные на ${formatFullDateTime(d.dataAsOf)}` : ''}
          {dashboard.isFetching && d ? ' · обновление…' : ''}
        </span>
      </div>
      {dashboard.isError && (
        <p role="alert" className="error">
          Не удалось загрузить мониторинг: {dashboard.error.message}
        </p>
      )}
      {drill && <DrillList key="m-drill" id="m-drill" query={drill} title={params.get('dt') ?? 'Сообщения'} me={me} catalog={catalog} onClose={close} />}
      {!d ? dashboard.isPending && <p className="muted">Загрузка…</p> : <Figures d={d} open={open} />}
    </div>
  );
}

function Figures({ d, open }: { d: Dashboard; open: Open }) {
  const options = useMemo(
    () => ({
      volume: volumeOption(d),
      categories: categoriesOption(d),
      weekly: weeklyOption(d.onTimeByWeek),
      heatmap: heatmapOption(d),
      organizations: organizationsOption(d),
    }),
    [d],
  );
  const v = d.volumeByDay;
  const top = d.topCategories;
  const h = d.heatmap;
  const orgs = d.onTimeByOrganization;

  const onVolume = (p: ChartClick) => {
    const s = v.series[p.seriesIndex];
    const day = v.days[p.dataIndex];
    if (s && day) open({ section: s.section, figure: 'received', day }, `${SECTION_NAMES[s.section]}: поступило ${dayText(day)}`);
  };
  const onCategory = (p: ChartClick) => {
    const c = top[p.dataIndex];
    if (!c) return;
    if (p.seriesIndex === 0) open({ section: 'all', figure: 'received', categoryCode: c.categoryCode }, `${c.categoryName}: поступило`);
    else
      open(
        { year: d.previous.year, month: d.previous.month, section: 'all', figure: 'received', categoryCode: c.categoryCode },
        `${c.categoryName}: поступило в предыдущем месяце`,
      );
  };
  const onWeek = (p: ChartClick) => {
    const w = d.onTimeByWeek[p.dataIndex];
    if (!w || p.seriesType !== 'bar') return;
    const figure = p.seriesIndex === 0 ? 'answeredOnTime' : 'answeredLate';
    open(
      { section: 'all', figure, week: w.weekStart },
      `${figure === 'answeredOnTime' ? 'Отвечено в срок' : 'Отвечено с опозданием'}, ${weekTitle(w.weekStart)}`,
    );
  };
  const onCell = (p: ChartClick) => {
    const [x, y] = p.data as [number, number, number];
    const t = h.territories[x];
    const c = h.categories[y];
    if (t && c)
      open(
        { section: 'all', figure: 'received', categoryCode: c.categoryCode, territoryId: t.territoryId },
        `${c.categoryName} · ${t.territoryName}: поступило`,
      );
  };
  const onOrganization = (p: ChartClick) => {
    const o = orgs[p.dataIndex];
    const figure = p.seriesIndex === 0 ? 'answeredOnTime' : 'answeredLate';
    if (o) open({ section: 'all', figure, organizationId: o.organizationId }, `${o.organizationName}: ${FIGURE_TITLES[figure]}`);
  };

  const num = (n: number, params: DrillParams, title: string) => <Num n={n} open={() => open(params, title)} title={title} />;

  return (
    <>
      {SECTIONS.map((key) => (
        <SectionCards key={key} section={key} totals={d.totals[key]} open={open} />
      ))}
      <div className="panels">
        <Panel title="Поступление по дням и каналам" wide>
          <EChart
            id="m-volume"
            option={options.volume}
            height={260}
            onItemClick={onVolume}
            label={`Поступление сообщений по дням месяца (${d.title}), по каналам: ПОС, соцсети, 59-ФЗ; числа — в таблице ниже`}
          />
          <Table empty={!v.days.some((_, i) => v.series.some((s) => s.received[i] > 0))} emptyText="Сообщений не поступало.">
            <thead>
              <tr>
                <th scope="col">День</th>
                {v.series.map((s) => (
                  <th scope="col" key={s.section}>
                    {SECTION_NAMES[s.section]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {v.days
                .map((day, i) => ({ day, counts: v.series.map((s) => s.received[i]) }))
                .filter((r) => r.counts.some((n) => n > 0))
                .map((r) => (
                  <tr key={r.day}>
                    <td>{dayText(r.day)}</td>
                    {r.counts.map((n, j) => (
                      <td key={v.series[j].section}>
                        {num(
                          n,
                          { section: v.series[j].section, figure: 'received', day: r.day },
                          `${SECTION_NAMES[v.series[j].section]}: поступило ${dayText(r.day)}`,
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </Table>
        </Panel>
        <Panel title={`Топ категорий: ${d.title} и предыдущий месяц`}>
          <EChart
            id="m-categories"
            option={options.categories}
            height={260}
            onItemClick={onCategory}
            label={`Десять категорий с наибольшим числом сообщений за ${d.title} и их число в предыдущем месяце`}
          />
          <Table empty={!top.length} emptyText="Сообщений не поступало.">
            <thead>
              <tr>
                <th scope="col">Категория</th>
                <th scope="col">{d.title}</th>
                <th scope="col">Предыдущий месяц</th>
              </tr>
            </thead>
            <tbody>
              {top.map((c) => (
                <tr key={c.categoryCode ?? ''}>
                  <td>{c.categoryName}</td>
                  <td>{num(c.received, { section: 'all', figure: 'received', categoryCode: c.categoryCode }, `${c.categoryName}: поступило`)}</td>
                  <td>
                    {num(
                      c.previous,
                      { year: d.previous.year, month: d.previous.month, section: 'all', figure: 'received', categoryCode: c.categoryCode },
                      `${c.categoryName}: поступило в предыдущем месяце`,
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
        <Panel title="Ответы в срок по неделям">
          <EChart
            id="m-weekly"
            option={options.weekly}
            height={260}
            onItemClick={onWeek}
            label="Ответы по неделям: в срок и с опозданием, и доля ответов в срок в процентах"
          />
          <Table>
            <thead>
              <tr>
                <th scope="col">Неделя</th>
                <th scope="col">Ответов</th>
                <th scope="col">В срок</th>
                <th scope="col">С опозданием</th>
              </tr>
            </thead>
            <tbody>
              {d.onTimeByWeek.map((w) => (
                <tr key={w.weekStart}>
                  <td>{weekTitle(w.weekStart)}</td>
                  <td>{num(w.answered, { section: 'all', figure: 'answered', week: w.weekStart }, `Отвечено, ${weekTitle(w.weekStart)}`)}</td>
                  <td>
                    {num(w.answeredOnTime, { section: 'all', figure: 'answeredOnTime', week: w.weekStart }, `Отвечено в срок, ${weekTitle(w.weekStart)}`)}
                  </td>
                  <td>
                    {num(
                      w.answered - w.answeredOnTime,
                      { section: 'all', figure: 'answeredLate', week: w.weekStart },
                      `Отвечено с опозданием, ${weekTitle(w.weekStart)}`,
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
        <Panel title="Категории × территории" wide>
          <EChart
            id="m-heatmap"
            option={options.heatmap}
            height={heatmapHeight(d)}
            onItemClick={onCell}
            label="Тепловая карта: число сообщений ведущих категорий по территориям"
          />
          <Table empty={!h.cells.length} emptyText="Сообщений не поступало.">
            <thead>
              <tr>
                <th scope="col">Категория</th>
                {h.territories.map((t) => (
                  <th scope="col" key={t.territoryId ?? ''}>
                    {t.territoryName}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {h.categories.map((c) => (
                <tr key={c.categoryCode ?? ''}>
                  <td>{c.categoryName}</td>
                  {h.territories.map((t) => (
                    <td key={t.territoryId ?? ''}>
                      {num(
                        h.cells.find((x) => x.categoryCode === c.categoryCode && x.territoryId === t.territoryId)?.received ?? 0,
                        { section: 'all', figure: 'received', categoryCode: c.categoryCode, territoryId: t.territoryId },
                        `${c.categoryName} · ${t.territoryName}: поступило`,
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
        <Panel title="Ответы в срок по организациям" wide>
          <EChart
            id="m-organizations"
            option={options.organizations}
            height={organizationsHeight(d)}
            onItemClick={onOrganization}
            label="Ответы организаций: в срок и с опозданием, и доля ответов в срок; худшие первыми"
          />
          <Table empty={!orgs.length} emptyText="Ответов не было.">
            <thead>
              <tr>
                <th scope="col">Организация</th>
                <th scope="col">Ответов</th>
                <th scope="col">В срок</th>
                <th scope="col">С опозданием</th>
                <th scope="col">Доля в срок</th>
              </tr>
            </thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.organizationId}>
                  <td>{o.organizationName}</td>
                  <td>{num(o.answered, { section: 'all', figure: 'answered', organizationId: o.organizationId }, `${o.organizationName}: отвечено`)}</td>
                  <td>
                    {num(
                      o.answeredOnTime,
                      { section: 'all', figure: 'answeredOnTime', organizationId: o.organizationId },
                      `${o.organizationName}: отвечено в срок`,
                    )}
                  </td>
                  <td>
                    {num(
                      o.answered - o.answeredOnTime,
                      { section: 'all', figure: 'answeredLate', organizationId: o.organizationId },
                      `${o.organizationName}: с опозданием`,
                    )}
                  </td>
                  <td>{percent(o.share)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
        <section className="chart-panel wide" aria-labelledby="m-ratings-title">
          <h3 id="m-ratings-title">Рейтинг организаций</h3>
          <div id="m-ratings">
            <RatingsPanel year={d.year} month={d.month} />
          </div>
        </section>
      </div>
    </>
  );
}

function SectionCards({ section, totals, open }: { section: ReportSectionKey; totals: ReportFigures; open: Open }) {
  return (
    <section aria-labelledby={`m-section-${section}`}>
      <h3 className="section-title" id={`m-section-${section}`}>
        {SECTION_TITLES[section]}
      </h3>
      <div className="cards fig-cards">
        {CARDS.map((c) => {
          const title = `${SECTION_NAMES[section]}: ${FIGURE_TITLES[c.figure]}`;
          return (
            <button
              type="button"
              key={c.figure}
              className="card"
              data-card={`${section}-${c.figure}`}
              data-count={c.count(totals)}
              aria-describedby={`m-section-${section}`}
              title="Открыть список сообщений"
              onClick={() => open({ section, figure: c.figure }, title)}
            >
              <span className="label">{c.label}</span>
              <span className="figure">{c.value(totals)}</span>
              <span className="muted note">{c.note(totals)}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}

function Panel({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={`chart-panel${wide ? ' wide' : ''}`} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** The numbers of a chart as a table, folded under it. */
function Table({ children, empty, emptyText }: { children: ReactNode; empty?: boolean; emptyText?: string }) {
  return (
    <details>
      <summary>Таблицей</summary>
      {empty ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <div className="table-box">
          <table className="plain">{children}</table>
        </div>
      )}
    </details>
  );
}
