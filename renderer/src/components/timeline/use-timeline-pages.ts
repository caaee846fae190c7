/** Keyset paging for the timeline: the first page on new filters, more pages on demand, a cap on rows held. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { TextIndexInfo, TimelineEventSummary } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';

const PAGE = 300;
/** Rows kept in memory at most; past this the examiner narrows the filters (millions would not help anyone scroll). */
export const MAX_ROWS = 60_000;

export interface TimelinePages {
  events: TimelineEventSummary[];
  nextCursor: string | null;
  total: number | null;
  totalCapped: boolean;
  textIndex: TextIndexInfo | null;
  loading: boolean;
  loadingMore: boolean;
  error: ErrorInfo | null;
  loadMore: () => void;
  /** True when more rows exist but the cap stops loading them. */
  capped: boolean;
}

/** Pages of events for `filters`; `reloadKey` changing refetches from the start. */
export function useTimelinePages(caseId: string, filters: TimelineFilters, reloadKey: number): TimelinePages {
  const { api } = useBridge();
  const [events, setEvents] = useState<TimelineEventSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [totalCapped, setTotalCapped] = useState(false);
  const [textIndex, setTextIndex] = useState<TextIndexInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A newer query makes older responses stale; they are dropped, never merged.
  const generation = useRef(0);
  const key = JSON.stringify(filters);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setLoadingMore(false);
    setError(null);
    unwrap(api.timeline.query({ caseId, filters, limit: PAGE }))
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents(page.events);
        setNextCursor(page.nextCursor);
        setTotal(page.total);
        setTotalCapped(page.totalCapped);
        setTextIndex(page.textIndex);
      })
      .catch((err: unknown) => {
        if (mine !== generation.current) return;
        setEvents([]);
        setNextCursor(null);
        setTotal(null);
        setError(toDisplayError(err));
      })
      .finally(() => mine === generation.current && setLoading(false));
    // filters is compared by value through key.
  }, [api, caseId, key, reloadKey]);

  const capped = nextCursor !== null && events.length >= MAX_ROWS;
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore || loading || capped) return;
    const mine = generation.current;
    setLoadingMore(true);
    unwrap(api.timeline.query({ caseId, filters, cursor: nextCursor, limit: PAGE }))
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents((prev) => [...prev, ...page.events]);
        setNextCursor(page.nextCursor);
        setTextIndex(page.textIndex);
      })
      .catch((err: unknown) => mine === generation.current && setError(toDisplayError(err)))
      .finally(() => mine === generation.current && setLoadingMore(false));
    // filters is compared by value through key.
  }, [api, caseId, key, nextCursor, loadingMore, loading, capped]);

  return { events, nextCursor, total, totalCapped, textIndex, loading, loadingMore, error, loadMore, capped };
}
