/** The Flows tab: VPC flow records of the case, filtered, paged and virtualised; ingest from here. */
import { useCallback, useState } from 'react';
import type { FlowFilters } from '../../../../shared/contract-flows.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { useAppEvents } from '../../lib/bridge-context.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { emptyFlowDraft, flowDraftToFilters, type FlowConverted, type FlowDraft } from './flow-filters.js';
import { FlowDetail } from './FlowDetail.js';
import { FlowFilterBar } from './FlowFilterBar.js';
import { FlowTable } from './FlowTable.js';
import { IngestFlowsDialog } from './IngestFlowsDialog.js';
import { MAX_FLOW_ROWS, useFlowPages, type ShownFlow } from './use-flow-pages.js';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** The tab. */
export function FlowsTab({ summary }: { summary: CaseSummary }) {
  const caseId = summary.id;
  const zone = summary.timeZone;
  const [draft, setDraft] = useState<FlowDraft>(emptyFlowDraft);
  const [applied, setApplied] = useState<{ filters: FlowFilters; touching: boolean }>({ filters: {}, touching: false });
  const [problems, setProblems] = useState<FlowConverted['problems']>({});
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<ShownFlow | null>(null);
  const [ingesting, setIngesting] = useState(false);

  useAppEvents((event) => {
    if (event.caseId === caseId && event.kind === 'job.changed' && event.job.kind === 'flows.ingest' && FINISHED.has(event.job.state)) {
      setReloadKey((k) => k + 1);
    }
  });
  const pages = useFlowPages(caseId, applied.filters, applied.touching, reloadKey);
  const apply = (next: FlowDraft): void => {
    const { filters, problems: p } = flowDraftToFilters(next, zone);
    setProblems(p);
    if (Object.keys(p).length === 0) {
      setApplied({ filters, touching: next.touchingCloudTrail });
      setSelected(null);
    }
  };
  const onSelect = useCallback((f: ShownFlow) => setSelected(f), []);
  const filtered = Object.keys(applied.filters).length + (applied.touching ? 1 : 0);
  const empty = !pages.loading && !pages.error && filtered === 0 && pages.flows.length === 0;
  const count = pages.total === null ? null : `${pages.totalCapped ? 'more than ' : ''}${pages.total.toLocaleString('en-US')}`;

  return (
    <div className="timeline-tab flows-tab">
      <div className="toolbar tl-toolbar">
        <button type="button" className={empty ? 'primary' : undefined} onClick={() => setIngesting(true)}>
          Ingest flow logs…
        </button>
        <span className="toolbar-note small">
          Times in <strong>{zone}</strong>; stored in UTC.
        </span>
      </div>
      {ingesting && <IngestFlowsDialog caseId={caseId} onClose={() => setIngesting(false)} />}
      {empty ? (
        <div className="empty-state">
          <h2>No VPC flow records in this case yet</h2>
          <ol>
            <li>
              In <strong>Artifacts</strong>, use <strong>Add evidence</strong> to copy the flow log files (<code>.log.gz</code>,{' '}
              <code>.log</code>) into the case; each is hashed and recorded in custody first.
            </li>
            <li>
              Here, choose <strong>Ingest flow logs…</strong> and follow the job in the Jobs drawer. The records appear when it finishes.
            </li>
          </ol>
        </div>
      ) : (
        <>
          <FlowFilterBar
            draft={draft}
            onChange={setDraft}
            onApply={apply}
            onClear={() => {
              setDraft(emptyFlowDraft);
              apply(emptyFlowDraft);
            }}
            problems={problems}
            timeZone={zone}
          />
          <ErrorMessage error={pages.error} />
          <div className="tl-summary small" role="status">
            <span>
              {pages.loading ? (
                'Loading…'
              ) : applied.touching ? (
                <>
                  <strong>{pages.addresses?.length ?? 0}</strong> address{pages.addresses?.length === 1 ? '' : 'es'} seen in both CloudTrail and
                  the flows · {pages.flows.length.toLocaleString('en-US')} flows loaded
                </>
              ) : (
                <>
                  <strong>{count}</strong> flow record{pages.total === 1 ? '' : 's'}
                  {filtered > 0 ? ` ${pages.total === 1 ? 'matches' : 'match'} ${filtered} filter${filtered === 1 ? '' : 's'}` : ' in the case'}
                  {pages.flows.length > 0 && ` · ${pages.flows.length.toLocaleString('en-US')} loaded`}
                </>
              )}
            </span>
            {pages.capped && <span className="warning">Showing the first {MAX_FLOW_ROWS.toLocaleString('en-US')}; narrow the filters.</span>}
          </div>
          {applied.touching && pages.addresses && pages.addresses.length > 0 && (
            <ul className="fl-addresses small" aria-label="Addresses seen in CloudTrail">
              {pages.addresses.slice(0, 20).map((a) => (
                <li key={a.address}>
                  <button
                    type="button"
                    className="link-button mono"
                    title="Filter the flows to this address"
                    onClick={() => {
                      const next = { ...draft, address: a.address, touchingCloudTrail: true };
                      setDraft(next);
                      apply(next);
                    }}
                  >
                    {a.address}
                  </button>{' '}
                  {a.cloudTrailEvents} CloudTrail events, {a.flows} flows
                </li>
              ))}
            </ul>
          )}
          <div className={selected ? 'tl-main fl-main with-detail' : 'tl-main fl-main'}>
            {!pages.loading && pages.flows.length === 0 ? (
              <div className="empty-state tl-no-match">
                <h2>No flows match these filters</h2>
                <p>Remove a filter or widen the time range; different filters must all match.</p>
              </div>
            ) : (
              <FlowTable
                flows={pages.flows}
                hasMore={pages.nextCursor !== null && !pages.capped}
                loadingMore={pages.loadingMore}
                onLoadMore={pages.loadMore}
                selectedId={selected?.id ?? null}
                onSelect={onSelect}
                timeZone={zone}
                touching={applied.touching}
              />
            )}
            {selected && <FlowDetail flow={selected} timeZone={zone} onClose={() => setSelected(null)} />}
          </div>
        </>
      )}
    </div>
  );
}
