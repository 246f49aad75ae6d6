import { useState } from 'react';
import { download } from '../../lib/download';
import { API } from './draft';

/** The results as files for the organizer: counts, ballots per hour and the free-text answers (no one's id). */
export function ResultFiles({ id }: { id: string }) {
  const [status, setStatus] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const fetchFile = async (format: 'xlsx' | 'csv') => {
    setStatus({ text: 'Готовится файл…', kind: 'ok' });
    try {
      setStatus({ text: `Скачан файл ${await download(`${API}/${id}/results/file?format=${format}`, `results.${format}`)}`, kind: 'ok' });
    } catch (e) {
      setStatus({ text: `Не удалось скачать файл: ${(e as Error).message}`, kind: 'error' });
    }
  };
  return (
    <div className="eng-files">
      <button type="button" aria-label="Скачать итоги XLSX" onClick={() => void fetchFile('xlsx')}>
        XLSX
      </button>
      <button type="button" aria-label="Скачать итоги CSV" onClick={() => void fetchFile('csv')}>
        CSV
      </button>
      <span role="status" className={status?.kind}>
        {status?.text}
      </span>
    </div>
  );
}
