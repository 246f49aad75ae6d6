import { useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { PosImportResultView } from '@cur/contracts';
import { ApiError, call } from '../../api/client';
import './admin.css';

async function upload(file: File): Promise<PosImportResultView> {
  const body = new FormData();
  body.set('file', file);
  const res = await call('/api/v1/imports/pos/upload', { method: 'POST', body });
  const json = (await res.json().catch(() => null)) as (PosImportResultView & { message?: string; errors?: { field: string; message: string }[] }) | null;
  if (!res.ok) {
    const fields: Record<string, string> = {};
    for (const e of json?.errors ?? []) fields[e.field] = e.message;
    throw new ApiError(res.status, json?.message ?? `Ошибка ${res.status}`, undefined, fields);
  }
  return json!;
}

/** The ПОС backoffice export (XLSX) uploaded by hand: what was imported, what was refused and why. */
export function ImportView() {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({ mutationFn: upload });
  const error = run.error instanceof ApiError ? run.error : run.error ? new ApiError(0, run.error.message, undefined, {}) : null;
  const result = run.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) run.mutate(file);
    else input.current?.focus();
  };

  return (
    <div className="admin-view">
      <h1>Импорт выгрузки ПОС</h1>
      <form className="admin-form" onSubmit={submit} aria-label="Загрузка выгрузки">
        <label htmlFor="pos-file">Файл выгрузки из бэк-офиса ПОС (XLSX)</label>
        <input
          id="pos-file"
          ref={input}
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          aria-invalid={!!error?.fields.file}
          aria-describedby="pos-file-note"
        />
        <p id="pos-file-note" className="muted">
          Строки с ошибками пропускаются, остальные загружаются; повторная загрузка того же файла ничего не удваивает.
        </p>
        {error?.fields.file && <p className="field-error">{error.fields.file}</p>}
        <button type="submit" className="primary" disabled={run.isPending}>
          {run.isPending ? 'Загрузка…' : 'Загрузить'}
        </button>
      </form>
      {error && !error.fields.file && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {result && (
        <section aria-labelledby="import-result" className="import-result" aria-live="polite">
          <h2 id="import-result">
            Загружено новых: {result.imported}, обновлено: {result.updated}, без изменений: {result.skipped}, отклонено строк: {result.rejectedRows}
          </h2>
          {result.unmappedOrganizations.length > 0 && (
            <>
              <h3>Организации, которых нет в справочнике ({result.unmappedOrganizations.length})</h3>
              <p className="muted">Сообщения загружены с названием из файла; их организацию нужно сопоставить со справочником региона.</p>
              <ul>
                {result.unmappedOrganizations.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            </>
          )}
          {result.errors.length > 0 && (
            <>
              <h3>Ошибки в строках</h3>
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Строка</th>
                    <th scope="col">Поле</th>
                    <th scope="col">Что не так</th>
                  </tr>
                </thead>
                <tbody>
                  {result.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.row ?? '—'}</td>
                      <td>{e.field}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {result.errorsOmitted > 0 && <p className="muted">И ещё {result.errorsOmitted} ошибок не показано.</p>}
            </>
          )}
        </section>
      )}
    </div>
  );
}
