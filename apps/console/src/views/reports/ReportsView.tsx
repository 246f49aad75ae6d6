import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MonthlyReportApproval, MonthlyReportGenerated, MonthlyReportList, MonthlyReportListItem, Person, ReportSubmissions } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { ApiError, get, send } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatFullDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import { monthTitle, moscowMonth, splitMonth } from '../../lib/reports';
import { FileButtons, lateText, REPORT_STATUSES, ScrollBox, SUBMISSION_STATUSES, Who } from './common';
import { LeagueSection } from './LeagueSection';
import { SummaryPage } from './SummaryPage';
import './reports.css';

/** Overdue first, then what is still to do, then what is done. */
const SUBMISSION_ORDER: Record<string, number> = { overdue: 0, at_risk: 1, waiting: 2, approved_late: 3, approved: 4 };

/**
 * «Сводки» (order No. 733, item 4): a month's summaries generated, opened with drill-downs,
 * downloaded and approved; their submission by the 3rd; the organizations' league table. The
 * server decides who may do what (`mayChooseOrganization`, `mayApprove`); the month, the open
 * summary and its open list live in the address.
 */
export function ReportsView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const now = moscowMonth();
  const month = splitMonth(params.get('month')) ? params.get('month')! : now;
  const { year, month: m } = splitMonth(month)!;
  const open = params.get('open');
  const client = useQueryClient();

  const list = useQuery({
    queryKey: ['monthly-reports', year, m],
    queryFn: ({ signal }) => get<MonthlyReportList>(`/api/v1/reports/monthly?year=${year}&month=${m}`, signal),
    placeholderData: keepPreviousData,
  });
  const submissions = useQuery({
    queryKey: ['report-submissions', year, m],
    queryFn: ({ signal }) => get<ReportSubmissions>(`/api/v1/reports/submissions?year=${year}&month=${m}`, signal),
  });

  /** The row whose «Открыть» takes the focus once it is drawn: the summary just made or approved. */
  const [focusOpen, setFocusOpen] = useState<string | null>(null);
  /** Notes under a row's status (a late approval), kept while the view is open. */
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['monthly-reports'] });
    void client.invalidateQueries({ queryKey: ['report-submissions'] });
    void client.invalidateQueries({ queryKey: ['monthly-report'] });
  };

  const items = useMemo(() => {
    const region = (r: MonthlyReportListItem) => (r.organizationId === null ? 0 : 1);
    return (list.data?.items ?? [])
      .slice()
      .sort((a, b) => region(a) - region(b) || a.organizationName.localeCompare(b.organizationName, 'ru') || b.version - a.version);
  }, [list.data]);

  return (
    <div className="reports-view">
      <h1 className="sr-only">Сводки</h1>
      <GenerateForm
        month={month}
        max={now}
        mayChooseOrganization={list.data?.mayChooseOrganization ?? false}
        ownOrganization={me.organization?.name ?? null}
        catalog={catalog}
        onMade={(made, value) => {
          setFocusOpen(made.id);
          setStatus(null);
          if (value !== month) setParams({ month: value });
          refresh();
        }}
      />
      {open && <SummaryPage key={open} id={open} me={me} catalog={catalog} onClose={() => setParams({ open: null, drill: null, dt: null, dn: null })} />}
      <section aria-labelledby="r-list-title">
        <h2 className="section-title" id="r-list-title">
          Сводки за {monthTitle(year, m)}
        </h2>
        {list.isError && (
          <p role="alert" className="error">
            Не удалось загрузить сводки: {list.error.message}
          </p>
        )}
        {list.data &&
          (items.length ? (
            <SummaryList
              items={items}
              people={list.data.people}
              notes={notes}
              focusOpen={focusOpen}
              onFocused={() => setFocusOpen(null)}
              onApproved={(id, result) => {
                const late = result.late ? lateText(result.late.latenessWorkingMs) : null;
                if (late) setNotes((n) => ({ ...n, [id]: late }));
                setStatus(late ? { kind: 'error', text: late } : { kind: 'ok', text: 'Сводка утверждена' });
                setFocusOpen(id);
                refresh();
              }}
              onDownloaded={(text, kind) => setStatus({ kind, text })}
            />
          ) : (
            <p className="muted">
              За этот месяц сводок ещё нет: выберите {list.data.mayChooseOrganization ? 'организацию (пусто — весь регион)' : 'месяц'} и нажмите «Сформировать».
            </p>
          ))}
        <p id="r-list-status" role="status" className={status?.kind}>
          {status?.text}
        </p>
      </section>
      <section aria-labelledby="r-submissions-title">
        <h2 className="section-title" id="r-submissions-title">
          Сдача сводок за {monthTitle(year, m)} (срок — 3-е число следующего месяца)
        </h2>
        {submissions.isError && (
          <p role="alert" className="error">
            Не удалось загрузить сдачу сводок: {submissions.error.message}
          </p>
        )}
        {submissions.data && <SubmissionTable submissions={submissions.data} />}
      </section>
      <LeagueSection year={year} month={m} me={me} />
    </div>
  );
}

