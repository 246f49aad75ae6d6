import { lazy, Suspense, type ComponentType } from 'react';
import type { Catalog, ConsoleView, MeView } from '@cur/contracts';
import { MessagesView } from '../views/messages/MessagesView';
import { UsersView } from '../views/users/UsersView';
import { ClassifierView } from '../views/classifier/ClassifierView';
import { ImportView } from '../views/admin/ImportView';
import { RoutesView } from '../views/admin/RoutesView';
import { DeadLettersView } from '../views/admin/DeadLettersView';

// Views with big libraries or used by few roles load on first open; the first view's bundle stays small.
const ControlView = lazy(() => import('../views/control/ControlView').then((m) => ({ default: m.ControlView })));
const DisciplineView = lazy(() => import('../views/discipline/DisciplineView').then((m) => ({ default: m.DisciplineView })));
const TemplatesView = lazy(() => import('../views/templates/TemplatesView').then((m) => ({ default: m.TemplatesView })));

// Views with charts bring ECharts: loaded when first opened, so the first screen stays small.
const MonitoringView = lazy(() => import('../views/monitoring/MonitoringView').then((m) => ({ default: m.MonitoringView })));

// Organizers' screen, with its own charts: loaded on first open.
const EngagementsView = lazy(() => import('../views/engagements/EngagementsView').then((m) => ({ default: m.EngagementsView })));

const ReportsView = lazy(() => import('../views/reports/ReportsView').then((m) => ({ default: m.ReportsView })));

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
  templates: 'Шаблоны ответов',
  deadletters: 'Сбойные события',
  organizer: 'Обсуждения',
};

/** The views the console has: one for every view the server may name (CONSOLE_VIEWS), or the build fails. */
export const VIEWS: Record<ConsoleView, ComponentType<ViewProps>> = {
  queue: (props) => <MessagesView key="queue" view="queue" base={{ status: 'needs_triage,moderation' }} {...props} />,
  inbox: (props) => <MessagesView key="inbox" view="inbox" base={{ status: 'open' }} {...props} />,
  all: (props) => <MessagesView key="all" view="all" base={{}} {...props} />,
  control: ControlView,
  discipline: DisciplineView,
  imports: ImportView,
  classifier: ClassifierView,
  users: UsersView,
  routes: RoutesView,
  templates: TemplatesView,
  deadletters: DeadLettersView,
  organizer: EngagementsView,
  reports: ReportsView,
  monitoring: (props) => (
    <Suspense fallback={loading}>
      <MonitoringView {...props} />
    </Suspense>
  ),
};
