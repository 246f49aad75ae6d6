import { Suspense, useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConsoleView, MeView } from '@cur/contracts';
import { onSignedOut, signOut } from '../api/client';
import { useLiveUpdates } from '../api/live';
import { useCatalog, useMe } from '../api/queries';
import { formatDateTime } from '../lib/format';
import type { LiveDeadlineWarning } from '@cur/contracts';
import { hrefOf, navigate, useRoute } from './router';
import { SignIn } from './SignIn';
import { VIEW_TITLES, VIEWS } from './views';

export function App() {
  const me = useMe();
  const client = useQueryClient();
  const [signedOut, setSignedOut] = useState(false);

  useEffect(
    () =>
      onSignedOut(() => {
        setSignedOut(true);
        client.clear();
      }),
    [client],
  );

  if (me.isPending && !signedOut) return <p className="splash">Загрузка…</p>;
  if (signedOut || me.isError || !me.data)
    return (
      <SignIn
        onSignedIn={() => {
          setSignedOut(false);
          void client.invalidateQueries();
        }}
      />
    );
  return <Shell me={me.data} />;
}

function Shell({ me }: { me: MeView }) {
  const route = useRoute();
  const catalog = useCatalog();
  const client = useQueryClient();
  const view = (me.views as string[]).includes(route.view ?? '') ? (route.view as ConsoleView) : me.views[0];
  const View = view ? VIEWS[view] : undefined;
  const [warnings, setWarnings] = useState<LiveDeadlineWarning[]>([]);
  useLiveUpdates({ warning: (w) => setWarnings((all) => [w, ...all.filter((x) => x.messageId !== w.messageId)].slice(0, 5)) });
  const listView = me.views.find((v) => v === 'queue' || v === 'inbox' || v === 'all');

  useEffect(() => {
    if (view && route.view !== view) navigate(hrefOf(view, route.params), { replace: true });
  }, [view, route.view, route.params]);

  const logout = async () => {
    await signOut();
    client.clear();
    navigate(hrefOf(''), { replace: true });
    location.reload();
  };

  return (
    <div className="shell">
      <header className="top">
        <span className="brand">ЦУР · {catalog.data?.region.name ?? ''}</span>
        <nav aria-label="Разделы" className="tabs">
          {me.views.map((v) => (
            <a
              key={v}
              href={hrefOf(v)}
              aria-current={v === view ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(hrefOf(v));
              }}
            >
              {VIEW_TITLES[v]}
            </a>
          ))}
        </nav>
        <span className="who" title={me.login}>
          {me.name} · {me.roleTitles.join(', ')}
          {me.organization ? ` · ${me.organization.name}` : ''}
        </span>
        <button type="button" className="quiet" onClick={() => void logout()}>
          Выйти
        </button>
      </header>
      <main className="main">
        {!view ? (
          <p className="empty">Для вашей роли в консоли нет разделов.</p>
        ) : !catalog.data ? (
          <p className="splash">Загрузка справочников…</p>
        ) : View ? (
          <Suspense fallback={<p className="splash">Загрузка раздела…</p>}>
            <View me={me} catalog={catalog.data} />
          </Suspense>
        ) : (
          <p className="empty">
            Раздел «{VIEW_TITLES[view]}» пока открывается в <a href="/">прежней консоли</a>.
          </p>
        )}
      </main>
      {warnings.length > 0 && (
        <aside className="toasts" aria-label="Предупреждения о сроках">
          <ul role="status">
            {warnings.map((w) => (
              <li key={w.id}>
                Срок ответа {formatDateTime(w.dueAt)} МСК: прошло {Math.round(w.fraction * 100)}% времени.{' '}
                {listView && (
                  <a
                    href={hrefOf(listView, { m: w.messageId })}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(hrefOf(listView, { m: w.messageId }));
                    }}
                  >
                    Открыть
                  </a>
                )}
                <button
                  type="button"
                  className="quiet"
                  aria-label="Скрыть предупреждение"
                  onClick={() => setWarnings((all) => all.filter((x) => x.id !== w.id))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </div>
  );
}
