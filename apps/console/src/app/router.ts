import { useSyncExternalStore } from 'react';

/**
 * The address is the state a person shares: `/<view>?<filters>&m=<message id>`. A link copied
 * from the address bar opens the same view, filters and card in another tab.
 */
export const BASE = '/';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => location.pathname + location.search;

export interface Route {
  view: string | null;
  params: URLSearchParams;
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  const view = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length).split('/')[0] || null : null;
  return { view, params: url.searchParams };
}

export function hrefOf(view: string, params?: URLSearchParams | Record<string, string>): string {
  const p = params instanceof URLSearchParams ? params : new URLSearchParams(params ?? {});
  const s = p.toString();
  return `${BASE}${view}${s ? `?${s}` : ''}`;
}

/** Changes the address; `replace` for changes a Back press should skip (selection, typing in a filter). */
export function navigate(to: string, { replace = false } = {}) {
  if (to === snapshot()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

/** Sets or clears some parameters of the current address. */
export function setParams(changes: Record<string, string | null | undefined>, options?: { replace?: boolean }) {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  navigate(url.pathname + url.search, options);
}
