import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Catalog, DisciplineCaseDetail, Employment, Named, OpenCaseRequest } from '@cur/contracts';
import { ApiError, send } from '../../api/client';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatDateTime } from '../../lib/format';
import { Field, invalid } from './fields';

/** A breach a case is opened from: a message's term, or an engagement's result or decision. */
export interface CaseBasis {
  kind: 'message' | 'engagement';
  id: string;
  title: string;
  organization: Named | null;
  dueAt: string;
  /** In words; null while the step is still not done. */
  lateness: string | null;
}

/** Opens a case: from a breach (its organization and date come with it) or from a fact found otherwise. */
export function OpenCaseForm({
  catalog,
  breach,
  onCancel,
  onOpened,
}: {
  catalog: Catalog;
  breach: CaseBasis | null;
  onCancel: () => void;
  onOpened: (id: string) => void;
}) {
  const client = useQueryClient();
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const [organizationId, setOrganizationId] = useState<string | null>(breach?.organization?.id ?? null);
  const [name, setName] = useState('');
  const [position, setPosition] = useState('');
  const [employment, setEmployment] = useState<Employment>('labour');
  const [description, setDescription] = useState(
    breach
      ? `Нарушен срок «${breach.title}»: срок истёк ${formatDateTime(breach.dueAt)}, ${breach.lateness ? `опоздание ${breach.lateness}` : 'не выполнено до сих пор'}.`
      : '',
  );
  const [offenceDate, setOffenceDate] = useState('');
  const [discoveredDate, setDiscoveredDate] = useState('');
  const [auditFinding, setAuditFinding] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const open = useMutation({
    mutationFn: (body: OpenCaseRequest) => send<DisciplineCaseDetail>('POST', '/api/v1/discipline/cases', body),
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: ['discipline'] });
      onOpened(c.id);
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, e.message, undefined, {})),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    open.mutate({
      organizationId: organizationId ?? '',
      person: { name: name.trim(), position: position.trim() },
      employment,
      description: description.trim(),
      breachIds: breach?.kind === 'message' ? [breach.id] : [],
      engagementBreachIds: breach?.kind === 'engagement' ? [breach.id] : [],
      ...(offenceDate ? { offenceDate } : {}),
      ...(discoveredDate ? { discoveredDate } : {}),
      auditFinding,
    });
  };
  const f = (field: string) => error?.fields[field];

  return (
    <form className="d-form" aria-labelledby="open-case-title" onSubmit={submit} noValidate>
      <h2 id="open-case-title">{breach ? 'Дело по нарушению срока' : 'Новое дело'}</h2>
      {breach && (
        <p className="muted">
          Нарушение: {breach.title}, {breach.organization?.name ?? 'ЦУР'}, срок истёк {formatDateTime(breach.dueAt)}.
        </p>
      )}
      {(f('breachIds') ?? f('engagementBreachIds')) && <p className="field-error">{f('breachIds') ?? f('engagementBreachIds')}</p>}
      <Picker
        label="Организация"
        options={organizations}
        value={organizationId}
        onChange={setOrganizationId}
        emptyLabel="выберите организацию"
        error={f('organizationId')}
      />
      <div className="row">
        <Field id="c-name" label="Работник (ФИО)" error={f('person.name') ?? f('person')}>
          <input {...invalid('c-name', f('person.name') ?? f('person'))} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id="c-position" label="Должность" error={f('person.position')}>
          <input {...invalid('c-position', f('person.position'))} value={position} onChange={(e) => setPosition(e.target.value)} />
        </Field>
        <Field id="c-employment" label="Вид службы" error={f('employment')}>
          <select {...invalid('c-employment', f('employment'))} value={employment} onChange={(e) => setEmployment(e.target.value as Employment)}>
            <option value="labour">работник (ТК РФ)</option>
            <option value="civil_service">гражданский служащий (79-ФЗ)</option>
          </select>
        </Field>
      </div>
      <Field id="c-description" label="Проступок" error={f('description')}>
        <textarea {...invalid('c-description', f('description'))} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <div className="row">
        <Field id="c-offence" label={breach ? 'Дата проступка (по умолчанию — день истечения срока)' : 'Дата проступка'} error={f('offenceDate')}>
          <input type="date" {...invalid('c-offence', f('offenceDate'))} value={offenceDate} onChange={(e) => setOffenceDate(e.target.value)} />
        </Field>
        <Field id="c-discovered" label="Дата обнаружения (по умолчанию — сегодня)" error={f('discoveredDate')}>
          <input type="date" {...invalid('c-discovered', f('discoveredDate'))} value={discoveredDate} onChange={(e) => setDiscoveredDate(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={auditFinding} onChange={(e) => setAuditFinding(e.target.checked)} />
          Выявлено проверкой или ревизией
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={open.isPending}>
          Открыть дело
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </form>
  );
}
