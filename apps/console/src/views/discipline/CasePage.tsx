import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DisciplineCaseDetail, DisciplineStep, LimitState } from '@cur/contracts';
import { get } from '../../api/client';
import { setParams } from '../../app/router';
import { dateText } from './dates';
import { StepForm } from './StepForm';

const STATES: Record<LimitState, string> = { pending: 'идёт', near: 'истекает', met: 'соблюдён', missed: 'пропущен' };

/** One case: who, what, the limits of the procedure with their basis, the warnings, the next step, the history. */
export function CasePage({ id }: { id: string }) {
  const query = useQuery({
    queryKey: ['discipline', 'case', id],
    queryFn: ({ signal }) => get<DisciplineCaseDetail>(`/api/v1/discipline/cases/${id}`, signal),
  });
  const [step, setStep] = useState<DisciplineStep | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const c = query.data;
  const loaded = c?.id;
  useEffect(() => {
    if (loaded) heading.current?.focus({ preventScroll: true });
  }, [loaded]);

  return (
    <div className="discipline-view">
      <p>
        <button type="button" className="link" onClick={() => setParams({ case: null })}>
          ← Все дела
        </button>
      </p>
      {query.isPending && <p className="muted">Загрузка…</p>}
      {query.isError && (
        <p className="error" role="alert">
          Не удалось загрузить дело: {query.error.message}
        </p>
      )}
      {c && (
        <article aria-labelledby="case-title">
          <h1 id="case-title" ref={heading} tabIndex={-1}>
            {c.person.name}, {c.person.position}
          </h1>
          <dl className="facts">
            <dt>Организация</dt>
            <dd>{c.organization.name}</dd>
            <dt>Вид службы</dt>
            <dd>{c.employmentTitle}</dd>
            <dt>Состояние</dt>
            <dd>{c.statusTitle}</dd>
            <dt>Проступок</dt>
            <dd>{c.description}</dd>
            <dt>Совершён</dt>
            <dd>{dateText(c.offenceDate)}</dd>
            <dt>Обнаружен</dt>
            <dd>
              {dateText(c.discoveredDate)}
              {c.auditFinding ? ' (проверкой)' : ''}
            </dd>
            {c.breachIds.length > 0 && (
              <>
                <dt>Нарушений сроков</dt>
                <dd>{c.breachIds.length}</dd>
              </>
            )}
            {c.order && (
              <>
                <dt>Приказ</dt>
                <dd>
                  № {c.order.number} от {dateText(c.order.date)}: {c.order.measureTitle}
                </dd>
              </>
            )}
            {c.closedReason && (
              <>
                <dt>Закрыто</dt>
                <dd>{c.closedReason}</dd>
              </>
            )}
          </dl>
          {c.findings.length > 0 && (
            <section aria-labelledby="findings-title">
              <h2 id="findings-title">Предупреждения и нарушения процедуры</h2>
              <ul className="findings">
                {c.findings.map((f) => (
                  <li key={f.code} className={f.severity}>
                    <strong>{f.severity === 'violation' ? 'Нарушение' : 'Предупреждение'}:</strong> {f.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="limits-title">
            <h2 id="limits-title">Сроки процедуры</h2>
            <table className="plain" aria-labelledby="limits-title">
              <thead>
                <tr>
                  <th scope="col">Шаг</th>
                  <th scope="col">Не позднее</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Основание</th>
                </tr>
              </thead>
              <tbody>
                {c.limits.map((l) => (
                  <tr key={l.code} className={`limit-${l.state ?? 'none'}`}>
                    <td>{l.title}</td>
                    <td>{dateText(l.due)}</td>
                    <td>{l.state ? STATES[l.state] : '—'}</td>
                    <td>
                      {l.basis.map((b) => (
                        <div key={b}>{b}</div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="steps-title">
            <h2 id="steps-title">Следующий шаг</h2>
            {c.steps.length ? (
              <div className="action-buttons" role="group" aria-label="Шаги процедуры">
                {c.steps.map((s) => (
                  <button
                    key={s.step}
                    type="button"
                    className={step === s.step ? 'chosen' : undefined}
                    aria-expanded={step === s.step}
                    onClick={() => {
                      setDone(null);
                      setStep(step === s.step ? null : s.step);
                    }}
                  >
                    {s.title}
                  </button>
                ))}
              </div>
            ) : (
              <p className="muted">Процедура завершена: шагов больше нет.</p>
            )}
            {step && (
              <StepForm
                key={step}
                c={c}
                step={step}
                title={c.steps.find((s) => s.step === step)?.title ?? ''}
                onCancel={() => setStep(null)}
                onDone={(title) => {
                  setStep(null);
                  setDone(`Записано: ${title}`);
                }}
              />
            )}
            {done && (
              <p className="ok" role="status">
                {done}
              </p>
            )}
          </section>
          <section aria-labelledby="case-history-title">
            <h2 id="case-history-title">История</h2>
            <ol className="history">
              {[...c.history].reverse().map((h, i) => (
                <li key={i}>
                  <time dateTime={h.at}>{dateText(h.at)}</time> {h.title}
                  {h.reason && h.reason !== h.title ? ` — ${h.reason}` : ''}{' '}
                  <span className="muted" title={h.actor}>
                    {h.actorName}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </article>
      )}
    </div>
  );
}
