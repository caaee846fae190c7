/** The Timeline tab: filters, facets, histogram, the events table and the selected event's detail. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import type { LogsValidationReport } from '../../../../shared/contract-logs-validate.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { CaseSummary, TimelineFacets, TimelineEventSummary } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useAppEvents, useBridge } from '../../lib/bridge-context.js';
import { formatTime } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { EventDetail } from './EventDetail.js';
import { EventTable } from './EventTable.js';
import { ExportTimelineDialog } from './ExportTimelineDialog.js';
import { FACETS, FacetList } from './FacetList.js';
import { FilterBar } from './FilterBar.js';
import { HighlightsPanel, type RuleGroup } from './HighlightsPanel.js';
import { Histogram } from './Histogram.js';
import { IntegrityReport } from './IntegrityReport.js';
import { addListValue, countFilters, draftToFilters, emptyDraft, type FilterDraft, type ListField } from './timeline-filters.js';
import { useHighlights } from './use-highlights.js';
import { MAX_ROWS, useTimelinePages } from './use-timeline-pages.js';
import { ValidateIntegrityDialog } from './ValidateIntegrityDialog.js';

const LOG_JOBS = new Set(['logs.ingest', 'logs.index']);
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** The tab. */
export function TimelineTab({ summary }: { summary: CaseSummary }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const zone = summary.timeZone;
  const [draft, setDraft] = useState<FilterDraft>(emptyDraft);
  // What the form applied; `applied` adds the highlight focus's event ids, which have no form field.
  const [formFilters, setFormFilters] = useState<TimelineFilters>({});
  const [problems, setProblems] = useState<ReturnType<typeof draftToFilters>['problems']>({});
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<TimelineEventSummary | null>(null);
  const [facets, setFacets] = useState<Partial<Record<ListField, TimelineFacets>>>({});
  const [dialog, setDialog] = useState<'validate' | 'export' | null>(null);
  const [report, setReport] = useState<LogsValidationReport | null>(null);
  // The filters the examiner had before a highlight rule narrowed them; restored when the focus ends.
  const [preFocus, setPreFocus] = useState<FilterDraft | null>(null);
  const [focusError, setFocusError] = useState<ErrorInfo | null>(null);
  const [ruleFocus, setRuleFocus] = useState<{ title: string; count: number; eventIds: string[] | null } | null>(null);
  const applied = useMemo<TimelineFilters>(
    () => (ruleFocus?.eventIds ? { ...formFilters, eventIds: ruleFocus.eventIds } : formFilters),
    [formFilters, ruleFocus],
  );

  // New events arrive when an ingest or the text index finishes; the view starts again from the top.
  useAppEvents((event) => {
    if (event.caseId === caseId && event.kind === 'job.changed' && LOG_JOBS.has(event.job.kind) && FINISHED.has(event.job.state)) {
      setReloadKey((k) => k + 1);
    }
  });

  const pages = useTimelinePages(caseId, applied, reloadKey);
  const key = useMemo(() => JSON.stringify(applied), [applied]);
  const hl = useHighlights(caseId, applied, reloadKey);
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
    if (Object.keys(p).length === 0) setFormFilters(filters);
  };
  const pick = (field: ListField, value: string): void => {
    const next = addListValue(draft, field, value);
    setDraft(next);
    apply(next);
  };
  const pickRule = async (group: RuleGroup): Promise<void> => {
    setFocusError(null);
    try {
      const base = preFocus ?? draft;
      const f = await hl.focus(group, formFilters);
      if (f.kind === 'exact') {
        // Exactly the flagged events: the form goes back to what the examiner had typed.
        if (preFocus) {
          setDraft(preFocus);
          apply(preFocus);
          setPreFocus(null);
        }
        setRuleFocus({ title: f.title, count: f.eventIds.length, eventIds: f.eventIds });
        return;
      }
      const next = { ...base, from: formatTime(f.from, zone), to: formatTime(f.to, zone), eventName: f.eventNames?.join(', ') ?? base.eventName };
      setPreFocus(base);
      setDraft(next);
      apply(next);
      setRuleFocus({ title: f.title, count: f.count, eventIds: null });
    } catch (err) {
      setFocusError(toDisplayError(err));
    }
  };
  const endFocus = (): void => {
    hl.clearFocus();
    setRuleFocus(null);
    if (!preFocus) return;
    setDraft(preFocus);
    apply(preFocus);
    setPreFocus(null);
  };
  const onSelect = useCallback((e: TimelineEventSummary) => setSelected(e), []);
  const filtered = countFilters(applied);
  const nothingIngested = !pages.loading && !pages.error && filtered === 0 && pages.total === 0;
  const totalText = useMemo(() => {
    if (pages.total === null) return '';
    const n = pages.total.toLocaleString('en-US');
    return pages.totalCapped ? `more than ${n}` : n;
  }, [pages.total, pages.totalCapped]);

  const toolbar = (
    <div className="toolbar tl-toolbar">
      <button type="button" aria-pressed={hl.shown} disabled={nothingIngested || report !== null} onClick={() => hl.setShown(!hl.shown)}>
        Highlights
      </button>
      <button type="button" disabled={nothingIngested || report !== null || pages.total === 0} onClick={() => setDialog('export')}>
        Export…
      </button>
      <button type="button" onClick={() => setDialog('validate')}>
        Validate integrity…
      </button>
      {dialog === 'validate' && (
        <ValidateIntegrityDialog
          caseId={caseId}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            setReport(r);
          }}
        />
      )}
      {dialog === 'export' && <ExportTimelineDialog caseId={caseId} filters={applied} total={pages.total} onClose={() => setDialog(null)} />}
    </div>
  );

  if (report) {
    return (
      <div className="timeline-tab">
        {toolbar}
        <IntegrityReport report={report} timeZone={zone} onClose={() => setReport(null)} />
      </div>
    );
  }

  if (nothingIngested) {
    return (
      <div className="timeline-tab">
        {toolbar}
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
          <p className="small">
            The log files can be checked against their CloudTrail digest files before or after the ingest: <strong>Validate integrity…</strong>.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="timeline-tab">
      {toolbar}
      <FilterBar
        draft={draft}
        onChange={setDraft}
        onApply={() => apply(draft)}
        onClear={() => {
          hl.clearFocus();
          setRuleFocus(null);
          setPreFocus(null);
          setDraft(emptyDraft);
          setProblems({});
          setFormFilters({});
        }}
        problems={problems}
        timeZone={zone}
        textIndex={pages.textIndex}
        focus={ruleFocus && { title: ruleFocus.title, count: ruleFocus.count, exact: ruleFocus.eventIds !== null }}
        onEndFocus={endFocus}
      />
      <ErrorMessage error={pages.error ?? histogram.error ?? focusError} />
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
        {!selected && !hl.shown && <FacetList facets={facets} onPick={pick} />}
        {!selected && hl.shown && (
          <HighlightsPanel
            data={hl.data}
            loading={hl.loading}
            error={hl.error}
            activeRuleId={hl.active}
            onPick={(g) => void pickRule(g)}
            onClear={endFocus}
          />
        )}
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
            marks={hl.marks}
          />
        )}
        {selected && (
          <EventDetail
            caseId={caseId}
            eventId={selected.eventId}
            timeZone={zone}
            highlights={hl.marks.get(selected.eventId)}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </div>
  );
}
