/** The case's AWS jobs: snapshots (then Image… on each completed one), images with their hashes, context captures, log acquisitions. */
import type { AwsContextPartResult } from '../../../../shared/contract-aws-context.js';
import type { AwsSnapshotRef } from '../../../../shared/contract-aws-preserve.js';
import type { Artifact, CaseSummary, Job } from '../../../../shared/types.js';
import { useBridge } from '../../lib/bridge-context.js';
import { useCaseRefresh } from '../../lib/case-events.js';
import { formatBytes, formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { outcomeClass } from './aws-text.js';
import type { ImageTarget } from './ImageDialog.js';
import { isLogJob, LOG_JOB_LABEL } from './logs-acquire-text.js';
import { LogsAcquisitionResult } from './LogsAcquisitionResult.js';
import { HandoverButtons, type OnHandover } from './SnapshotHandover.js';

const AWS_JOBS = new Set<Job['kind']>(['aws.snapshot', 'aws.image', 'aws.context', ...(Object.keys(LOG_JOB_LABEL) as Job['kind'][])]);

function snapshotsOf(job: Job): AwsSnapshotRef[] {
  const s = job.result?.snapshots;
  return Array.isArray(s) ? (s as AwsSnapshotRef[]) : [];
}

/** The list; hidden until the case has an AWS job. */
export function AcquisitionList({ summary, onImage, onHandover }: { summary: CaseSummary; onImage?: (t: ImageTarget) => void; onHandover?: OnHandover }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const jobs = useQuery(() => api.jobs.list({ caseId }), [caseId]);
  const artifacts = useQuery(() => api.evidence.list({ caseId }), [caseId]);
  useCaseRefresh(caseId, ['jobs'], jobs.reload);
  useCaseRefresh(caseId, ['artifacts'], artifacts.reload);
  const mine = (jobs.data ?? []).filter((j) => AWS_JOBS.has(j.kind)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const byId = new Map((artifacts.data ?? []).map((a) => [a.id, a]));
  if (mine.length === 0 && !jobs.error) return null;

  return (
    <section className="aws-acquisitions" aria-labelledby="aws-acq-title">
      <h3 id="aws-acq-title">Acquisitions in this case</h3>
      <ErrorMessage error={jobs.error ?? artifacts.error} />
      <ul className="aws-acq-list">
        {mine.map((j) => (
          <li key={j.id} aria-label={j.title}>
            <div>
              <span className={j.state === 'running' || j.state === 'queued' ? 'badge badge-info' : outcomeClass(j.state)}>{j.state}</span>{' '}
              {isLogJob(j.kind) && <span className="muted small">{LOG_JOB_LABEL[j.kind]}: </span>}
              <strong>{j.title}</strong>{' '}
              <span className="muted small">{formatTimeWithZone(j.finishedAt ?? j.createdAt, summary.timeZone)}</span>
            </div>
            {j.error && <p className="error-text small">{j.error}</p>}
            {j.kind === 'aws.snapshot' && j.state === 'succeeded' && (
              <ul className="aws-snap-list">
                {snapshotsOf(j).map((s) => (
                  <li key={s.snapshotId}>
                    <span className="mono">{s.snapshotId}</span> of <span className="mono">{s.volumeId ?? '?'}</span> · {s.sizeGiB ?? '?'} GiB · {s.state}
                    {s.state === 'completed' && onImage && (
                      <button
                        type="button"
                        className="small"
                        aria-label={`Image ${s.snapshotId}`}
                        onClick={() => onImage({ snapshotId: s.snapshotId, region: s.region, sizeGiB: s.sizeGiB, encrypted: s.encrypted, volumeId: s.volumeId })}
                      >
                        Image…
                      </button>
                    )}
                    {s.state === 'completed' && onHandover && (
                      <HandoverButtons
                        target={{ snapshotId: s.snapshotId, region: s.region, sizeGiB: s.sizeGiB, encrypted: s.encrypted, kmsKeyId: s.kmsKeyId, volumeId: s.volumeId }}
                        onHandover={onHandover}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
            {j.kind === 'aws.image' && j.artifactId && <ImageHashes artifact={byId.get(j.artifactId)} />}
            {j.kind === 'aws.context' && <ContextSummary job={j} />}
            {isLogJob(j.kind) && <LogsAcquisitionResult job={j} caseId={caseId} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ImageHashes({ artifact: a }: { artifact: Artifact | undefined }) {
  if (!a) return null;
  if (a.state !== 'complete' || !a.hashes) return <p className="small muted">Image artifact {a.name}: {a.state}.</p>;
  return (
    <dl className="kv compact aws-image-hashes" aria-label={`Hashes of ${a.name}`}>
      <dt>Image</dt>
      <dd>
        {a.name} · {formatBytes(a.size)} · <span className="mono">{a.storedPath}</span>
      </dd>
      <dt>MD5</dt>
      <dd className="mono">{a.hashes.md5}</dd>
      <dt>SHA-1</dt>
      <dd className="mono">{a.hashes.sha1}</dd>
      <dt>SHA-256</dt>
      <dd className="mono" data-testid="aws-image-sha256">
        {a.hashes.sha256}
      </dd>
    </dl>
  );
}

/** Per part of a context capture: captured, empty (nothing to capture) or failed with AWS's reason. */
function ContextSummary({ job }: { job: Job }) {
  const results = Array.isArray(job.result?.results) ? (job.result.results as AwsContextPartResult[]) : [];
  if (results.length === 0) return null;
  const count = (s: AwsContextPartResult['status']) => results.filter((r) => r.status === s).length;
  return (
    <div className="small aws-context-summary">
      {count('captured')} parts captured as artifacts, {count('empty')} empty, {count('failed')} failed
      {results
        .filter((r) => r.status === 'failed')
        .map((r) => (
          <p key={r.part} className="error-text">
            {r.part}: {r.code} {r.message}
          </p>
        ))}
    </div>
  );
}
