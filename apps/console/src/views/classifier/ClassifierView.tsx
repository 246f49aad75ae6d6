import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClassifierModelView } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import type { ViewProps } from '../../app/views';
import { setParams, useRoute } from '../../app/router';
import { formatDateTime } from '../../lib/format';
import './classifier.css';

const RUBRICATORS: Record<string, string> = { pos: 'Рубрикатор ПОС', im: 'Темы ИМ (соцсети)' };
const STATUSES: Record<ClassifierModelView['status'], string> = { active: 'действует', candidate: 'кандидат', retired: 'выведена', rejected: 'отклонена' };
const ORIGINS: Record<ClassifierModelView['origin'], string> = { bootstrap: 'начальная', retrain: 'переобучение' };

const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);

/** The figures that compare two versions, each with how to read it. */
const FIGURES: { label: string; value: (m: ClassifierModelView) => number | null | undefined; note: string }[] = [
  { label: 'Точность (первая категория)', value: (m) => m.metrics.validation?.accuracy, note: 'доля сообщений, где первая предложенная категория верна' },
  { label: 'Верная среди трёх', value: (m) => m.metrics.validation?.top3Accuracy, note: 'верная категория среди трёх предложенных (клавиши 1–3)' },
  { label: 'Макро-F1', value: (m) => m.metrics.validation?.macroF1, note: 'среднее по категориям: малые категории весят как большие' },
  { label: 'Доля автоматической маршрутизации', value: (m) => m.metrics.validation?.automaticCoverage, note: 'сколько сообщений уходит без оператора' },
  { label: 'Точность автоматической маршрутизации', value: (m) => m.metrics.validation?.automaticPrecision, note: 'сколько из них уходит верно' },
  {
    label: 'Точность на исправлениях операторов',
    value: (m) => m.metrics.holdout?.candidate.accuracy,
    note: 'на отложенных примерах, которых модель не видела',
  },
];

