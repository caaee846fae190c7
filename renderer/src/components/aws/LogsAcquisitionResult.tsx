/**
 * One log acquisition in the acquisitions list: live progress while it runs (the event history's
 * estimate included), then what was acquired (counts, corrupt and failed objects by key) and the next
 * steps the contract offers: validate the trail's integrity (logs.validate), ingest into the timeline
 * (logs.ingest) or into the flow view (flows.ingest).
 */
import { useState } from 'react';
import type { LogsValidationReport } from '../../../../shared/contract-logs-validate.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { Job, Progress } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useAppEvents, useBridge } from '../../lib/bridge-context.js';
import { formatBytes } from '../../lib/format.js';
import { Dialog } from '../Dialog.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { headline } from '../timeline/integrity-words.js';
import { ValidateIntegrityDialog } from '../timeline/ValidateIntegrityDialog.js';
import { fileResultOf, ingestTargets, plural, s3ResultOf } from './logs-acquire-text.js';

const PROBLEM_CAP = 50;

/** The latest progress tick of a running job (ticks are events, not part of jobs.list). */
function useLiveProgress(job: Job): Progress | null {
  const [tick, setTick] = useState<Progress | null>(null);
  useAppEvents((e) => {
    if (e.kind === 'job.progress' && e.jobId === job.id) setTick(e.progress);
  });
  return job.state === 'running' ? (tick ?? job.progress) : null;
}

/** The result and next steps of a logs.acquire-s3, logs.acquire-lookup or flows.acquire-cwl job. */
export function LogsAcquisitionResult({ job, caseId }: { job: Job; caseId: string }) {
  const progress = useLiveProgress(job);
  if (job.state === 'running' || job.state === 'queued') {
    return progress?.message ? (
      <p className="small aws-logs-progress" role="status">
        {progress.itemsTotal ? `${progress.itemsDone} of ${progress.itemsTotal} · ` : ''}
        {progress.message}
      </p>
    ) : null;
  }
  if (job.state !== 'succeeded') return null;
  return job.kind === 'logs.acquire-s3' ? <S3Result job={job} caseId={caseId} /> : <FileResult job={job} caseId={caseId} />;
}

function S3Result({ job, caseId }: { job: Job; caseId: string }) {
  const r = s3ResultOf(job);
  if (!r) return <p className="small muted">The files of this acquisition were already sealed in the case when it resumed.</p>;
  const targets = ingestTargets(r.files);
  const problems = r.files.filter((f) => f.status === 'corrupt' || f.status === 'failed');
  return (
    <div className="small aws-logs-result">
      <p data-testid="aws-logs-counts">
        {plural(r.acquired + r.corrupt, 'file')} acquired as artifacts ({formatBytes(r.bytes)} downloaded), {r.skipped} already in the case with the same
        ETag, {r.corrupt} corrupt, {r.failed} failed, of {plural(r.listed, 'object')} listed
        {r.publicKeysArtifactId ? '; CloudTrail public keys saved as an artifact' : ''}.
        {targets.digests > 0 && ` ${plural(targets.logs.length, 'log file')} and ${plural(targets.digests, 'digest file')} usable.`}
      </p>
      {problems.length > 0 && (
        <ul className="aws-logs-problems" aria-label="Objects with problems">
          {problems.slice(0, PROBLEM_CAP).map((f) => (
            <li key={f.key}>
              <span className={f.status === 'corrupt' ? 'badge badge-warn' : 'badge badge-bad'}>{f.status}</span> <span className="mono">{f.key}</span>
              {f.message && <span className="error-text"> — {f.message}</span>}
            </li>
          ))}
          {problems.length > PROBLEM_CAP && <li className="muted">…and {problems.length - PROBLEM_CAP} more (see the custody log).</li>}
        </ul>
      )}
      {r.filesTruncated && <p className="muted">The job lists its first {r.files.length} files; the rest are in the Artifacts tab and the custody log.</p>}
      <NextSteps caseId={caseId} logIds={targets.logs} flowIds={targets.flows} canValidate={targets.digests > 0} />
    </div>
  );
}

