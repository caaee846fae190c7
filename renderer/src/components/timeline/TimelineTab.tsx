/** The Timeline tab: filters, facets, histogram, the events table and the selected event's detail. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import type { CaseSummary, TimelineFacets, TimelineEventSummary } from '../../../../shared/types.js';
import { unwrap, useAppEvents, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { EventDetail } from './EventDetail.js';
import { EventTable } from './EventTable.js';
import { FACETS, FacetList } from './FacetList.js';
import { FilterBar } from './FilterBar.js';
import { Histogram } from './Histogram.js';
import { addListValue, countFilters, draftToFilters, emptyDraft, type FilterDraft, type ListField } from './timeline-filters.js';
import { MAX_ROWS, useTimelinePages } from './use-timeline-pages.js';

const LOG_JOBS = new Set(['logs.ingest', 'logs.index']);
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** The tab. */
export function TimelineTab({ summary }: { summary: CaseSummary }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const zone = summary.timeZone;
  const [draft, setDraft] = useState<FilterDraft>(emptyDraft);
  const [applied, setApplied] = useState<TimelineFilters>({});
  const [problems, setProblems] = useState<ReturnType<typeof draftToFilters>['problems']>({});
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<TimelineEventSummary | null>(null);
  const [facets, setFacets] = useState<Partial<Record<ListField, TimelineFacets>>>({});

  // New events arrive when an ingest or the text index finishes; the view starts again from the top.
  useAppEvents((event) => {
    if (event.caseId === caseId && event.kind === 'job.changed' && LOG_JOBS.has(event.job.kind) && FINISHED.has(event.job.state)) {
      setReloadKey((k) => k + 1);
    }
  });

  const pages = useTimelinePages(caseId, applied, reloadKey);
  const key = JSON.stringify(applied);
  const histogram = useQuery(() => api.timeline.histogram({ caseId, filters: applied, buckets: 80 }), [caseId, key, reloadKey]);

  useEffect(() => {
    let live = true;
    setFacets({});
    for (const { field } of FACETS) {
      unwrap(api.timeline.facets({ caseId, filters: applied, field, limit: 8 }))
        .then((f) => live && setFacets((prev) => ({ ...prev, [field]: f })))
        // A failed facet leaves its list empty; the table's own error says what is wrong with the filters.
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [api, caseId, key, reloadKey]);

  const apply = (next: FilterDraft): void => {
    const { filters, problems: p } = draftToFilters(next, zone);
    setProblems(p);
    if (Object.keys(p).length === 0) setApplied(filters);
  };
  const pick = (field: ListField, value: string): void => {
    const next = addListValue(draft, field, value);
    setDraft(next);
    apply(next);
  };
  const onSelect = useCallback((e: TimelineEventSummary) => setSelected(e), []);
  const filtered = countFilters(applied);
  const nothingIngested = !pages.loading && !pages.error && filtered === 0 && pages.total === 0;
  const totalText = useMemo(() => {
    if (pages.total === null) return '';
    const n = pages.total.toLocaleString('en-US');
    return pages.totalCapped ? `more than ${n}` : n;
  }, [pages.total, pages.totalCapped]);

  if (nothingIngested) {
    return (
      <div className="timeline-tab">
        <div className="empty-state">
          <h2>No CloudTrail events in this case yet</h2>
          <ol>
            <li>
              In <strong>Artifacts</strong>, use <strong>Add evidence</strong> to copy the CloudTrail log files (<code>.json.gz</code>,{' '}
              <code>.json</code>) into the case. Each is hashed and recorded in custody before anything reads it.
            </li>
            <li>
              Choose <strong>Ingest as CloudTrail…</strong>, select the log files and start the ingest. Follow it in the Jobs drawer.
            </li>
            <li>When the ingest job has finished, the events appear here. Text search follows when the index job has run.</li>
          </ol>
          <p className="muted small">Times here are shown in {zone}; CloudTrail and the case store them in UTC.</p>
        </div>
      </div>
    );
  }

  return (
    <div className="timeline-tab">
      <FilterBar
        draft={draft}
        onChange={setDraft}
        onApply={() => apply(draft)}
        onClear={() => {
          setDraft(emptyDraft);
          setProblems({});
          setApplied({});
        }}
        problems={problems}
        timeZone={zone}
        textIndex={pages.textIndex}
      />
      <ErrorMessage error={pages.error ?? histogram.error} />
      <div className="tl-summary small" role="status">
        <span>
          {pages.loading ? 'Loading…' : <><strong>{totalText}</strong> event{pages.total === 1 ? '' : 's'}</>}
          {filtered > 0 ? ` ${pages.total === 1 ? 'matches' : 'match'} ${filtered} filter${filtered === 1 ? '' : 's'}` : ' in the case'}
          {!pages.loading && pages.events.length > 0 && ` · ${pages.events.length.toLocaleString('en-US')} loaded`}
        </span>
        <span className="zone-note">
          Times in <strong>{zone}</strong>; stored in UTC.
        </span>
        {pages.capped && <span className="warning">Showing the first {MAX_ROWS.toLocaleString('en-US')}; narrow the filters to see the rest.</span>}
      </div>
      <Histogram data={histogram.data} timeZone={zone} />
      <div className={selected ? 'tl-main with-detail' : 'tl-main'}>
        {/* An open event needs the width at 1280 px; the facets come back when it is closed. */}
        {!selected && <FacetList facets={facets} onPick={pick} />}
        {!pages.loading && pages.events.length === 0 ? (
          <div className="empty-state tl-no-match">
            <h2>No events match these filters</h2>
            <p>Remove a filter or widen the time range. Lists match any of their values; different filters must all match.</p>
          </div>
        ) : (
          <EventTable
            events={pages.events}
            hasMore={pages.nextCursor !== null && !pages.capped}
            loadingMore={pages.loadingMore}
            onLoadMore={pages.loadMore}
            selectedId={selected?.id ?? null}
            onSelect={onSelect}
            timeZone={zone}
          />
        )}
        {selected && <EventDetail caseId={caseId} eventId={selected.eventId} timeZone={zone} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
