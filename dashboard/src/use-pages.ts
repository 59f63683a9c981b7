import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './api.js';

/** One page of a Relay connection, as a list needs it. */
export type Connection<T> = { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };

/**
 * A list read a page at a time: the first page again whenever `deps` change, the next one with
 * `loadMore`. Only the answer to the latest request counts (a filter changed while a page was on its
 * way); until the first answer `items` is null.
 */
export function usePages<T>(fetchPage: (after: string | null) => Promise<Connection<T> | undefined>, deps: unknown[]) {
  const [items, setItems] = useState<T[] | null>(null);
  const [endCursor, setEndCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const load = async (after: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(after);
      if (ticket !== latest.current) return;
      const nodes = page?.edges.map((edge) => edge.node) ?? [];
      setItems((current) => (after ? [...(current ?? []), ...nodes] : nodes));
      setEndCursor(page?.pageInfo.endCursor ?? null);
      setHasMore(page?.pageInfo.hasNextPage ?? false);
    } catch (caught) {
      if (ticket === latest.current) setError(messageOf(caught));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, deps);

  return { items, hasMore, loading, error, loadMore: () => void load(endCursor) };
}
