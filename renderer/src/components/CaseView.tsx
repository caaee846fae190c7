/** One open case: header with zone note, tabs (Artifacts, Custody log, Timeline, Flows, Notes, AWS, Image when one is open) and the jobs drawer. */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { CaseSummary } from '../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../lib/bridge-context.js';
import { useCaseRefresh } from '../lib/case-events.js';
import { useQuery } from '../lib/use-query.js';
import { ArtifactsTab } from './artifacts/ArtifactsTab.js';
import { AwsTab } from './aws/AwsTab.js';
import { CustodyTab } from './custody/CustodyTab.js';
import { ErrorMessage } from './ErrorMessage.js';
import { FlowsTab } from './flows/FlowsTab.js';
import { OpenImageContext } from './images/image-context.js';
import { ImageView } from './images/ImageView.js';
import { JobsDrawer } from './jobs/JobsDrawer.js';
import { NotesTab } from './notes/NotesTab.js';
import { TimelineTab } from './timeline/TimelineTab.js';
import type { ErrorInfo } from '../../../shared/errors.js';

const TABS = [
  { id: 'artifacts', label: 'Artifacts' },
  { id: 'custody', label: 'Custody log' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'flows', label: 'Flows' },
  { id: 'notes', label: 'Notes' },
  { id: 'aws', label: 'AWS' },
] as const;
// The Image tab exists only while an image is open, after Notes so the fixed tabs keep their order.
const IMAGE_TAB = { id: 'image', label: 'Image' } as const;
type TabId = (typeof TABS)[number]['id'] | typeof IMAGE_TAB.id;

/** The case screen; `initial` is the summary from create/open, refreshed on case events. */
export function CaseView({ initial, onLeave }: { initial: CaseSummary; onLeave: () => void }) {
  const { api } = useBridge();
  const caseId = initial.id;
  const summary = useQuery(() => api.cases.get({ caseId }), [caseId]);
  const artifacts = useQuery(() => api.evidence.list({ caseId }), [caseId]);
  const [tab, setTab] = useState<TabId>('artifacts');
  const [closeError, setCloseError] = useState<ErrorInfo | null>(null);
  const [imageId, setImageId] = useState<string | null>(null);
  const tabs = imageId ? [...TABS, IMAGE_TAB] : TABS;
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  useCaseRefresh(caseId, ['artifacts'], artifacts.reload);
  // The header counts artifacts and custody events.
  useCaseRefresh(caseId, ['case', 'artifacts', 'custody'], summary.reload);

  const c = summary.data ?? initial;

  const closeCase = async (): Promise<void> => {
    try {
      await unwrap(api.cases.close({ caseId }));
      onLeave();
    } catch (err) {
      setCloseError(toDisplayError(err));
    }
  };

  // WAI-ARIA tabs: arrows move between tabs, the panel follows.
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>): void => {
    const index = tabs.findIndex((t) => t.id === tab);
    let next: number;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    const id = tabs[next]!.id;
    setTab(id);
    tabRefs.current[id]?.focus();
  };

  const openImage = (artifactId: string): void => {
    setImageId(artifactId);
    setTab('image');
  };
  const closeImage = (): void => {
    setImageId(null);
    setTab('artifacts');
  };

  return (
    <OpenImageContext.Provider value={openImage}>
      <div className="case-layout">
        <section className="case-head" aria-labelledby="case-title">
          <div>
            <h1 id="case-title">
              <span className="case-number">{c.number}</span> {c.title}
            </h1>
            <p className="case-meta">
              {c.client && <span>Client: {c.client}</span>}
              <span className="zone-note">
                Times shown in <strong>{c.timeZone}</strong>; stored in UTC.
              </span>
              <span>
                {c.artifactCount} artifact{c.artifactCount === 1 ? '' : 's'} · {c.eventCount} custody event
                {c.eventCount === 1 ? '' : 's'}
              </span>
              <code className="path" title="Case folder">
                {c.path}
              </code>
            </p>
          </div>
          <div className="toolbar">
            <button type="button" onClick={onLeave}>
              All cases
            </button>
            <button type="button" onClick={() => void closeCase()}>
              Close case
            </button>
          </div>
        </section>
        <ErrorMessage error={closeError ?? summary.error} onDismiss={closeError ? () => setCloseError(null) : undefined} />
        <div className="tabs" role="tablist" aria-label="Case sections">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              onClick={() => setTab(t.id)}
              onKeyDown={onTabKey}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'artifacts' && <ArtifactsTab summary={c} artifacts={artifacts} />}
          {tab === 'timeline' && <TimelineTab summary={c} />}
          {tab === 'flows' && <FlowsTab summary={c} />}
          {tab === 'custody' && <CustodyTab summary={c} artifacts={artifacts.data ?? []} />}
          {tab === 'notes' && <NotesTab summary={c} artifacts={artifacts.data ?? []} />}
          {tab === 'aws' && <AwsTab summary={c} />}
          {tab === 'image' && imageId && (
            <ImageView
              key={imageId}
              summary={c}
              artifactId={imageId}
              artifact={artifacts.data?.find((a) => a.id === imageId) ?? null}
              onClose={closeImage}
            />
          )}
        </div>
        <JobsDrawer summary={c} />
      </div>
    </OpenImageContext.Provider>
  );
}
