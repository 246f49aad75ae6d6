import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type {
  CountedFigure,
  MonthlyReport,
  MonthlyReportHistory,
  OrganizationGroup,
  ReportDiscipline,
  ReportEngagements,
  ReportFigures,
  ReportSection,
} from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { get } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { DrillList, Num } from '../../components/DrillList';
import { formatFullDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import { dayText, drillQuery, monthTitle, SECTION_NAMES, type DrillParams } from '../../lib/reports';
import { FileButtons, lateText, REPORT_STATUSES, ScrollBox, Who } from './common';

/** The counted figures as the summary's files word them: [figure, label, definition]; each opens its list of messages. */
const FIGURES: [CountedFigure, string, string][] = [
  ['received', 'Поступило', 'Сообщения, поступившие в месяце'],
  ['answered', 'Дан ответ', 'Окончательный ответ отправлен в месяце, когда бы сообщение ни поступило'],
  ['answeredOnTime', 'В срок', 'Из ответов месяца: не позже срока (с продлениями)'],
  ['answeredLate', 'С нарушением срока', 'Из ответов месяца: позже срока'],
  ['openOverdue', 'Не отвечено, срок истёк', 'На конец месяца ответа нет, срок — раньше конца месяца'],
  ['openNotDue', 'Не отвечено, срок не истёк', 'На конец месяца ответа нет, срок — не раньше конца месяца'],
  ['openNoDueDate', 'Не отвечено, срок не определён', 'На конец месяца ответа нет, срок неизвестен'],
  ['extensions', 'Продления', 'Продление срока утверждено в месяце'],
  ['redirects', 'Перенаправления', 'Перенаправлено в месяце'],
  ['rejectedByModeration', 'Отклонено модерацией', 'Отклонено модерацией в месяце'],
  ['reconsiderations', 'Повторные рассмотрения', 'Повторное рассмотрение открыто в месяце'],
  ['ratings', 'Оценок', 'Оценки заявителей, данные в месяце'],
];
const LABELS = Object.fromEntries(FIGURES.map(([f, label]) => [f, label])) as Record<CountedFigure, string>;

type Kind = 'count' | 'time' | 'rating' | 'share';
/** The tables' columns: [figure, header, full title, kind]. */
const COLUMNS: [keyof ReportFigures, string, string, Kind][] = [
  ['received', 'Поступило', 'Поступило', 'count'],
  ['answered', 'Ответ', 'Дан ответ', 'count'],
  ['answeredOnTime', 'В срок', 'В срок', 'count'],
  ['answeredLate', 'С наруш.', 'С нарушением срока', 'count'],
  ['openOverdue', 'Просроч.', 'Не отвечено, срок истёк', 'count'],
  ['openNotDue', 'Срок не истёк', 'Не отвечено, срок не истёк', 'count'],
  ['openNoDueDate', 'Без срока', 'Не отвечено, срок не определён', 'count'],
  ['timeToAnswerMedian', 'Медиана', 'Медиана времени ответа', 'time'],
  ['timeToAnswerMean', 'Среднее', 'Среднее время ответа', 'time'],
  ['extensions', 'Продл.', 'Продления', 'count'],
  ['redirects', 'Перенапр.', 'Перенаправления', 'count'],
  ['rejectedByModeration', 'Откл.', 'Отклонено модерацией', 'count'],
  ['reconsiderations', 'Повт.', 'Повторные рассмотрения', 'count'],
  ['ratings', 'Оценок', 'Оценок', 'count'],
  ['ratingMean', 'Ср. оценка', 'Средняя оценка', 'rating'],
  ['ratingHighShare', '4–5', 'Доля оценок 4–5', 'share'],
];
const GROUPS: [OrganizationGroup, string][] = [
  ['executive_body', 'Органы исполнительной власти'],
  ['institution', 'Подведомственные учреждения'],
  ['municipality', 'Муниципальные образования'],
  ['cur', 'ЦУР'],
];
const UNITS = { working_days: 'раб. дн.', working_hours: 'раб. ч' } as const;
const KINDS = { discussion: 'Обсуждение', vote: 'Голосование', survey: 'Опрос' } as const;
const HISTORY_TITLES: Record<string, string> = { generated: 'Сформирована', approved: 'Утверждена' };
/** Categories shown before «ещё»: a region has hundreds. */
const CATEGORY_ROWS = 50;

const dec1 = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const dec2 = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 });

type Open = (params: DrillParams, title: string, expected: number) => void;

/**
 * One summary as generated: the cards of each section, its organizations and categories, the
 * discipline applied, the engagements, and its history. Every count opens the list of the
 * messages it counts; that list is today's, so it says when the snapshot counted otherwise.
 */
