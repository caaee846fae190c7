/** Last verification of an artifact in colour and words (colour is never the only signal). */
import type { Artifact, ArtifactState } from '../../../../shared/types.js';
import { formatTimeWithZone } from '../../lib/format.js';

const LABELS = {
  match: { text: '✓ match', className: 'badge badge-ok' },
  mismatch: { text: '✗ MISMATCH', className: 'badge badge-bad' },
  missing: { text: '! missing', className: 'badge badge-warn' },
  unreadable: { text: '! unreadable', className: 'badge badge-warn' },
} as const;

/** The badge; "not verified" when the artifact was never re-verified. */
export function VerificationBadge({ artifact, timeZone }: { artifact: Artifact; timeZone: string }) {
  if (artifact.kind === 'cloud-ref') {
    return (
      <span className="badge" title="A cloud reference has no bytes in the case to re-hash">
        not applicable
      </span>
    );
  }
  const v = artifact.lastVerification;
  if (!v) return <span className="badge">not verified</span>;
  const label = LABELS[v.result];
  return (
    <span className={label.className} title={`${v.result} — ${formatTimeWithZone(v.at, timeZone)} by ${v.by}`}>
      {label.text}
    </span>
  );
}

const STATE_CLASS: Record<ArtifactState, string> = {
  pending: 'badge badge-info',
  complete: 'badge badge-ok-quiet',
  failed: 'badge badge-bad',
  discarded: 'badge',
};

/** The artifact's acquisition state. */
export function StateBadge({ state }: { state: ArtifactState }) {
  return <span className={STATE_CLASS[state]}>{state}</span>;
}
