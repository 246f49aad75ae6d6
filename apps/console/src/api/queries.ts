import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Catalog, MeView, MessageDetail, MessagePage } from '@cur/contracts';
import { get } from './client';

export const keys = {
  me: ['me'] as const,
  catalog: ['catalog'] as const,
  messages: (query: string) => ['messages', query] as const,
  message: (id: string) => ['message', id] as const,
};

export const useMe = () => useQuery({ queryKey: keys.me, queryFn: ({ signal }) => get<MeView>('/api/v1/auth/me', signal), staleTime: Infinity, retry: false });

export const useCatalog = () => useQuery({ queryKey: keys.catalog, queryFn: ({ signal }) => get<Catalog>('/api/v1/catalog', signal), staleTime: Infinity });

/** A list, page after page by the server's cursor; `query` is the list's query string without cursor. */
export const useMessages = (query: string) =>
  useInfiniteQuery({
    queryKey: keys.messages(query),
    queryFn: ({ pageParam, signal }) => get<MessagePage>(`/api/v1/messages?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const useMessage = (id: string | null) =>
  useQuery({ queryKey: keys.message(id ?? ''), queryFn: ({ signal }) => get<MessageDetail>(`/api/v1/messages/${id}`, signal), enabled: !!id });
