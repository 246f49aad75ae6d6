import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkAction, BulkResult, Catalog, MessageSummary } from '@cur/contracts';
import { ApiError, send } from '../../api/client';
import { Picker } from '../../components/Picker';
import { categoryOptions, organizationOptions } from '../../lib/catalog';
import { firstLine } from '../../lib/format';

const ACTIONS: { value: BulkAction; label: string }[] = [
  { value: 'categorize', label: 'Категория и организация' },
  { value: 'route', label: 'Направить в организацию' },
  { value: 'importance', label: 'Важность' },
  { value: 'reject', label: 'Отклонить' },
  { value: 'merge', label: 'Объединить в одно' },
];

/**
 * One action on the marked messages. Each message changes on its own, with its own history; the
 * answer says which changed and, for the others, why not. The marks of those that changed clear.
 */
export function BulkBar({ ids, rows, catalog, onDone }: { ids: string[]; rows: MessageSummary[]; catalog: Catalog; onDone: (result: BulkResult) => void }) {
  const client = useQueryClient();
  const [action, setAction] = useState<BulkAction>('categorize');
  const [categoryCode, setCategory] = useState<string | null>(null);
  const [organizationId, setOrganization] = useState<string | null>(null);
  const [importance, setImportance] = useState('high');
  const [targetId, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const categories = useMemo(() => categoryOptions(catalog), [catalog]);
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const marked = useMemo(() => ids.map((id) => rows.find((m) => m.id === id)).filter((m): m is MessageSummary => !!m), [ids, rows]);

  const run = useMutation({
    mutationFn: () => {
      const params =
        action === 'categorize' || action === 'route'
          ? { ...(categoryCode ? { categoryCode } : {}), ...(organizationId ? { organizationId } : {}) }
          : action === 'importance'
            ? { importance }
            : action === 'merge'
              ? { targetId }
              : {};
      return send<BulkResult>('POST', '/api/v1/messages/bulk', {
        ids: action === 'merge' ? ids.filter((id) => id !== targetId) : ids,
        action,
        ...params,
        reason: reason.trim(),
      });
    },
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['messages'] });
      onDone(result);
    },
  });
  const error = run.error instanceof ApiError ? run.error : run.error ? new ApiError(0, run.error.message, undefined, {}) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };

  return (
    <form className="bulk" aria-label={`Действие с отмеченными: ${ids.length}`} onSubmit={submit}>
      <strong>Отмечено: {ids.length}</strong>
      <div>
        <label htmlFor="bulk-action">Действие</label>
        <select id="bulk-action" value={action} onChange={(e) => setAction(e.target.value as BulkAction)}>
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      {(action === 'categorize' || action === 'route') && (
        <>
          {action === 'categorize' && (
            <Picker
              label="Категория"
              options={categories}
              value={categoryCode}
              onChange={setCategory}
              placeholder="начните вводить"
              error={error?.fields.categoryCode}
            />
          )}
          <Picker
            label="Организация"
            options={organizations}
            value={organizationId}
            onChange={setOrganization}
            emptyLabel={action === 'categorize' ? 'по правилу' : 'выберите'}
            error={error?.fields.organizationId}
          />
        </>
      )}
      {action === 'importance' && (
        <div>
          <label htmlFor="bulk-importance">Важность</label>
          <select id="bulk-importance" value={importance} onChange={(e) => setImportance(e.target.value)}>
            <option value="high">высокая</option>
            <option value="normal">обычная</option>
          </select>
        </div>
      )}
      {action === 'merge' && (
        <div>
          <label htmlFor="bulk-target">Основное сообщение</label>
          <select id="bulk-target" value={targetId ?? ''} onChange={(e) => setTarget(e.target.value || null)} aria-invalid={!!error?.fields.targetId}>
            <option value="">выберите из отмеченных</option>
            {marked.map((m) => (
              <option key={m.id} value={m.id}>
                {firstLine(m.preview).slice(0, 60) || m.id}
              </option>
            ))}
          </select>
        </div>
      )}
      <div>
        <label htmlFor="bulk-reason">Причина (запишется в историю каждого)</label>
        <input id="bulk-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={!!error?.fields.reason} />
      </div>
      <button type="submit" className="primary" disabled={run.isPending}>
        Выполнить
      </button>
      {error && (
        <p className="error" role="alert">
          {error.message}
          {Object.keys(error.fields).length > 0 && `: ${Object.values(error.fields).join('; ')}`}
        </p>
      )}
    </form>
  );
}

/**
 * What a bulk action did, kept on screen after the marks of the changed messages clear (they may
 * have left the list): how many changed and, for each that did not, why.
 */
export function BulkOutcome({ result, rows, onClose }: { result: BulkResult; rows: MessageSummary[]; onClose: () => void }) {
  const failed = result.results.filter((r): r is Extract<BulkResult['results'][number], { ok: false }> => !r.ok);
  return (
    <div role="status" className="bulk-result">
      Выполнено: {result.succeeded} из {result.total}.
      <button type="button" className="quiet" aria-label="Скрыть итог" onClick={onClose}>
        ×
      </button>
      {failed.length > 0 && (
        <ul>
          {failed.map((r) => (
            <li key={r.id}>
              {firstLine(rows.find((m) => m.id === r.id)?.preview ?? r.id).slice(0, 60)} — {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
