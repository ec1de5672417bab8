import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, request } from './api';
import type { TypedDocumentString } from './gql/graphql';

export interface QueryState<R> {
  data: R | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V): QueryState<R> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: R | null; error: ApiError | null; loading: boolean }>(
    { data: null, error: null, loading: true },
  );
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    request(doc, variables).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          data: null,
          error: error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL'),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Forward keyset paging over the API's cursors, with a stack for "Previous". */
export function usePager(): {
  after: string | null;
  page: number;
  next: (cursor: string | null | undefined) => void;
  prev: () => void;
  reset: () => void;
} {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    next: (cursor) => cursor && setStack((s) => [...s, cursor]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}
