/** The digest metadata offline validation needs: x-amz-meta-signature (newest of each chain) and, for backfill digests, the generation timestamp. */
import { useState } from 'react';
import type { TrailFile } from './integrity-input.js';

interface Props {
  digests: TrailFile[];
  /** Artifact ids of the newest digest of each chain. */
  newest: Set<string>;
  signatures: Record<string, string>;
  onSignature: (artifactId: string, value: string) => void;
  backfillTimestamps: Record<string, string>;
  onBackfillTimestamp: (artifactId: string, value: string) => void;
}

/** Lists only the digests that need something unless the examiner asks for all (a trail has one per hour). */
export function DigestMetadataFields({ digests, newest, signatures, onSignature, backfillTimestamps, onBackfillTimestamp }: Props) {
  const [all, setAll] = useState(false);
  const needed = digests.filter((d) => newest.has(d.artifactId) || d.backfill);
  const shown = all ? digests : needed;
  return (
    <fieldset className="choice-group iv-signatures">
      <legend>Digest signatures (x-amz-meta-signature)</legend>
      <p className="hint">
        Offline, the newest digest of each chain needs the signature kept from its S3 object metadata (<code>aws s3api head-object</code>);
        each older digest's signature is recorded in the digest after it. Backfill digests also need their{' '}
        <code>backfill-generation-timestamp</code> metadata.
      </p>
      <ul>
        {shown.map((d) => (
          <li key={d.artifactId}>
            <label htmlFor={`sig-${d.artifactId}`} className="mono small">
              {d.name}
              {newest.has(d.artifactId) && <span className="badge badge-info">newest: needed</span>}
            </label>
            <input
              id={`sig-${d.artifactId}`}
              className="mono"
              value={signatures[d.artifactId] ?? ''}
              placeholder={newest.has(d.artifactId) ? 'hex signature' : 'optional'}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onSignature(d.artifactId, e.target.value)}
            />
            {d.backfill && (
              <input
                className="mono iv-backfill"
                aria-label={`Backfill generation timestamp of ${d.name}`}
                value={backfillTimestamps[d.artifactId] ?? ''}
                placeholder="backfill generation timestamp"
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => onBackfillTimestamp(d.artifactId, e.target.value)}
              />
            )}
          </li>
        ))}
      </ul>
      {digests.length > needed.length && (
        <button type="button" className="link-button small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show only the digests that need metadata' : `Show all ${digests.length} digests (older signatures are optional)`}
        </button>
      )}
    </fieldset>
  );
}
