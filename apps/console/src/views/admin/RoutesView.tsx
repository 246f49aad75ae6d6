import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AccessRuleView, RouteAccessView, RoutingRuleView } from '@cur/contracts';
import { get } from '../../api/client';
import type { ViewProps } from '../../app/views';
import './admin.css';

const METHODS: Record<string, string> = { GET: 'чтение', POST: 'действие', PATCH: 'изменение', PUT: 'замена', DELETE: 'удаление' };

function accessText(rule: AccessRuleView | null, roles: Record<string, string>): string {
  if (!rule) return 'не объявлено';
  if (rule.kind === 'public') return 'открыто всем';
  if (rule.kind === 'signed-in') return 'любой вошедший';
  if (rule.kind === 'api-key') return `ключ API источника ${'fixed' in rule.source ? `«${rule.source.fixed}»` : `из поля «${rule.source.field}»`}`;
  return rule.roles.map((r) => roles[r] ?? r).join(', ');
}

/** Who gets which messages (the route table) and who may call what (the access table of this service). */
export function RoutesView({ catalog, me }: ViewProps) {
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: ({ signal }) => get<RoutingRuleView[]>('/api/v1/routing/rules', signal) });
  const mayReadAccess = me.permissions.includes('GET /api/v1/admin/access');
  const access = useQuery({ queryKey: ['access'], queryFn: ({ signal }) => get<RouteAccessView[]>('/api/v1/admin/access', signal), enabled: mayReadAccess });
  const [filter, setFilter] = useState('');
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shownRules = useMemo(
    () =>
      (rules.data ?? []).filter((r) =>
        words.every((w) =>
          [r.id, ...r.categories.map((c) => c.name), ...r.groups, ...r.territories.map((t) => t.name), r.organization?.name ?? 'администрация территории']
            .join(' ')
            .toLowerCase()
            .includes(w),
        ),
      ),
    [rules.data, words],
  );
  const shownAccess = (access.data ?? []).filter((r) =>
    words.every((w) => `${r.method} ${r.path} ${accessText(r.access, catalog.roles)}`.toLowerCase().includes(w)),
  );

  return (
    <div className="admin-view">
      <div className="admin-bar">
        <h1>Маршруты и доступ</h1>
        <label htmlFor="routes-filter" className="sr-only">
          Отбор
        </label>
        <input
          id="routes-filter"
          type="search"
          placeholder="категория, территория, организация, адрес API, роль"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">Маршрутизация: куда направляется сообщение ({shownRules.length})</h2>
        <p className="muted">
          Правила — данные региона (<code>config/regions</code>); порядок важен: действует первое подходящее правило. Правило названо ключом из файла региона.
        </p>
        {rules.isError && (
          <p className="error" role="alert">
            {rules.error.message}
          </p>
        )}
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Правило</th>
              <th scope="col">Категории</th>
              <th scope="col">Территории</th>
              <th scope="col">Организация</th>
            </tr>
          </thead>
          <tbody>
            {shownRules.map((r) => (
              <tr key={r.id}>
                <td>
                  <code translate="no">{r.id}</code>
                </td>
                <td>{r.categories.length ? r.categories.map((c) => c.name).join(', ') : r.groups.length ? `группы: ${r.groups.join(', ')}` : 'любые'}</td>
                <td>{r.territories.length ? r.territories.map((t) => t.name).join(', ') : 'вся область'}</td>
                <td>{r.toTerritoryAdministration ? 'администрация территории сообщения' : (r.organization?.name ?? '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {mayReadAccess && (
        <section aria-labelledby="access-title">
          <h2 id="access-title">Доступ: кто может вызывать API ({shownAccess.length})</h2>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Вид</th>
                <th scope="col">Адрес</th>
                <th scope="col">Кому доступно</th>
              </tr>
            </thead>
            <tbody>
              {shownAccess.map((r) => (
                <tr key={`${r.method} ${r.path}`}>
                  <td title={r.method}>{METHODS[r.method] ?? r.method}</td>
                  <td>
                    <code>{r.path}</code>
                  </td>
                  <td>
                    {r.access?.kind === 'api-key' ? (
                      <>
                        ключ API источника {'fixed' in r.access.source ? '' : 'из поля '}
                        <code translate="no">{'fixed' in r.access.source ? r.access.source.fixed : r.access.source.field}</code>
                      </>
                    ) : (
                      accessText(r.access, catalog.roles)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
