import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbortError } from '../api/client';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  /** True from the very render in which `deps` change until their answer arrives. */
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  key: string;
  data: T | undefined;
  error: unknown;
}

/**
 * Runs `load` when `deps` change and aborts the previous run, so a slow answer for an old
 * page or filter never overwrites a newer one. Previous data stays visible while reloading;
 * `loading` is derived from the deps rather than set in the effect, so no render ever shows
 * new parameters next to an idle table of old rows.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify([...deps, nonce]);
  const [settled, setSettled] = useState<Settled<T>>({ key: '', data: undefined, error: undefined });

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ key, data, error: undefined });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setSettled((prev) => ({ key, data: prev.data, error }));
      },
    );
    return () => controller.abort();
    // `load` is deliberately not a dependency: callers pass an inline closure and list
    // what it reads in `deps`, which `key` encodes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = settled.key === key;
  return { data: settled.data, error: current ? settled.error : undefined, loading: !current, reload };
}
