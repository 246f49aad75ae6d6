import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { BreachPage, DisciplineCasePage, EngagementBreachList } from '@cur/contracts';
import type { ViewProps } from '../../app/views';
import { get, qs } from '../../api/client';
import { setParams, useRoute } from '../../app/router';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import { MessageLink } from '../../components/MessageLink';
import { CasePage } from './CasePage';
import { OpenCaseForm, type CaseBasis } from './OpenCaseForm';
import { dateText } from './dates';
import './discipline.css';

/**
 * «Дисциплина»: the registry of disciplinary cases tied to breaches of deadlines. The list with its
 * filters, the breaches a case can be opened from, and a case's page with its procedure.
 */
export function DisciplineView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const caseId = params.get('case');
  const opening = params.get('new') === '1';
  const breachId = params.get('breach');
  const engagementBreachId = params.get('ebreach');
  const filter = { status: params.get('status'), organizationId: params.get('organizationId'), attention: params.get('attention') };
  const query = qs({ ...filter, limit: 200 });
  const cases = useQuery({
    queryKey: ['discipline', 'cases', query],
    queryFn: ({ signal }) => get<DisciplineCasePage>(`/api/v1/discipline/cases${query}`, signal),
  });
  const breaches = useQuery({
    queryKey: ['sla', 'breaches', 'discipline'],
    queryFn: ({ signal }) => get<BreachPage>(`/api/v1/sla/breaches?limit=100`, signal),
  });
  // Engagements' late results and decisions (order No. 733, item 4), where the server lets this user read them.
  const mayReadEngagements = me.permissions.includes('GET /api/v1/engagements/breaches');
  const engagementBreaches = useQuery({
    queryKey: ['engagements', 'breaches'],
    queryFn: ({ signal }) => get<EngagementBreachList>('/api/v1/engagements/breaches', signal),
    enabled: mayReadEngagements,
  });
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const inCase = useMemo(() => new Set((cases.data?.items ?? []).flatMap((c) => [...c.breachIds, ...c.engagementBreachIds])), [cases.data]);
  const messageBreach = breaches.data?.items.find((b) => b.id === breachId);
  const engagementBreach = engagementBreaches.data?.items.find((b) => b.id === engagementBreachId);
  const breach: CaseBasis | null = messageBreach
    ? {
        kind: 'message',
        id: messageBreach.id,
        title: messageBreach.title,
        organization: messageBreach.organization,
        dueAt: messageBreach.dueAt,
        lateness: messageBreach.lateness.text,
      }
    : engagementBreach
      ? {
          kind: 'engagement',
          id: engagementBreach.id,
          title: `${engagementBreach.stageTitle}: ${engagementBreach.engagementTitle}`,
          organization: engagementBreach.organization,
          dueAt: engagementBreach.dueAt,
          lateness: engagementBreach.lateness?.text ?? null,
        }
      : null;
  const closeForm = { new: null, breach: null, ebreach: null };

  useKeys({ Escape: () => (opening ? setParams(closeForm) : caseId ? setParams({ case: null }) : false) });

  if (caseId) return <CasePage id={caseId} />;

  return (
    <div className="discipline-view">
      <h1>Дисциплинарные дела</h1>
      {opening && (
        <OpenCaseForm catalog={catalog} breach={breach} onCancel={() => setParams(closeForm)} onOpened={(id) => setParams({ ...closeForm, case: id })} />
      )}
      <section aria-labelledby="cases-title">
        <div className="d-head">
          <h2 id="cases-title">Дела</h2>
          <button type="button" onClick={() => setParams({ ...closeForm, new: '1' })}>
            Новое дело
          </button>
        </div>
        <form className="filters" aria-label="Отбор дел" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label htmlFor="d-status">Состояние</label>
            <select id="d-status" value={filter.status ?? ''} onChange={(e) => setParams({ status: e.target.value })}>
              <option value="">все</option>
              <option value="open">открытые</option>
              <option value="measure_applied">взыскание применено</option>
              <option value="closed">закрытые</option>
            </select>
          </div>
          <Picker label="Организация" options={organizations} value={filter.organizationId} onChange={(v) => setParams({ organizationId: v })} />
          <label className="check">
            <input type="checkbox" checked={filter.attention === 'true'} onChange={(e) => setParams({ attention: e.target.checked ? 'true' : null })} />
            Только с предупреждениями и нарушениями
          </label>
        </form>
        {cases.isError && (
          <p className="error" role="alert">
            Не удалось загрузить дела: {cases.error.message}
          </p>
        )}
        {cases.data && cases.data.items.length > 0 && (
          <table className="plain" aria-labelledby="cases-title">
            <thead>
              <tr>
                <th scope="col">Работник</th>
                <th scope="col">Организация</th>
                <th scope="col">Проступок</th>
                <th scope="col">Состояние</th>
                <th scope="col">Ближайший срок</th>
                <th scope="col">Замечания</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.items.map((c) => {
                const next = c.limits.find((l) => l.state === 'pending' || l.state === 'near');
                const violations = c.findings.filter((f) => f.severity === 'violation').length;
                const warnings = c.findings.length - violations;
                return (
                  <tr key={c.id} data-id={c.id}>
                    <td>
                      <button type="button" className="link" onClick={() => setParams({ case: c.id })}>
                        {c.person.name}
                      </button>
                      <div className="muted">{c.person.position}</div>
                    </td>
                    <td>{c.organization.name}</td>
                    <td>{dateText(c.offenceDate)}</td>
                    <td>{c.statusTitle}</td>
                    <td>{next ? `${next.title}: до ${dateText(next.due)}` : <span className="muted">—</span>}</td>
                    <td>
                      {violations > 0 && <span className="finding-chip violation">нарушений: {violations}</span>}
                      {warnings > 0 && <span className="finding-chip warning">предупреждений: {warnings}</span>}
                      {!c.findings.length && <span className="muted">нет</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {cases.data?.items.length === 0 && <p className="muted">Дел нет.</p>}
      </section>
      <section aria-labelledby="d-breaches-title">
        <h2 id="d-breaches-title">Нарушения сроков</h2>
        {breaches.isError && (
          <p className="error" role="alert">
            Не удалось загрузить нарушения: {breaches.error.message}
          </p>
        )}
        {breaches.data && breaches.data.items.length > 0 && (
          <table className="plain" aria-labelledby="d-breaches-title">
            <thead>
              <tr>
                <th scope="col">Сообщение</th>
                <th scope="col">Срок</th>
                <th scope="col">Организация</th>
                <th scope="col">Срок истёк</th>
                <th scope="col">Опоздание</th>
                <th scope="col">Дело</th>
              </tr>
            </thead>
            <tbody>
              {breaches.data.items.map((b) => (
                <tr key={b.id} data-breach={b.id}>
                  <td>
                    <MessageLink me={me} id={b.messageId} />
                  </td>
                  <td>{b.title}</td>
                  <td>{b.organization?.name ?? 'ЦУР'}</td>
                  <td>{formatDateTime(b.dueAt)}</td>
                  <td>{b.lateness.text}</td>
                  <td>
                    {inCase.has(b.id) ? (
                      <span className="muted">рассматривается</span>
                    ) : (
                      <button type="button" onClick={() => setParams({ ...closeForm, new: '1', breach: b.id })}>
                        Открыть дело
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {breaches.data?.items.length === 0 && <p className="muted">Нарушений сроков нет.</p>}
      </section>
      {mayReadEngagements && (
        <section aria-labelledby="d-engagement-breaches-title">
          <h2 id="d-engagement-breaches-title">Нарушения сроков обсуждений, голосований и опросов</h2>
          {engagementBreaches.isError && (
            <p className="error" role="alert">
              Не удалось загрузить нарушения: {engagementBreaches.error.message}
            </p>
          )}
          {engagementBreaches.data && engagementBreaches.data.items.length > 0 && (
            <table className="plain" aria-labelledby="d-engagement-breaches-title">
              <thead>
                <tr>
                  <th scope="col">Обсуждение, голосование или опрос</th>
                  <th scope="col">Этап</th>
                  <th scope="col">Организатор</th>
                  <th scope="col">Срок истёк</th>
                  <th scope="col">Опоздание</th>
                  <th scope="col">Дело</th>
                </tr>
              </thead>
              <tbody>
                {engagementBreaches.data.items.map((b) => (
                  <tr key={b.id} data-engagement-breach={b.id}>
                    <td>{b.engagementTitle}</td>
                    <td>{b.stageTitle}</td>
                    <td>{b.organization.name}</td>
                    <td>{formatDateTime(b.dueAt)}</td>
                    <td>{b.lateness?.text ?? <span className="error">не выполнено</span>}</td>
                    <td>
                      {inCase.has(b.id) ? (
                        <span className="muted">рассматривается</span>
                      ) : (
                        <button type="button" onClick={() => setParams({ ...closeForm, new: '1', ebreach: b.id })}>
                          Открыть дело
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {engagementBreaches.data?.items.length === 0 && <p className="muted">Нарушений сроков нет.</p>}
        </section>
      )}
    </div>
  );
}
