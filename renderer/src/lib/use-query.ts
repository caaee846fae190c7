/** A small fetch-on-deps hook for envelope calls: keeps data while reloading, never swallows errors. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope } from '../../../shared/envelope.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { toDisplayError } from './bridge-context.js';

export interface QueryState<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => void;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Runs load() when deps change or reload() is called; the latest request wins. A reload keeps the
 * previous data on screen, but new deps never show the old data (another artifact's custody
 * history, even for one frame, would be a wrong statement about evidence).
 */
export function useQuery<T>(load: () => Promise<Envelope<T>>, deps: readonly unknown[], enabled = true): QueryState<T> {
  const [result, setResult] = useState<{ deps: readonly unknown[]; data: T } | undefined>(undefined);
  const [error, setError] = useState<{ deps: readonly unknown[]; info: ErrorInfo } | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    const forDeps = deps;
    setLoading(true);
    loadRef
      .current()
      .then((envelope) => {
        if (mine !== seq.current) return;
        if (envelope.ok) {
          setResult({ deps: forDeps, data: envelope.value });
          setError(null);
        } else {
          setError({ deps: forDeps, info: envelope.error });
        }
      })
      .catch((err: unknown) => mine === seq.current && setError({ deps: forDeps, info: toDisplayError(err) }))
      .finally(() => mine === seq.current && setLoading(false));
    // deps are the caller's; load is read through a ref so a new closure each render does not refetch.
  }, [...deps, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return {
    data: result && sameDeps(result.deps, deps) ? result.data : undefined,
    error: error && sameDeps(error.deps, deps) ? error.info : null,
    loading,
    reload,
  };
}
