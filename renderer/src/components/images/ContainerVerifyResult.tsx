/** The outcome of an images.verify job, shown in the Image view once the job ends (it is also in custody). */
import { useCallback } from 'react';
import type { Job } from '../../../../shared/types.js';
import { useBridge } from '../../lib/bridge-context.js';
import { useCaseRefresh } from '../../lib/case-events.js';
import { useQuery } from '../../lib/use-query.js';

interface Props {
  caseId: string;
  jobId: string;
}

interface EwfResult {
  result?: string;
  storedMd5?: string | null;
  computedMd5?: string;
  storedSha1?: string | null;
  computedSha1?: string;
  corruptChunks?: { chunk: number; mediaOffset: number; length: number }[];
  message?: string;
}

const VERDICT: Record<string, string> = {
  match: 'The image matches the hashes stored in the container.',
  mismatch: 'The image does NOT match the hashes stored in the container.',
  corrupt: 'The container has corrupt chunks; its content cannot be trusted where they lie.',
  'no-stored-hashes': 'The container stores no hashes of its own to compare with.',
};

/** Follows the job through app events and shows stored against computed hashes. */
export function ContainerVerifyResult({ caseId, jobId }: Props) {
  const { api } = useBridge();
  const jobs = useQuery(() => api.jobs.list({ caseId }), [caseId]);
  const reload = jobs.reload;
  useCaseRefresh(caseId, ['jobs'], useCallback(() => reload(), [reload]));
  const j: Job | undefined = jobs.data?.find((x) => x.id === jobId);
  if (!j) return null;
  if (j.state === 'queued' || j.state === 'running') return <p role="status">Verifying the container… (see the Jobs drawer for progress)</p>;
  if (j.state !== 'succeeded') return <p className="warning">Verification {j.state}{j.error ? `: ${j.error}` : ''}.</p>;
  const r = (j.result ?? {}) as EwfResult;
  const good = r.result === 'match';
  return (
    <section className={good ? 'verify-result ok' : 'verify-result bad'} aria-label="Container verification">
      <p role="status">
        <strong>{VERDICT[r.result ?? ''] ?? `Result: ${r.result ?? 'unknown'}`}</strong> Recorded in the custody log (image.verified).
      </p>
      {r.computedMd5 && (
        <dl className="kv">
          <dt>MD5 stored / computed</dt>
          <dd className="mono">
            {r.storedMd5 ?? '—'} / {r.computedMd5}
          </dd>
          <dt>SHA-1 stored / computed</dt>
          <dd className="mono">
            {r.storedSha1 ?? '—'} / {r.computedSha1 ?? '—'}
          </dd>
        </dl>
      )}
      {(r.corruptChunks ?? []).length > 0 && (
        <ul>
          {r.corruptChunks!.slice(0, 20).map((c) => (
            <li key={c.chunk} className="mono">
              chunk {c.chunk} at media offset {c.mediaOffset} ({c.length} bytes)
            </li>
          ))}
        </ul>
      )}
      {r.message && <p className="muted">{r.message}</p>}
    </section>
  );
}
