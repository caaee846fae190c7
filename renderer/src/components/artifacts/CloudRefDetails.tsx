/** What a cloud-ref artifact points at (an EBS snapshot in an AWS account): it has no bytes and no hashes. */
import type { Artifact } from '../../../../shared/types.js';
import { formatTimeWithZone } from '../../lib/format.js';

function text(v: unknown): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

/** The reference and what AWS reported when the snapshot completed; the lock as last recorded (its state only when it says more than the mode, e.g. compliance-cooloff). */
export function CloudRefDetails({ artifact, timeZone }: { artifact: Artifact; timeZone: string }) {
  const c = artifact.cloud;
  if (!c) return null;
  const m = c.metadata;
  const from = m.copiedFrom as { snapshotId?: string; region?: string } | null | undefined;
  const time = (v: unknown) => (typeof v === 'string' ? formatTimeWithZone(v, timeZone) : '—');
  return (
    <>
      <h3>Cloud reference</h3>
      <p className="muted">
        A reference to an object in AWS, not a file in the case: there is nothing to hash or re-verify. Image the snapshot to
        acquire its content as a file artifact.
      </p>
      <dl className="kv cloud-ref">
        <dt>Resource</dt>
        <dd>
          <code className="mono">{c.resourceId}</code> (EBS snapshot)
        </dd>
        <dt>Account / region</dt>
        <dd>
          <span className="mono">{c.account}</span> · {c.region}
        </dd>
        <dt>Volume</dt>
        <dd>
          <span className="mono">{text(m.volumeId)}</span>, {text(m.sizeGiB)} GiB
        </dd>
        <dt>Encryption</dt>
        <dd>{m.encrypted === true ? <>encrypted, KMS key <code className="path">{text(m.kmsKeyId)}</code></> : 'unencrypted'}</dd>
        <dt>Started</dt>
        <dd>{time(m.startTime)}</dd>
        <dt>Completed</dt>
        <dd>{time(m.completionTime)}</dd>
        {from && (
          <>
            <dt>Copied from</dt>
            <dd>
              <span className="mono">{text(from.snapshotId)}</span> ({text(from.region)})
            </dd>
          </>
        )}
        <dt>Lock</dt>
        <dd>{c.lock ? `${c.lock.mode}${c.lock.state && c.lock.state !== c.lock.mode ? ` (${c.lock.state})` : ''} until ${time(c.lock.expiresOn)}` : 'none recorded'}</dd>
      </dl>
    </>
  );
}
