import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError, SignedOut } from './api/client';
import { App } from './app/App';
import './styles.css';

const client = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change by asking again; a dropped connection might.
      retry: (count, error) => !(error instanceof SignedOut) && !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** An engagement's public result (`/results/<id>`): for anyone, without signing in, loaded on its own. */
const PublicResults = lazy(() => import('./public/PublicResults').then((m) => ({ default: m.PublicResults })));
const publicResult = /^\/results\/([0-9a-f-]{36})$/.exec(location.pathname)?.[1];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {publicResult ? (
      <Suspense fallback={<p className="splash">Загрузка…</p>}>
        <PublicResults id={publicResult} />
      </Suspense>
    ) : (
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    )}
  </StrictMode>,
);
