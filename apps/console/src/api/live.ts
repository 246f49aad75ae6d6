import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveDeadlineWarning, LiveMessageEvent } from '@cur/contracts';
import { bearer, renew } from './client';

type Listener = { message?: (e: LiveMessageEvent) => void; warning?: (e: LiveDeadlineWarning) => void };

/**
 * The server's live updates (`GET /api/v1/events/stream`), read with fetch so the access token goes
 * in the Authorization header (EventSource cannot send it). One stream per tab; it resumes from the
 * last event id after a drop or an expired token, so nothing in between is missed.
 */
export function useLiveUpdates(listener: Listener) {
  const client = useQueryClient();
  const ref = useRef(listener);
  ref.current = listener;

  useEffect(() => {
    const stop = new AbortController();
    let lastId: string | null = null;
    let refetch: number | undefined;
    // Many changes at once (an import, a bulk action) make one refetch of the lists, not hundreds.
    const refreshLists = () => {
      if (refetch !== undefined) return;
      refetch = window.setTimeout(() => {
        refetch = undefined;
        void client.invalidateQueries({ queryKey: ['messages'] });
      }, 700);
    };

    const handle = (event: string, data: string) => {
      if (event === 'message') {
        const e = JSON.parse(data) as LiveMessageEvent;
        refreshLists();
        void client.invalidateQueries({ queryKey: ['message', e.messageId] });
        ref.current.message?.(e);
      } else if (event === 'deadline-warning') {
        const e = JSON.parse(data) as LiveDeadlineWarning;
        refreshLists();
        ref.current.warning?.(e);
      } else if (event === 'reset') {
        void client.invalidateQueries();
      }
    };

    const run = async () => {
      let delay = 1000;
      while (!stop.signal.aborted) {
        let ended: string | null = null;
        try {
          const res = await fetch('/api/v1/events/stream', {
            signal: stop.signal,
            headers: { Authorization: `Bearer ${await bearer()}`, Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) },
          });
          if (res.status === 401) await renew();
          if (res.ok && res.body) {
            delay = 1000;
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              let cut: number;
              while ((cut = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, cut);
                buffer = buffer.slice(cut + 2);
                let event = 'message';
                const data: string[] = [];
                for (const line of block.split('\n')) {
                  if (line.startsWith('event: ')) event = line.slice(7);
                  else if (line.startsWith('data: ')) data.push(line.slice(6));
                  else if (line.startsWith('id: ')) lastId = line.slice(4);
                }
                if (event === 'end') ended = (JSON.parse(data.join('\n') || '{}') as { reason?: string }).reason ?? 'end';
                else if (data.length) handle(event, data.join('\n'));
              }
            }
          }
        } catch {
          if (stop.signal.aborted) return;
        }
        if (ended === 'token-expired') await renew();
        if (ended === 'session-ended') return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    };
    void run();
    return () => {
      stop.abort();
      window.clearTimeout(refetch);
    };
  }, [client]);
}