function FileResult({ job, caseId }: { job: Job; caseId: string }) {
  const r = fileResultOf(job);
  const flows = job.kind === 'flows.acquire-cwl';
  const what = flows ? 'record' : 'event';
  return (
    <div className="small aws-logs-result">
      <p data-testid="aws-logs-counts">
        {r.events === null ? 'Saved' : `${plural(r.events, what)} in ${plural(r.pages ?? 0, 'page')}`}
        {r.throttles ? ` (${plural(r.throttles, 'throttled request')} retried)` : ''} as one artifact{r.artifactId ? '' : ' (not found)'}.
      </p>
      {r.artifactId && r.events !== 0 && (
        <NextSteps caseId={caseId} logIds={flows ? [] : [r.artifactId]} flowIds={flows ? [r.artifactId] : []} canValidate={false} />
      )}
    </div>
  );
}

interface StepsProps {
  caseId: string;
  logIds: string[];
  flowIds: string[];
  canValidate: boolean;
}

/** Buttons for what can be done with the files next; each says what it queued. */
function NextSteps({ caseId, logIds, flowIds, canValidate }: StepsProps) {
  const { api } = useBridge();
  const [queued, setQueued] = useState<{ which: 'logs' | 'flows'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [validating, setValidating] = useState(false);
  const [report, setReport] = useState<LogsValidationReport | null>(null);

  const ingest = async (which: 'logs' | 'flows'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      if (which === 'logs') {
        await unwrap(api.logs.ingest({ caseId, artifactIds: logIds }));
        setQueued({ which, text: `Ingest of ${plural(logIds.length, 'log file')} queued: the events appear in the Timeline tab when the job finishes.` });
      } else {
        await unwrap(api.flows.ingest({ caseId, artifactIds: flowIds }));
        setQueued({ which, text: `Ingest of ${plural(flowIds.length, 'flow log file')} queued: the records appear in the Flows tab when the job finishes.` });
      }
    } catch (err) {
      setError(toDisplayError(err));
    } finally {
      setBusy(false);
    }
  };

  if (!canValidate && logIds.length === 0 && flowIds.length === 0) return null;
  return (
    <div className="toolbar aws-logs-steps">
      <span className="muted">Next:</span>
      {canValidate && (
        <button type="button" onClick={() => setValidating(true)}>
          Validate integrity…
        </button>
      )}
      {logIds.length > 0 && (
        <button type="button" disabled={busy || queued?.which === 'logs'} onClick={() => void ingest('logs')}>
          Ingest into timeline
        </button>
      )}
      {flowIds.length > 0 && (
        <button type="button" disabled={busy || queued?.which === 'flows'} onClick={() => void ingest('flows')}>
          Ingest flow logs
        </button>
      )}
      {queued && (
        <span role="status" className="aws-logs-queued">
          {queued.text}
        </span>
      )}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {validating && (
        <ValidateIntegrityDialog
          caseId={caseId}
          onClose={() => setValidating(false)}
          onDone={(r) => {
            setValidating(false);
            setReport(r);
          }}
        />
      )}
      {report && <ValidationVerdict report={report} onClose={() => setReport(null)} />}
    </div>
  );
}

/** The verdict in short; the file-by-file report is in the Timeline tab's Validate integrity. */
function ValidationVerdict({ report: r, onClose }: { report: LogsValidationReport; onClose: () => void }) {
  const bad = [...r.digests, ...r.logs].filter((f) => f.status !== 'valid');
  return (
    <Dialog title="CloudTrail integrity" onClose={onClose} wide>
      <p className={r.ok ? 'result-box result-ok' : 'result-box result-bad'} role="status">
        {headline(r)}
      </p>
      {bad.length > 0 && (
        <ul className="small aws-logs-problems" aria-label="Files that did not validate">
          {bad.slice(0, PROBLEM_CAP).map((f) => (
            <li key={f.s3Key}>
              <span className="badge badge-bad">{f.status}</span> <span className="mono">{f.s3Key}</span>
              {f.reason && <span> — {f.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="small muted">
        Recorded in custody as event #{r.custodySeq} (logs.validated). The hour-by-hour report is in the Timeline tab under Validate integrity.
      </p>
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