function GenerateForm({
  month,
  max,
  mayChooseOrganization,
  ownOrganization,
  catalog,
  onMade,
}: {
  month: string;
  max: string;
  mayChooseOrganization: boolean;
  ownOrganization: string | null;
  catalog: ViewProps['catalog'];
  onMade: (made: MonthlyReportGenerated, month: string) => void;
}) {
  const [value, setValue] = useState(month);
  const [organizationId, setOrganizationId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const monthInput = useRef<HTMLInputElement>(null);
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  useEffect(() => setValue(month), [month]);

  const generate = useMutation({
    mutationFn: (body: { year: number; month: number; organizationId?: string; reason?: string }) =>
      send<MonthlyReportGenerated>('POST', '/api/v1/reports/monthly', body),
    onSuccess: (made) => {
      setReason('');
      setDone(`Сформирована версия ${made.version}`);
      onMade(made, value);
    },
    onError: (e) => {
      setDone(null);
      if (e instanceof ApiError && (e.fields.month || e.fields.year)) monthInput.current?.focus();
    },
  });
  const error = generate.error instanceof ApiError ? generate.error : null;
  const [local, setLocal] = useState<string | null>(null);
  const monthError = local ?? error?.fields.month ?? error?.fields.year;
  const unplaced = error && !error.fields.month && !error.fields.year && !error.fields.organizationId && !error.fields.reason;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = splitMonth(value);
    if (!chosen) {
      setLocal('Выберите месяц');
      monthInput.current?.focus();
      return;
    }
    setLocal(null);
    generate.mutate({ ...chosen, ...(organizationId ? { organizationId } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
  };

  return (
    <form className="reports-form" id="r-form" onSubmit={submit} noValidate aria-label="Сформировать сводку">
      <div className="field">
        <label htmlFor="r-month">Месяц</label>
        <input
          id="r-month"
          ref={monthInput}
          type="month"
          required
          value={value}
          max={max}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={monthError ? true : undefined}
          aria-describedby={monthError ? 'r-month-error' : undefined}
        />
        {monthError && (
          <span className="field-error" id="r-month-error">
            {monthError}
          </span>
        )}
      </div>
      {mayChooseOrganization ? (
        <div className="field r-org">
          <Picker
            id="r-org"
            label="Организация"
            emptyLabel="весь регион"
            options={organizations}
            value={organizationId}
            onChange={setOrganizationId}
            error={error?.fields.organizationId}
          />
        </div>
      ) : (
        <p className="r-own">
          Организация: <b>{ownOrganization ?? '—'}</b>
        </p>
      )}
      <div className="field">
        <label htmlFor="r-reason">Причина</label>
        <input
          id="r-reason"
          maxLength={2000}
          size={28}
          placeholder="необязательно"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error?.fields.reason ? true : undefined}
          aria-describedby={error?.fields.reason ? 'r-reason-error' : undefined}
        />
        {error?.fields.reason && (
          <span className="field-error" id="r-reason-error">
            {error.fields.reason}
          </span>
        )}
      </div>
      <button type="submit" className="primary" id="r-generate" aria-busy={generate.isPending || undefined} disabled={generate.isPending}>
        Сформировать
      </button>
      <span id="r-result" role="status" className={generate.isError ? 'error' : 'ok'}>
        {generate.isPending ? 'Формируется…' : unplaced ? `Не удалось сформировать сводку: ${generate.error?.message}` : (done ?? '')}
      </span>
    </form>
  );
}

function SummaryList({
  items,
  people,
  notes,
  focusOpen,
  onFocused,
  onApproved,
  onDownloaded,
}: {
  items: MonthlyReportListItem[];
  people: Record<string, Person>;
  notes: Record<string, string>;
  focusOpen: string | null;
  onFocused: () => void;
  onApproved: (id: string, result: MonthlyReportApproval) => void;
  onDownloaded: (text: string, kind: 'ok' | 'error') => void;
}) {
  const [approving, setApproving] = useState<string | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const focusButton = (id: string, name: 'open' | 'approve') =>
    table.current?.querySelector<HTMLButtonElement>(`tr[data-id="${id}"] [data-act="${name}"]`)?.focus();

  useEffect(() => {
    if (!focusOpen) return;
    const button = table.current?.querySelector<HTMLButtonElement>(`tr[data-id="${focusOpen}"] [data-act="open"]`);
    if (button) {
      button.focus();
      onFocused();
    }
  }, [focusOpen, items, onFocused]);

  return (
    <ScrollBox label="Сводки месяца">
      <table className="plain" id="r-reports" ref={table}>
        <thead>
          <tr>
            <th scope="col">Организация</th>
            <th scope="col">Версия</th>
            <th scope="col">Статус</th>
            <th scope="col">Данные на</th>
            <th scope="col">Сформировал</th>
            <th scope="col">Утвердил</th>
            <th scope="col">Действия</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <SummaryRow
              key={r.id}
              r={r}
              people={people}
              note={notes[r.id]}
              approving={approving === r.id}
              onApprove={() => setApproving(r.id)}
              onCancel={() => {
                setApproving(null);
                requestAnimationFrame(() => focusButton(r.id, 'approve'));
              }}
              onApproved={(result) => {
                setApproving(null);
                onApproved(r.id, result);
              }}
              onDownloaded={onDownloaded}
            />
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function SummaryRow({
  r,
  people,
  note,
  approving,
  onApprove,
  onCancel,
  onApproved,
  onDownloaded,
}: {
  r: MonthlyReportListItem;
  people: Record<string, Person>;
  note: string | undefined;
  approving: boolean;
  onApprove: () => void;
  onCancel: () => void;
  onApproved: (result: MonthlyReportApproval) => void;
  onDownloaded: (text: string, kind: 'ok' | 'error') => void;
}) {
  const name = `${r.organizationName}, версия ${r.version}`;
  return (
    <>
      <tr data-id={r.id}>
        <td>{r.organizationName}</td>
        <td>{r.version}</td>
        <td>
          <span className={`chip report-${r.status}`}>{REPORT_STATUSES[r.status]}</span>
          {note && (
            <small className="error note" data-note>
              {note}
            </small>
          )}
        </td>
        <td>{formatFullDateTime(r.dataAsOf)}</td>
        <td>
          <Who login={r.generatedBy} people={people} />
        </td>
        <td>
          {r.approvedBy ? (
            <>
              <Who login={r.approvedBy} people={people} />
              {r.approvedAt && <small className="muted note">{formatFullDateTime(r.approvedAt)}</small>}
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td className="row-actions">
          <button
            type="button"
            data-act="open"
            aria-label={`Открыть сводку: ${name}`}
            onClick={() => setParams({ open: r.id, drill: null, dt: null, dn: null })}
          >
            Открыть
          </button>
          {r.mayApprove && !approving && (
            <button type="button" className="primary" data-act="approve" aria-label={`Утвердить сводку: ${name}`} onClick={onApprove}>
              Утвердить
            </button>
          )}
          <span className="files">
            <FileButtons report={r} onDone={onDownloaded} />
          </span>
        </td>
      </tr>
      {approving && (
        <tr className="approve-row">
          <td colSpan={7}>
            <ApprovalForm r={r} onCancel={onCancel} onApproved={onApproved} />
          </td>
        </tr>
      )}
    </>
  );
}

function ApprovalForm({ r, onCancel, onApproved }: { r: MonthlyReportListItem; onCancel: () => void; onApproved: (result: MonthlyReportApproval) => void }) {
  const [reason, setReason] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useKeys({ Escape: () => onCancel() });
  const approve = useMutation({
    mutationFn: () => send<MonthlyReportApproval>('POST', `/api/v1/reports/monthly/${r.id}/approval`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: onApproved,
  });
  const error = approve.error instanceof ApiError ? approve.error : null;
  return (
    <form
      id="r-approve-form"
      className="approve-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!approve.isPending) approve.mutate();
      }}
    >
      <div className="field">
        <label htmlFor="r-approve-reason">Причина утверждения</label>
        <input
          id="r-approve-reason"
          ref={input}
          maxLength={2000}
          size={36}
          placeholder="необязательно"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              onCancel();
            }
          }}
          aria-invalid={error?.fields.reason ? true : undefined}
          aria-describedby={error?.fields.reason ? 'r-approve-reason-error' : undefined}
        />
        {error?.fields.reason && (
          <span className="field-error" id="r-approve-reason-error">
            {error.fields.reason}
          </span>
        )}
      </div>
      <button type="submit" className="primary" aria-busy={approve.isPending || undefined}>
        Утвердить версию {r.version}
      </button>
      <button type="button" onClick={onCancel} title="Esc">
        Отмена
      </button>
      {approve.isError && !error?.fields.reason && (
        <span className="error" role="alert" id="r-approve-error">
          {approve.error.message}
        </span>
      )}
    </form>
  );
}

function SubmissionTable({ submissions }: { submissions: ReportSubmissions }) {
  const items = submissions.items
    .slice()
    .sort(
      (a, b) =>
        (SUBMISSION_ORDER[a.status] ?? 9) - (SUBMISSION_ORDER[b.status] ?? 9) ||
        (a.organizationId === null ? 0 : 1) - (b.organizationId === null ? 0 : 1) ||
        a.organizationName.localeCompare(b.organizationName, 'ru'),
    );
  if (!items.length)
    return (
      <p className="muted">Ожидаемых сводок за этот месяц нет: их список появляется в первый рабочий день после окончания месяца, срок сдачи — 3-е число.</p>
    );
  const count = (status: string) => items.filter((s) => s.status === status).length;
  return (
    <>
      <p className="muted" id="r-submissions-count">
        Утверждено {count('approved') + count('approved_late')} из {items.length}
        {count('approved_late') ? `, из них с опозданием ${count('approved_late')}` : ''} · просрочено {count('overdue')} · срок на исходе {count('at_risk')}
      </p>
      <ScrollBox label="Сдача сводок">
        <table className="plain" id="r-submissions-table">
          <thead>
            <tr>
              <th scope="col">Организация</th>
              <th scope="col">Статус</th>
              <th scope="col">Срок</th>
              <th scope="col">Утверждена</th>
              <th scope="col">
                <span className="sr-only">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => {
              const report = s.approvedReportId ?? s.reportId;
              return (
                <tr key={s.id} data-id={s.id} data-status={s.status}>
                  <td>{s.organizationName}</td>
                  <td>
                    <span className={`chip sub-${s.status}`}>{SUBMISSION_STATUSES[s.status]}</span>
                  </td>
                  <td>{formatFullDateTime(s.dueAt)}</td>
                  <td>{s.approvedAt ? formatFullDateTime(s.approvedAt) : <span className="muted">—</span>}</td>
                  <td>
                    {report && (
                      <button
                        type="button"
                        aria-label={`Открыть сводку: ${s.organizationName}`}
                        onClick={() => setParams({ open: report, drill: null, dt: null, dn: null })}
                      >
                        Открыть
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollBox>
    </>
  );
}
