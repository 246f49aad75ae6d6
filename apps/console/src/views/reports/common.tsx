import { useState, type ReactNode } from 'react';
import type { MonthlyReportStatus, Person, SubmissionStatus } from '@cur/contracts';
import { download } from '../../lib/download';

export const REPORT_STATUSES: Record<MonthlyReportStatus, string> = {
  generating: 'Формируется',
  ready: 'Сформирована',
  failed: 'Ошибка формирования',
  approved: 'Утверждена',
};

export const SUBMISSION_STATUSES: Record<SubmissionStatus, string> = {
  waiting: 'Ожидает',
  at_risk: 'Срок на исходе',
  overdue: 'Просрочена',
  approved: 'Утверждена',
  approved_late: 'Утверждена с опозданием',
};

const hours = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

/** How late an approval was, in office hours («Утверждена с опозданием: 3,5 ч рабочего времени»). */
export function lateText(latenessWorkingMs: number | null): string {
  if (latenessWorkingMs === null) return 'Утверждена с опозданием';
  return `Утверждена с опозданием: ${hours.format(Math.max(0.1, Math.round(latenessWorkingMs / 360e3) / 10))} ч рабочего времени`;
}

const FORMATS = ['xlsx', 'pdf', 'csv'] as const;

/** A summary's files; each button says when its file is being made and what came of it. */
export function FileButtons({
  report,
  onDone,
}: {
  report: { id: string; organizationName: string; version: number };
  onDone: (text: string, kind: 'ok' | 'error') => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const fetchFile = async (format: (typeof FORMATS)[number]) => {
    if (busy) return;
    setBusy(format);
    onDone('Готовится файл…', 'ok');
    try {
      const name = await download(`/api/v1/reports/monthly/${report.id}/file?format=${format}`, `svodka.${format}`);
      onDone(`Скачан файл ${name}`, 'ok');
    } catch (e) {
      onDone(`Не удалось скачать файл: ${(e as Error).message}`, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      {FORMATS.map((format) => (
        <button
          type="button"
          key={format}
          aria-busy={busy === format || undefined}
          aria-label={`Скачать ${format.toUpperCase()}: ${report.organizationName}, версия ${report.version}`}
          onClick={() => void fetchFile(format)}
        >
          {format.toUpperCase()}
        </button>
      ))}
    </>
  );
}

/** A person by name, the login on hover; the service itself as «автоматически». */
export function Who({ login, people }: { login: string | null; people: Record<string, Person> }) {
  if (!login) return <span className="muted">—</span>;
  const p = people[login];
  if (p?.system) return <span title={login}>автоматически</span>;
  return <span title={login}>{p?.name ?? login}</span>;
}

/** A table that may scroll: focusable and named, so a keyboard can scroll it too. */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-box" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
