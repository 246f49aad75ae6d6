import { lazy, Suspense, type ComponentType } from 'react';
import type { Catalog, ConsoleView, MeView } from '@cur/contracts';
import { MessagesView } from '../views/messages/MessagesView';

// Views with charts bring ECharts: loaded when first opened, so the first screen stays small.
const MonitoringView = lazy(() => import('../views/monitoring/MonitoringView').then((m) => ({ default: m.MonitoringView })));

const loading = <p className="splash">Загрузка раздела…</p>;

/** What every view receives: who is signed in and the region's names. */
export interface ViewProps {
  me: MeView;
  catalog: Catalog;
}

export const VIEW_TITLES: Record<ConsoleView, string> = {
  queue: 'Очередь разбора',
  inbox: 'Входящие',
  all: 'Все сообщения',
  control: 'Контроль сроков',
  monitoring: 'Мониторинг',
  reports: 'Сводки',
  discipline: 'Дисциплина',
  imports: 'Импорт ПОС',
  classifier: 'Классификатор',
  users: 'Пользователи',
  routes: 'Маршруты и доступ',
  deadletters: 'Сбойные события',
  organizer: 'Обсуждения',
};

/**
 * The views the console has. A view the server names for a role but not yet listed here says
 * where it still opens (the old console at /).
 */
export const VIEWS: Partial<Record<ConsoleView, ComponentType<ViewProps>>> = {
  queue: (props) => <MessagesView key="queue" view="queue" base={{ status: 'needs_triage,moderation' }} {...props} />,
  inbox: (props) => <MessagesView key="inbox" view="inbox" base={{ status: 'open' }} {...props} />,
  all: (props) => <MessagesView key="all" view="all" base={{}} {...props} />,
  monitoring: (props) => (
    <Suspense fallback={loading}>
      <MonitoringView {...props} />
    </Suspense>
  ),
};
