import { Suspense, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleView, MeView, NoticeList, NoticeView } from '@cur/contracts';
import { get, onSignedOut, signOut } from '../api/client';
import { useLiveUpdates } from '../api/live';
import { useCatalog, useMe } from '../api/queries';
import { formatDateTime } from '../lib/format';
import { useKeys } from '../lib/keys';
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
  const notices = useNotices();
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
        <NoticesButton notices={notices} />
        {/* The name; the login, roles and organization on hover, so the menu keeps its room. */}
        <span className="who" title={[me.login, me.roleTitles.join(', '), me.organization?.name].filter(Boolean).join(' · ')}>
          {me.name}
        </span>
        <button type="button" className="quiet" onClick={() => void logout()}>
          Выйти
        </button>
      </header>
      <CriticalNotices notices={notices} />
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
          <p className="empty">Раздел «{VIEW_TITLES[view]}» недоступен.</p>
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

/** What the caller's roles must know about the running system (a missing production calendar, a classifier still training), most severe first. */
function useNotices() {
  return (
    useQuery({
      queryKey: ['notices'],
      queryFn: ({ signal }) => get<NoticeList>('/api/v1/notices', signal),
      refetchInterval: 60_000,
    }).data?.items ?? []
  );
}

/**
 * The notices behind a button in the header, so they cost the lists no rows; Esc or a second press
 * closes them. A critical one is also a banner under the header (see CriticalNotices).
 */
function NoticesButton({ notices }: { notices: NoticeView[] }) {
  const [open, setOpen] = useState(false);
  if (!notices.length) return null;
  const critical = notices.some((n) => n.severity === 'critical');
  return (
    <div className="notices-menu">
      <button
        type="button"
        className={`quiet notices-button${critical ? ' critical' : ''}`}
        aria-expanded={open}
        aria-controls="notices-panel"
        onClick={() => setOpen(!open)}
      >
        Уведомления: {notices.length}
      </button>
      {open && <NoticesPanel notices={notices} onClose={() => setOpen(false)} />}
    </div>
  );
}

function NoticesPanel({ notices, onClose }: { notices: NoticeView[]; onClose: () => void }) {
  useKeys({ Escape: () => onClose() });
  return (
    <section id="notices-panel" className="notices-panel" aria-label="Уведомления о работе системы">
      {notices.map((n) => (
        <p key={n.id} className={`notice ${n.severity}`} data-notice={n.id}>
          <b>{n.title}.</b> {n.text}
        </p>
      ))}
    </section>
  );
}

/** A critical notice (the service cannot do its work as it should) stays in sight, one line each. */
function CriticalNotices({ notices }: { notices: NoticeView[] }) {
  return (
    <div className="notices">
      {notices
        .filter((n) => n.severity === 'critical')
        .map((n) => (
          <p key={n.id} className="notice critical" role="alert" data-notice={n.id} title={n.text}>
            <b>{n.title}.</b> {n.text}
          </p>
        ))}
    </div>
  );
}
