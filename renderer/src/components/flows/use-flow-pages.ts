/** Keyset paging over flows.query, or flows.touchingCloudTrail when only flows touching CloudTrail addresses are wanted. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlowFilters, FlowRow, FlowTouchingPage, FlowTouchingRow } from '../../../../shared/contract-flows.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';

const PAGE = 300;
/** Rows held at most; past this the examiner narrows the filters. */
export const MAX_FLOW_ROWS = 60_000;

export type ShownFlow = FlowRow & Partial<Pick<FlowTouchingRow, 'matchedAddress' | 'cloudTrailEvents'>>;

export interface FlowPages {
  flows: ShownFlow[];
  nextCursor: string | null;
  /** flows.query only: matching records on the first page. */
  total: number | null;
  totalCapped: boolean;
  /** flows.touchingCloudTrail only: the addresses seen on both sides. */
  addresses: FlowTouchingPage['addresses'];
  loading: boolean;
  loadingMore: boolean;
  error: ErrorInfo | null;
  loadMore: () => void;
  capped: boolean;
}

/** Pages for the filters; `touching` switches the operation; `reloadKey` changing starts again. */
export function useFlowPages(caseId: string, filters: FlowFilters, touching: boolean, reloadKey: number): FlowPages {
  const { api } = useBridge();
  const [flows, setFlows] = useState<ShownFlow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [totalCapped, setTotalCapped] = useState(false);
  const [addresses, setAddresses] = useState<FlowTouchingPage['addresses']>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A newer query makes older responses stale; they are dropped, never merged.
  const generation = useRef(0);
  const key = JSON.stringify(filters);

  const fetchPage = useCallback(
    async (cursor?: string) => {
      const input = { caseId, filters, limit: PAGE, ...(cursor ? { cursor } : {}) };
      if (touching) {
        const p = await unwrap(api.flows.touchingCloudTrail(input));
        return { flows: p.flows as ShownFlow[], nextCursor: p.nextCursor, total: null, totalCapped: false, addresses: p.addresses };
      }
      const p = await unwrap(api.flows.query(input));
      return { flows: p.flows as ShownFlow[], nextCursor: p.nextCursor, total: p.total, totalCapped: p.totalCapped, addresses: null };
    },
    // filters is compared by value through key.
    [api, caseId, key, touching],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setLoadingMore(false);
    setError(null);
    fetchPage()
      .then((p) => {
        if (mine !== generation.current) return;
        setFlows(p.flows);
        setNextCursor(p.nextCursor);
        setTotal(p.total);
        setTotalCapped(p.totalCapped);
        setAddresses(p.addresses);
      })
      .catch((err: unknown) => {
        if (mine !== generation.current) return;
        setFlows([]);
        setNextCursor(null);
        setTotal(null);
        setAddresses(null);
        setError(toDisplayError(err));
      })
      .finally(() => mine === generation.current && setLoading(false));
  }, [fetchPage, reloadKey]);

  const capped = nextCursor !== null && flows.length >= MAX_FLOW_ROWS;
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore || loading || capped) return;
    const mine = generation.current;
    setLoadingMore(true);
    fetchPage(nextCursor)
      .then((p) => {
        if (mine !== generation.current) return;
        setFlows((prev) => [...prev, ...p.flows]);
        setNextCursor(p.nextCursor);
      })
      .catch((err: unknown) => mine === generation.current && setError(toDisplayError(err)))
      .finally(() => mine === generation.current && setLoadingMore(false));
  }, [fetchPage, nextCursor, loadingMore, loading, capped]);

  return { flows, nextCursor, total, totalCapped, addresses, loading, loadingMore, error, loadMore, capped };
}
