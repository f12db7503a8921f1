import { useInfiniteQuery } from '@tanstack/react-query';
import { appApi } from '../api/app';
import { keys } from '../api/queries';

export function useMembers(tenantId: string) {
  return useInfiniteQuery({
    queryKey: keys.members(tenantId),
    queryFn: ({ pageParam }) => appApi.members(tenantId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useInvites(tenantId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keys.invites(tenantId),
    queryFn: ({ pageParam }) => appApi.invites(tenantId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}