/** Classifier versions per rubricator: their metrics, a comparison of two, activation and rollback. */
export function ClassifierView({ me }: ViewProps) {
  const { params } = useRoute();
  const rubricator = params.get('rubricator') === 'im' ? 'im' : 'pos';
  const client = useQueryClient();
  const models = useQuery({
    queryKey: ['classifier', rubricator],
    queryFn: ({ signal }) => get<ClassifierModelView[]>(`/api/v1/classifier/models?rubricator=${rubricator}`, signal),
    // On a first start the models train in the background: look again until one is in force.
    refetchInterval: (query) => (query.state.data?.some((m) => m.status === 'active') ? false : 5000),
  });
  const [compare, setCompare] = useState<string[]>([]);
  const [decision, setDecision] = useState<{ kind: 'activate' | 'rollback' | 'retrain'; id?: string } | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const can = (route: string) => me.permissions.includes(route);

  const act = useMutation({
    mutationFn: () => {
      if (decision?.kind === 'activate') return send('POST', `/api/v1/classifier/models/${decision.id}/activate`, { reason: reason.trim() });
      if (decision?.kind === 'rollback') return send('POST', '/api/v1/classifier/rollback', { rubricator, reason: reason.trim() });
      return send('POST', '/api/v1/classifier/retrain', { rubricator, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    },
    onSuccess: () => {
      setDone(
        decision?.kind === 'activate' ? 'Версия введена в действие' : decision?.kind === 'rollback' ? 'Возвращена предыдущая версия' : 'Модель переобучена',
      );
      setDecision(null);
      setReason('');
      void client.invalidateQueries({ queryKey: ['classifier'] });
    },
  });
  const error = act.error instanceof ApiError ? act.error : act.error ? new ApiError(0, act.error.message, undefined, {}) : null;
  const list = models.data ?? [];
  const compared = list.filter((m) => compare.includes(m.id));

  return (
    <div className="classifier-view">
      <div className="classifier-bar">
        <h1>Классификатор</h1>
        <div role="tablist" aria-label="Рубрикатор">
          {Object.entries(RUBRICATORS).map(([code, title]) => (
            <button
              key={code}
              type="button"
              role="tab"
              aria-selected={code === rubricator}
              className={code === rubricator ? 'chosen' : ''}
              onClick={() => {
                setCompare([]);
                setParams({ rubricator: code === 'pos' ? null : code });
              }}
            >
              {title}
            </button>
          ))}
        </div>
        {can('POST /api/v1/classifier/retrain') && (
          <button type="button" onClick={() => setDecision({ kind: 'retrain' })}>
            Переобучить
          </button>
        )}
        {can('POST /api/v1/classifier/rollback') && list.some((m) => m.status === 'retired') && (
          <button type="button" onClick={() => setDecision({ kind: 'rollback' })}>
            Откатить к предыдущей
          </button>
        )}
      </div>
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {decision && (
        <form
          className="decision"
          aria-label="Решение по версии"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate();
          }}
        >
          <label htmlFor="c-reason">
            {decision.kind === 'retrain' ? 'Зачем переобучить (необязательно)' : decision.kind === 'activate' ? 'Почему вводится эта версия' : 'Почему откат'}
          </label>
          <input id="c-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={!!error?.fields.reason} autoFocus />
          {error?.fields.reason && <p className="field-error">{error.fields.reason}</p>}
          <button type="submit" className="primary" disabled={act.isPending}>
            {act.isPending ? 'Выполняется…' : decision.kind === 'retrain' ? 'Переобучить' : decision.kind === 'activate' ? 'Ввести в действие' : 'Откатить'}
          </button>
          <button type="button" className="quiet" onClick={() => setDecision(null)}>
            Отмена
          </button>
          {error && !error.fields.reason && (
            <p className="error" role="alert">
              {error.message}
            </p>
          )}
        </form>
      )}
      {models.isError && (
        <p className="error" role="alert">
          {models.error.message}
        </p>
      )}
      {models.isSuccess && list.length === 0 && <p className="muted">Версий ещё нет: начальная модель обучается, список обновится сам.</p>}
      <table className="plain versions">
        <caption className="sr-only">Версии модели: {RUBRICATORS[rubricator]}</caption>
        <thead>
          <tr>
            <th scope="col">Сравнить</th>
            <th scope="col">Версия</th>
            <th scope="col">Состояние</th>
            <th scope="col">Создана</th>
            <th scope="col">Примеров (исправлений)</th>
            <th scope="col">Категорий</th>
            <th scope="col">Точность</th>
            <th scope="col">Макро-F1</th>
            <th scope="col">Авто: доля / точность</th>
            <th scope="col">Решение</th>
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={m.id} className={m.status === 'active' ? 'active' : ''}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Сравнить версию ${m.version}`}
                  checked={compare.includes(m.id)}
                  onChange={(e) => setCompare(e.target.checked ? [...compare, m.id].slice(-2) : compare.filter((x) => x !== m.id))}
                />
              </td>
              <td>
                {m.version} <span className="muted">{ORIGINS[m.origin]}</span>
              </td>
              <td>{STATUSES[m.status]}</td>
              <td>
                {formatDateTime(m.createdAt)}{' '}
                <span className="muted" title={m.createdBy}>
                  {m.createdByName}
                </span>
              </td>
              <td>
                {m.trainingExamples} ({m.trainingCorrections})
              </td>
              <td>{m.labels}</td>
              <td>{percent(m.metrics.validation?.accuracy)}</td>
              <td>{percent(m.metrics.validation?.macroF1)}</td>
              <td>
                {percent(m.metrics.validation?.automaticCoverage)} / {percent(m.metrics.validation?.automaticPrecision)}
              </td>
              <td>
                {m.metrics.verdict && <span className="muted">{m.metrics.verdict} </span>}
                {can('POST /api/v1/classifier/models/:id/activate') && m.status !== 'active' && (
                  <button type="button" onClick={() => setDecision({ kind: 'activate', id: m.id })}>
                    Ввести в действие
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {compared.length === 2 && (
        <section aria-labelledby="compare-title" className="compare">
          <h2 id="compare-title">
            Сравнение: версия {compared[0].version} и версия {compared[1].version}
          </h2>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Показатель</th>
                <th scope="col">Версия {compared[0].version}</th>
                <th scope="col">Версия {compared[1].version}</th>
                <th scope="col">Разница</th>
              </tr>
            </thead>
            <tbody>
              {FIGURES.map((f) => {
                const a = f.value(compared[0]);
                const b = f.value(compared[1]);
                const diff = typeof a === 'number' && typeof b === 'number' ? b - a : null;
                return (
                  <tr key={f.label}>
                    <th scope="row" title={f.note}>
                      {f.label}
                    </th>
                    <td>{percent(a)}</td>
                    <td>{percent(b)}</td>
                    <td className={diff === null ? '' : diff >= 0 ? 'ok' : 'error'}>
                      {diff === null ? '—' : `${diff >= 0 ? '+' : '−'}${Math.abs(diff * 100).toFixed(1)} п. п.`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {list.length > 0 && (
        <section aria-labelledby="model-history-title">
          <h2 id="model-history-title">История версий</h2>
          <ol className="history">
            {list
              .flatMap((m) => m.history.map((h) => ({ ...h, version: m.version })))
              .sort((a, b) => b.at.localeCompare(a.at))
              .slice(0, 30)
              .map((h, i) => (
                <li key={i}>
                  <time dateTime={h.at}>{formatDateTime(h.at)}</time> версия {h.version}: {h.typeTitle}
                  {h.reason && <> — {h.reason}</>}{' '}
                  <span className="muted" title={h.actor}>
                    {h.actorName}
                  </span>
                </li>
              ))}
          </ol>
        </section>
      )}
    </div>
  );
}
