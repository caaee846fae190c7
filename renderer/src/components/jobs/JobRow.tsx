/** One job: native progress bar, percent, rate, ETA, state and the actions its state allows. */
import { useState } from 'react';
import type { Job, Progress } from '../../../../shared/types.js';
import { formatBytes, formatEta, formatPercent, formatRate, formatTimeWithZone, progressFraction } from '../../lib/format.js';
import { IdText } from '../IdText.js';

interface Props {
  job: Job;
  progress: Progress | null;
  timeZone: string;
  onCancel: () => void;
  onResume: () => void;
  onDiscard: () => void;
}

const STATE_CLASS: Record<Job['state'], string> = {
  queued: 'badge badge-info',
  running: 'badge badge-info',
  succeeded: 'badge badge-ok',
  failed: 'badge badge-bad',
  cancelled: 'badge',
  interrupted: 'badge badge-warn',
  discarded: 'badge',
};

const FINISHED_WORD: Record<Job['state'], string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'stopped',
  discarded: 'discarded',
};

function resultSummary(job: Job): string | null {
  const r = job.result;
  if (!r) return null;
  const counts = ['match', 'mismatch', 'missing', 'unreadable']
    .filter((k) => typeof r[k] === 'number')
    .map((k) => `${r[k] as number} ${k}`);
  return counts.length > 0 ? counts.join(', ') : null;
}

/** A row in the jobs drawer. */
export function JobRow({ job, progress, timeZone, onCancel, onResume, onDiscard }: Props) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const active = job.state === 'running' || job.state === 'queued';
  const fraction = progressFraction(progress);
  const shownFraction = job.state === 'succeeded' ? 1 : fraction;
  const summary = resultSummary(job);

  return (
    <li className={`job job-${job.state}`} aria-label={`${job.title}: ${job.state}`}>
      <div className="job-main">
        <span className="job-title" title={job.title}>
          <IdText text={job.title} />
        </span>
        <span className={STATE_CLASS[job.state]} data-testid="job-state">
          {job.state}
        </span>
        {(active || job.state === 'interrupted' || progress) && (
          <progress
            className="job-progress"
            max={1}
            // No value = indeterminate, which is honest while the total is unknown.
            value={shownFraction ?? undefined}
            aria-label={`${job.title} progress`}
          />
        )}
        <span className="job-figures mono">
          {formatPercent(shownFraction)}
          {active &&
            (progress && progress.rate > 0
              ? ` · ${formatRate(progress.rate)} · ETA ${formatEta(progress.etaSeconds)}`
              : ' · measuring rate…')}
        </span>
        <span className="job-actions">
          {active && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          {job.state === 'interrupted' && !confirmDiscard && (
            <>
              <button type="button" className="primary" onClick={onResume}>
                Resume
              </button>
              <button type="button" onClick={() => setConfirmDiscard(true)}>
                Discard…
              </button>
            </>
          )}
          {job.state === 'interrupted' && confirmDiscard && (
            <>
              <button type="button" className="danger" onClick={onDiscard} autoFocus>
                Confirm discard
              </button>
              <button type="button" onClick={() => setConfirmDiscard(false)}>
                Keep
              </button>
            </>
          )}
        </span>
      </div>
      <div className="job-sub small">
        {progress && progress.bytesTotal !== null && (
          <span className="mono">
            {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}
          </span>
        )}
        {progress?.message && <span>{progress.message}</span>}
        {summary && <span>{summary}</span>}
        {job.finishedAt && (
          <span className="muted">
            {FINISHED_WORD[job.state]} {formatTimeWithZone(job.finishedAt, timeZone)}
          </span>
        )}
        {job.error && <span className="error-text">{job.error}</span>}
      </div>
      {job.state === 'interrupted' && (
        <p className="job-explain small">
          This job stopped before it finished (Caseward was closed or stopped). Resuming restarts the hashing from the start
          of the file; discarding drops the unfinished artifact and leaves the source untouched. Either way the decision is
          yours and is recorded in the custody log.
        </p>
      )}
    </li>
  );
}
