import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Catalog, UserDetail, UserView } from '@cur/contracts';
import { ApiError, get, send } from '../../api/client';
import type { ViewProps } from '../../app/views';
import { setParams, useRoute } from '../../app/router';
import { Picker } from '../../components/Picker';
import { organizationOptions } from '../../lib/catalog';
import { formatDateTime } from '../../lib/format';
import { useKeys } from '../../lib/keys';
import './users.css';

const HISTORY_TITLES: Record<string, string> = {
  created: 'Создан',
  updated: 'Изменён',
  'password-reset': 'Пароль сброшен',
  disabled: 'Отключён',
  enabled: 'Включён',
};

/** Accounts for admins: the list, and beside it the chosen account (or a new one) with its history. */
export function UsersView({ me, catalog }: ViewProps) {
  const { params } = useRoute();
  const chosen = params.get('user');
  const users = useQuery({ queryKey: ['users'], queryFn: ({ signal }) => get<UserView[]>('/api/v1/users', signal) });
  const [filter, setFilter] = useState('');
  useKeys({ Escape: () => (chosen ? setParams({ user: null }) : false) });

  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return (users.data ?? []).filter((u) =>
      words.every((w) => `${u.login} ${u.displayName} ${u.organization?.name ?? ''} ${u.roleTitles.join(' ')}`.toLowerCase().includes(w)),
    );
  }, [users.data, filter]);

  return (
    <div className={`users-view${chosen ? ' with-card' : ''}`}>
      <section className="users-list" aria-labelledby="users-title">
        <div className="users-bar">
          <h1 id="users-title">Пользователи</h1>
          <label htmlFor="users-filter" className="sr-only">
            Найти пользователя
          </label>
          <input id="users-filter" type="search" placeholder="логин, имя, организация, роль" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="primary" onClick={() => setParams({ user: 'new' })}>
            Новый пользователь
          </button>
        </div>
        {users.isError && (
          <p className="error" role="alert">
            {users.error.message}
          </p>
        )}
        <div className="users-scroll">
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Имя</th>
                <th scope="col">Логин</th>
                <th scope="col">Роли</th>
                <th scope="col">Организация</th>
                <th scope="col">Состояние</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => (
                <tr key={u.id} className={u.id === chosen ? 'selected' : ''} aria-selected={u.id === chosen}>
                  <td>
                    <a
                      href={`?user=${u.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        setParams({ user: u.id });
                      }}
                    >
                      {u.displayName}
                    </a>
                    {u.demo && <span className="chip">демо</span>}
                  </td>
                  <td>{u.login}</td>
                  <td>{u.roleTitles.join(', ')}</td>
                  <td>{u.organization?.name ?? '—'}</td>
                  <td>{u.active ? 'активен' : <span className="muted">отключён</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {chosen === 'new' ? (
        <NewUser catalog={catalog} onDone={(id) => setParams({ user: id })} />
      ) : chosen ? (
        <UserCard key={chosen} id={chosen} self={me.login} catalog={catalog} />
      ) : null}
    </div>
  );
}

function RoleChecks({ catalog, roles, onChange, error }: { catalog: Catalog; roles: string[]; onChange: (roles: string[]) => void; error?: string }) {
  return (
    <fieldset className="roles" aria-invalid={error ? true : undefined}>
      <legend>Роли</legend>
      {Object.entries(catalog.roles).map(([code, title]) => (
        <label key={code} className="check">
          <input
            type="checkbox"
            checked={roles.includes(code)}
            onChange={(e) => onChange(e.target.checked ? [...roles, code] : roles.filter((r) => r !== code))}
          />
          {title}
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

const errorOf = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : 'Ошибка', undefined, {}));

function NewUser({ catalog, onDone }: { catalog: Catalog; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const [form, setForm] = useState({ login: '', displayName: '', password: '', roles: [] as string[], organizationId: null as string | null, reason: '' });
  const create = useMutation({
    mutationFn: () =>
      send<UserView>('POST', '/api/v1/users', {
        login: form.login.trim(),
        displayName: form.displayName.trim(),
        password: form.password,
        roles: form.roles,
        ...(form.organizationId ? { organizationId: form.organizationId } : {}),
        ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
      }),
    onSuccess: (user) => {
      void client.invalidateQueries({ queryKey: ['users'] });
      onDone(user.id);
    },
  });
  const error = create.error ? errorOf(create.error) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <aside className="user-card" aria-labelledby="new-user-title">
      <h2 id="new-user-title">Новый пользователь</h2>
      <form onSubmit={submit} className="user-form">
        <Field id="nu-login" label="Логин" error={error?.fields.login}>
          <input
            id="nu-login"
            value={form.login}
            onChange={(e) => setForm({ ...form, login: e.target.value })}
            aria-invalid={!!error?.fields.login}
            autoComplete="off"
          />
        </Field>
        <Field id="nu-name" label="Имя (фамилия, имя, отчество)" error={error?.fields.displayName}>
          <input
            id="nu-name"
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
            aria-invalid={!!error?.fields.displayName}
          />
        </Field>
        <Field id="nu-password" label="Пароль (не короче 10 символов)" error={error?.fields.password}>
          <input
            id="nu-password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            aria-invalid={!!error?.fields.password}
          />
        </Field>
        <RoleChecks catalog={catalog} roles={form.roles} onChange={(roles) => setForm({ ...form, roles })} error={error?.fields.roles} />
        <Picker
          label="Организация"
          options={organizations}
          value={form.organizationId}
          onChange={(v) => setForm({ ...form, organizationId: v })}
          emptyLabel="без организации"
          error={error?.fields.organizationId}
        />
        <Field id="nu-reason" label="Основание (обязательно для ролей, которые видят персональные данные)" error={error?.fields.reason}>
          <input id="nu-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} aria-invalid={!!error?.fields.reason} />
        </Field>
        {error && (
          <p className="error" role="alert">
            {error.message}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={create.isPending}>
            Создать
          </button>
          <button type="button" className="quiet" onClick={() => setParams({ user: null })}>
            Отмена
          </button>
        </div>
      </form>
    </aside>
  );
}

function UserCard({ id, self, catalog }: { id: string; self: string; catalog: Catalog }) {
  const client = useQueryClient();
  const user = useQuery({ queryKey: ['user', id], queryFn: ({ signal }) => get<UserDetail>(`/api/v1/users/${id}`, signal) });
  const u = user.data;
  const organizations = useMemo(() => organizationOptions(catalog), [catalog]);
  const [edit, setEdit] = useState<{ displayName: string; roles: string[]; organizationId: string | null; reason: string } | null>(null);
  const [password, setPassword] = useState({ password: '', reason: '' });
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['users'] });
    void client.invalidateQueries({ queryKey: ['user', id] });
  };
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => send<UserView>('PATCH', `/api/v1/users/${id}`, body),
    onSuccess: (_u, body) => {
      setEdit(null);
      setDone('active' in body ? (body.active ? 'Пользователь включён' : 'Пользователь отключён; его сеансы завершены') : 'Изменения сохранены');
      refresh();
    },
  });
  const reset = useMutation({
    mutationFn: () => send<void>('POST', `/api/v1/users/${id}/password`, password),
    onSuccess: () => {
      setPassword({ password: '', reason: '' });
      setDone('Пароль сброшен; сеансы пользователя завершены');
      refresh();
    },
  });
  if (user.isPending) return <aside className="user-card">Загрузка…</aside>;
  if (user.isError || !u)
    return (
      <aside className="user-card">
        <p className="error" role="alert">
          {user.error?.message ?? 'Пользователь не найден'}
        </p>
      </aside>
    );
  const updateError = update.error ? errorOf(update.error) : null;
  const resetError = reset.error ? errorOf(reset.error) : null;
  const isSelf = u.login === self;
  return (
    <aside className="user-card" aria-labelledby="user-title">
      <h2 id="user-title">
        {u.displayName} <span className="muted">{u.login}</span>
      </h2>
      <p>
        {u.roleTitles.join(', ')} · {u.organization?.name ?? 'без организации'} · {u.active ? 'активен' : 'отключён'}
      </p>
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {!edit ? (
        <div className="row">
          <button
            type="button"
            onClick={() => setEdit({ displayName: u.displayName, roles: [...u.roles], organizationId: u.organization?.id ?? null, reason: '' })}
          >
            Изменить
          </button>
          {!isSelf && (
            <button
              type="button"
              className={u.active ? 'danger' : ''}
              disabled={update.isPending}
              onClick={() => update.mutate({ active: !u.active, reason: u.active ? 'Отключён администратором' : 'Включён администратором' })}
            >
              {u.active ? 'Отключить' : 'Включить'}
            </button>
          )}
        </div>
      ) : (
        <form
          className="user-form"
          aria-label="Изменение пользователя"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({
              displayName: edit.displayName.trim(),
              ...(isSelf ? {} : { roles: edit.roles, organizationId: edit.organizationId }),
              reason: edit.reason.trim(),
            });
          }}
        >
          <Field id="eu-name" label="Имя" error={updateError?.fields.displayName}>
            <input id="eu-name" value={edit.displayName} onChange={(e) => setEdit({ ...edit, displayName: e.target.value })} />
          </Field>
          {!isSelf && (
            <>
              <RoleChecks catalog={catalog} roles={edit.roles} onChange={(roles) => setEdit({ ...edit, roles })} error={updateError?.fields.roles} />
              <Picker
                label="Организация"
                options={organizations}
                value={edit.organizationId}
                onChange={(v) => setEdit({ ...edit, organizationId: v })}
                emptyLabel="без организации"
                error={updateError?.fields.organizationId}
              />
            </>
          )}
          <Field id="eu-reason" label="Причина изменения" error={updateError?.fields.reason}>
            <input
              id="eu-reason"
              value={edit.reason}
              onChange={(e) => setEdit({ ...edit, reason: e.target.value })}
              aria-invalid={!!updateError?.fields.reason}
            />
          </Field>
          {updateError && (
            <p className="error" role="alert">
              {updateError.message}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={update.isPending}>
              Сохранить
            </button>
            <button type="button" className="quiet" onClick={() => setEdit(null)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {!isSelf && (
        <form
          className="user-form"
          aria-labelledby="reset-title"
          onSubmit={(e) => {
            e.preventDefault();
            reset.mutate();
          }}
        >
          <h3 id="reset-title">Сброс пароля</h3>
          <Field id="rp-password" label="Новый пароль (не короче 10 символов)" error={resetError?.fields.password}>
            <input
              id="rp-password"
              type="password"
              autoComplete="new-password"
              value={password.password}
              onChange={(e) => setPassword({ ...password, password: e.target.value })}
              aria-invalid={!!resetError?.fields.password}
            />
          </Field>
          <Field id="rp-reason" label="Причина" error={resetError?.fields.reason}>
            <input
              id="rp-reason"
              value={password.reason}
              onChange={(e) => setPassword({ ...password, reason: e.target.value })}
              aria-invalid={!!resetError?.fields.reason}
            />
          </Field>
          {resetError && (
            <p className="error" role="alert">
              {resetError.message}
            </p>
          )}
          <button type="submit" disabled={reset.isPending}>
            Сбросить пароль
          </button>
        </form>
      )}
      <h3>История</h3>
      <ol className="history">
        {[...u.history].reverse().map((h, i) => (
          <li key={i}>
            <time dateTime={h.at}>{formatDateTime(h.at)}</time> {HISTORY_TITLES[h.type] ?? h.type}
            {h.reason && <> — {h.reason}</>} <span className="muted">{h.actor}</span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
