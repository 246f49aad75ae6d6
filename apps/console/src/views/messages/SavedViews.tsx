import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SavedViewView } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import { navigate } from '../../app/router';

/** The list filters a user keeps under a name: pick one to open it, or save the filters on screen. */
export function SavedViews({ query, base }: { query: URLSearchParams; base: string }) {
  const client = useQueryClient();
  const views = useQuery({ queryKey: ['saved-views'], queryFn: ({ signal }) => get<{ items: SavedViewView[] }>('/api/v1/saved-views', signal) });
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => send<SavedViewView>('POST', '/api/v1/saved-views', { name: name.trim(), query: query.toString() }),
    onSuccess: () => {
      setNaming(false);
      setName('');
      void client.invalidateQueries({ queryKey: ['saved-views'] });
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <div className="saved-views">
      <label htmlFor="saved-view">Мои виды</label>
      <select id="saved-view" value="" onChange={(e) => e.target.value && navigate(`${base}?${e.target.value}`)}>
        <option value="">{views.data?.items.length ? 'выбрать…' : 'пока нет'}</option>
        {views.data?.items.map((v) => (
          <option key={v.id} value={v.query}>
            {v.name}
          </option>
        ))}
      </select>
      {naming ? (
        <span className="save-view">
          <label htmlFor="saved-view-name" className="sr-only">
            Название вида
          </label>
          <input id="saved-view-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="название вида" aria-invalid={!!error} autoFocus />
          <button type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            Сохранить
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error.fields.name ?? error.fields.query ?? error.message}
            </span>
          )}
        </span>
      ) : (
        <button type="button" className="quiet" onClick={() => setNaming(true)}>
          Сохранить фильтры
        </button>
      )}
    </div>
  );
}