export function SummaryPage({ id, me, catalog, onClose }: ViewProps & { id: string; onClose: () => void }) {
  const { params } = useRoute();
  const summary = useQuery({
    queryKey: ['monthly-report', id],
    queryFn: ({ signal }) => get<MonthlyReport>(`/api/v1/reports/monthly/${id}`, signal),
    retry: false,
  });
  const history = useQuery({
    queryKey: ['monthly-report', id, 'history'],
    queryFn: ({ signal }) => get<MonthlyReportHistory>(`/api/v1/reports/monthly/${id}/history`, signal),
    retry: false,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<Element | null>(document.activeElement);
  const [files, setFiles] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const drill = params.get('drill');
  const s = summary.data;

  // Once per summary shown (not on each refetch): the heading takes the focus.
  useEffect(() => {
    if (!summary.data && !summary.isError) return;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, [summary.data?.id, summary.isError]);

  useEffect(
    () => () => {
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    },
    [],
  );

  // An open list closes first (its own layer); then the summary.
  useKeys({ Escape: () => (drill ? false : onClose()) });

  const open: Open = useCallback(
    (p, title, expected) => {
      if (!s) return;
      const base: DrillParams = { year: s.year, month: s.month };
      if (s.organizationId) base.scopeOrganizationId = s.organizationId;
      setParams({ drill: drillQuery(base, p), dt: title, dn: String(expected) });
    },
    [s],
  );
  const closeDrill = useCallback(() => setParams({ drill: null, dt: null, dn: null }), []);
  const expected = params.get('dn');
  const note = (total: number) =>
    s && expected !== null && Number(expected) !== total
      ? `В сводке (данные на ${formatFullDateTime(s.dataAsOf)}): ${expected}. Список — по сегодняшним данным: после формирования сводки они изменились; новая версия сводки покажет их.`
      : null;

  if (summary.isError)
    return (
      <section className="summary" id="r-summary" aria-labelledby="r-summary-title">
        <div className="drill-head">
          <h2 id="r-summary-title" tabIndex={-1} ref={heading}>
            Сводка недоступна
          </h2>
          <button type="button" onClick={onClose}>
            Закрыть
          </button>
        </div>
        <p className="error" role="alert">
          {summary.error.message}
        </p>
      </section>
    );
  if (!s)
    return (
      <section className="summary" id="r-summary" aria-label="Сводка">
        <p className="muted">Загрузка сводки…</p>
      </section>
    );

  const events = history.data?.items ?? [];
  const people = history.data?.people ?? {};
  const generated = events.find((h) => h.type === 'generated');
  const approved = events.filter((h) => h.type === 'approved').pop();

  return (
    <section className="summary" id="r-summary" aria-labelledby="r-summary-title">
      <div className="drill-head summary-head">
        <h2 id="r-summary-title" tabIndex={-1} ref={heading}>
          Сводка: {s.organizationName} · {monthTitle(s.year, s.month)} · версия {s.version}
        </h2>
        <span className={`chip report-${s.status}`} id="r-summary-status">
          {REPORT_STATUSES[s.status]}
        </span>
        <span className="row-actions">
          <FileButtons report={s} onDone={(text, kind) => setFiles({ text, kind })} />
        </span>
        <button type="button" onClick={onClose} title="Esc">
          Закрыть сводку
        </button>
      </div>
      <p className="muted">
        Данные на {formatFullDateTime(s.dataAsOf)} (МСК)
        {generated && (
          <>
            {' '}
            · сформировал <Who login={generated.actor} people={people} />
          </>
        )}
        {approved && (
          <>
            {' '}
            · утвердил <Who login={approved.actor} people={people} /> {formatFullDateTime(approved.at)}
          </>
        )}
        . Каждый показатель открывает список сообщений, которые он считает.
      </p>
      <p id="r-summary-files" role="status" className={files?.kind}>
        {files?.text}
      </p>
      {drill && (
        <DrillList
          key="r-drill"
          id="r-drill"
          query={drill}
          title={params.get('dt') ?? 'Сообщения'}
          me={me}
          catalog={catalog}
          onClose={closeDrill}
          note={note}
        />
      )}
      {s.sections.map((section) => (
        <SectionPart key={section.key} section={section} open={open} />
      ))}
      <DisciplinePart d={s.discipline} />
      <EngagementsPart g={s.engagements} />
      <h3 className="section-title">История</h3>
      <table className="plain history-table" id="r-history">
        <tbody>
          {events.map((h, i) => {
            const data = h.data ?? {};
            const late = data.late as { latenessWorkingMs: number | null } | undefined;
            return (
              <tr key={i}>
                <td>{formatFullDateTime(h.at)}</td>
                <td>
                  <b>
                    {HISTORY_TITLES[h.type] ?? 'Изменена'}
                    {typeof data.version === 'number' ? ` (версия ${data.version})` : ''}
                  </b>{' '}
                  {late && <span className="error">{lateText(late.latenessWorkingMs).replace('Утверждена с опозданием', 'с опозданием')}</span>}
                  <br />
                  <small className="muted">
                    <Who login={h.actor} people={people} />
                  </small>
                  {h.reason && (
                    <>
                      <br />
                      <small>{h.reason}</small>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function SectionPart({ section, open }: { section: ReportSection; open: Open }) {
  const t = section.totals;
  const unit = UNITS[t.timeToAnswerUnit];
  const short = SECTION_NAMES[section.key];
  const [allCategories, setAllCategories] = useState(false);
  const categories = allCategories ? section.byCategory : section.byCategory.slice(0, CATEGORY_ROWS);
  const firstMore = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (allCategories) firstMore.current?.focus();
  }, [allCategories]);
  const row = (label: string, figures: ReportFigures, params: DrillParams) =>
    COLUMNS.map(([key, , , kind]) => <td key={key}>{cell(section, figures, key, kind, params, label, open)}</td>);

  return (
    <section className="summary-section" data-section={section.key} aria-labelledby={`r-section-${section.key}`}>
      <h3 className="section-title" id={`r-section-${section.key}`}>
        {section.title}
      </h3>
      <div className="fig-cards">
        {FIGURES.map(([figure, label, definition]) => (
          <button
            type="button"
            key={figure}
            className="card"
            data-card={`${section.key}-${figure}`}
            data-count={t[figure]}
            title={definition}
            aria-describedby={`r-section-${section.key}`}
            onClick={() => open({ section: section.key, figure }, `${short}: ${label.toLowerCase()}`, t[figure])}
          >
            <span className="label">{label}</span>
            <span className="figure">{t[figure]}</span>
            {figure === 'answeredOnTime' && t.answered > 0 && <span className="muted note">{pct.format(t.answeredOnTime / t.answered)} ответов</span>}
          </button>
        ))}
        <div className="card" data-card={`${section.key}-timeToAnswer`}>
          <span className="label">Время ответа, медиана</span>
          <span className="figure">{t.timeToAnswerMedian === null ? '—' : `${dec1.format(t.timeToAnswerMedian)} ${unit}`}</span>
          <span className="muted note">{t.timeToAnswerMean === null ? 'ответов не было' : `среднее ${dec1.format(t.timeToAnswerMean)} ${unit}`}</span>
        </div>
        <div className="card" data-card={`${section.key}-ratingMean`}>
          <span className="label">Средняя оценка</span>
          <span className="figure">{t.ratingMean === null ? '—' : dec2.format(t.ratingMean)}</span>
          <span className="muted note">{t.ratingHighShare === null ? 'оценок не было' : `оценок 4–5: ${pct.format(t.ratingHighShare)}`}</span>
        </div>
      </div>
      <details className="summary-table" open={section.byOrganization.length > 0}>
        <summary>По организациям ({section.byOrganization.length})</summary>
        {section.byOrganization.length ? (
          <ScrollBox label={`${section.title}: по организациям`}>
            <table className="plain figures-table" data-table="organizations">
              <Head first="Организация" unit={unit} />
              <tbody>
                {GROUPS.filter(([g]) => section.byOrganization.some((r) => r.group === g)).map(([g, title]) => [
                  <tr key={g} className="group">
                    <th colSpan={COLUMNS.length + 1} scope="rowgroup">
                      {title}
                    </th>
                  </tr>,
                  ...section.byOrganization
                    .filter((r) => r.group === g)
                    .map((r) => (
                      <tr key={r.organizationId} data-organization={r.organizationId}>
                        <th scope="row">{r.organizationName}</th>
                        {row(r.organizationName, r, { organizationId: r.organizationId })}
                      </tr>
                    )),
                ])}
                <tr className="totals">
                  <th scope="row">Итого</th>
                  {row('Итого', t, {})}
                </tr>
              </tbody>
            </table>
          </ScrollBox>
        ) : (
          <p className="muted">Сообщений не было.</p>
        )}
      </details>
      <details className="summary-table" open={section.byCategory.length > 0}>
        <summary>По категориям ({section.byCategory.length})</summary>
        {section.byCategory.length ? (
          <>
            <ScrollBox label={`${section.title}: по категориям`}>
              <table className="plain figures-table" data-table="categories">
                <Head first="Категория" unit={unit} />
                <tbody>
                  {categories.map((r, i) => (
                    <tr key={r.categoryCode ?? ''} ref={i === CATEGORY_ROWS ? firstMore : undefined} tabIndex={i === CATEGORY_ROWS ? -1 : undefined}>
                      <th scope="row">{r.categoryName}</th>
                      {row(r.categoryName, r, { categoryCode: r.categoryCode })}
                    </tr>
                  ))}
                  <tr className="totals">
                    <th scope="row">Итого</th>
                    {row('Итого', t, {})}
                  </tr>
                </tbody>
              </table>
            </ScrollBox>
            {categories.length < section.byCategory.length && (
              <button type="button" onClick={() => setAllCategories(true)}>
                ещё {section.byCategory.length - categories.length}
              </button>
            )}
          </>
        ) : (
          <p className="muted">Сообщений не было.</p>
        )}
      </details>
    </section>
  );
}

function Head({ first, unit }: { first: string; unit: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {COLUMNS.map(([key, header, title, kind]) => (
          <th scope="col" key={key} title={kind === 'time' ? `${title}, ${unit}` : title}>
            {header}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function cell(section: ReportSection, row: ReportFigures, key: keyof ReportFigures, kind: Kind, params: DrillParams, label: string, open: Open) {
  const v = row[key];
  if (kind === 'count') {
    const n = v as number;
    const title = `${label}: ${LABELS[key as CountedFigure].toLowerCase()}`;
    return <Num n={n} title={title} open={() => open({ section: section.key, figure: key, ...params }, title, n)} />;
  }
  if (v === null || v === undefined) return <span className="muted">—</span>;
  if (kind === 'time') return dec1.format(v as number);
  if (kind === 'rating') return dec2.format(v as number);
  return pct.format(v as number);
}

function DisciplinePart({ d }: { d: ReportDiscipline }) {
  return (
    <section className="summary-section" aria-labelledby="r-discipline-title">
      <h3 className="section-title" id="r-discipline-title">
        Дисциплинарные взыскания
      </h3>
      {d.items.length ? (
        <>
          <p>
            {d.byMeasure.map((m) => (
              <span className="chip" key={m.measure}>
                {m.measureTitle}: {m.count}
              </span>
            ))}
          </p>
          <ScrollBox label={'Дисциплинарные взыскания'}>
            <table className="plain" id="r-discipline">
              <thead>
                <tr>
                  <th scope="col">Работник</th>
                  <th scope="col">Должность</th>
                  <th scope="col">Организация</th>
                  <th scope="col">Взыскание</th>
                  <th scope="col">Основание</th>
                  <th scope="col">Приказ</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i, n) => (
                  <tr key={n}>
                    <td>{i.person}</td>
                    <td>{i.position ?? '—'}</td>
                    <td>{i.organizationName}</td>
                    <td>{i.measureTitle}</td>
                    <td className="wrap">{i.basis}</td>
                    <td>
                      {i.orderNumber ? `№ ${i.orderNumber}` : '—'}
                      {i.orderDate ? ` от ${dayText(i.orderDate)}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </>
      ) : (
        <p className="muted">Взыскания в этом месяце не применялись.</p>
      )}
    </section>
  );
}

function EngagementsPart({ g }: { g: ReportEngagements }) {
  return (
    <section className="summary-section" aria-labelledby="r-engagements-title">
      <h3 className="section-title" id="r-engagements-title">
        Обсуждения, голосования и опросы
      </h3>
      {g.items.length > 0 && (
        <ScrollBox label={'Обсуждения, голосования и опросы'}>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Вид</th>
                <th scope="col">Название</th>
                <th scope="col">Тема</th>
                <th scope="col">Организатор</th>
                <th scope="col">Сроки</th>
                <th scope="col">Участников</th>
                <th scope="col">Итог</th>
                <th scope="col">Раб. дней до итогов</th>
                <th scope="col">Раб. дней до решения</th>
                <th scope="col">Срок нарушен</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((i, n) => (
                <tr key={n}>
                  <td>{KINDS[i.kind]}</td>
                  <td>{i.title}</td>
                  <td>{i.theme}</td>
                  <td>{i.organizer}</td>
                  <td>
                    {dayText(i.startsOn)} — {dayText(i.endsOn)}
                  </td>
                  <td>{i.participants}</td>
                  <td className="wrap">{i.result ?? '—'}</td>
                  <td>{i.daysToResult ?? '—'}</td>
                  <td>{i.daysToAct ?? '—'}</td>
                  <td>{i.late ? <span className="error">да</span> : 'нет'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {g.note && (
        <p className="muted" id="r-engagements-note">
          {g.note}
        </p>
      )}
    </section>
  );
}
