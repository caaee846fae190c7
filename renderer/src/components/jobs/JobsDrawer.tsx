/**
 * The jobs drawer, always visible in a case. Starts from the jobs.list snapshot, applies job.progress
 * and job.changed events, and refetches the snapshot on case.changed so a reloaded window catches up.
 */
import { useMemo, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { CaseSummary, Job, Progress } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useAppEvents, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { JobRow } from './JobRow.js';

const FINISHED_SHOWN = 2;
const TERMINAL = new Set<Job['state']>(['succeeded', 'failed', 'cancelled', 'discarded']);
const ORDER: Record<Job['state'], number> = { running: 0, queued: 1, interrupted: 2, failed: 3, succeeded: 4, cancelled: 4, discarded: 5 };

/** The drawer. */
export function JobsDrawer({ summary }: { summary: CaseSummary }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const snapshot = useQuery(() => api.jobs.list({ caseId }), [caseId]);
  const [updates, setUpdates] = useState<Record<string, Job>>({});
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [open, setOpen] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useAppEvents((event) => {
    if (event.caseId !== caseId) return;
    if (event.kind === 'job.progress') setProgress((p) => ({ ...p, [event.jobId]: event.progress }));
    else if (event.kind === 'job.changed') setUpdates((u) => ({ ...u, [event.job.id]: event.job }));
    else if (event.what === 'jobs' || event.what === 'case') snapshot.reload();
  });

  const jobs = useMemo(() => {
    const byId = new Map<string, Job>();
    for (const j of snapshot.data ?? []) byId.set(j.id, j);
    // Events usually arrive after the snapshot was read, so they win; but a finished job never goes
    // back to running, so a terminal state from either side beats a non-terminal one.
    for (const j of Object.values(updates)) {
      const s = byId.get(j.id);
      if (!s || !TERMINAL.has(s.state) || TERMINAL.has(j.state)) byId.set(j.id, j);
    }
    return [...byId.values()].sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.createdAt.localeCompare(a.createdAt));
  }, [snapshot.data, updates]);

  const act = async (fn: () => Promise<Job>): Promise<void> => {
    setError(null);
    try {
      const job = await fn();
      setUpdates((u) => ({ ...u, [job.id]: job }));
    } catch (err) {
      setError(toDisplayError(err));
    }
  };

  const running = jobs.filter((j) => j.state === 'running' || j.state === 'queued').length;
  const interrupted = jobs.filter((j) => j.state === 'interrupted').length;
  const unfinished = jobs.filter((j) => ORDER[j.state] <= 2);
  const finished = jobs.filter((j) => ORDER[j.state] > 2);
  const shown = [...unfinished, ...(showAll ? finished : finished.slice(0, FINISHED_SHOWN))];

  return (
    <section className={open ? 'jobs-drawer open' : 'jobs-drawer'} aria-labelledby="jobs-title">
      <div className="jobs-head">
        <button type="button" className="drawer-toggle" aria-expanded={open} aria-controls="jobs-body" onClick={() => setOpen(!open)}>
          <span id="jobs-title">Jobs</span>
          <span className="muted">
            {' '}
            {running > 0 ? `${running} running` : 'none running'}
            {interrupted > 0 ? ` · ${interrupted} interrupted` : ''}
          </span>
          <span aria-hidden="true"> {open ? '▾' : '▴'}</span>
        </button>
        {finished.length > FINISHED_SHOWN && open && (
          <button type="button" className="link-button" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show recent only' : `Show all ${jobs.length}`}
          </button>
        )}
      </div>
      {open && (
        <div id="jobs-body" className="jobs-body">
          <ErrorMessage error={error ?? snapshot.error} onDismiss={error ? () => setError(null) : undefined} />
          {jobs.length === 0 && <p className="muted small">No jobs yet. Adding or verifying evidence runs here.</p>}
          <ul className="job-list">
            {shown.map((job) => (
              <JobRow
                key={job.id}
                job={job}
                // Ticks are throttled, so the last one can predate the end: a finished job's own progress is final.
                progress={ORDER[job.state] <= 1 ? (progress[job.id] ?? job.progress) : (job.progress ?? progress[job.id] ?? null)}
                timeZone={summary.timeZone}
                onCancel={() => void act(() => unwrap(api.jobs.cancel({ caseId, jobId: job.id })))}
                onResume={() => void act(() => unwrap(api.jobs.resume({ caseId, jobId: job.id })))}
                onDiscard={() => void act(() => unwrap(api.jobs.discard({ caseId, jobId: job.id })))}
              />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
