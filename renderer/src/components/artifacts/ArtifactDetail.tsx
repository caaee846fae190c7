/** One artifact in full: hashes to read and copy, sizes, paths, who added it, its custody and notes. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { Artifact } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useCaseRefresh } from '../../lib/case-events.js';
import { formatBytes, formatBytesExact, formatTime, formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { HashLine } from '../HashText.js';
import { MarkdownView } from '../notes/MarkdownView.js';
import { NoteEditorDialog } from '../notes/NoteEditor.js';
import { useOpenImage } from '../images/image-context.js';
import { CloudRefDetails } from './CloudRefDetails.js';
import { SegmentList } from './SegmentList.js';
import { StateBadge, VerificationBadge } from './VerificationBadge.js';
import { IdText } from '../IdText.js';

interface Props {
  caseId: string;
  artifact: Artifact;
  timeZone: string;
  onClose: () => void;
}

/** The detail panel beside the artifacts table. */
export function ArtifactDetail({ caseId, artifact, timeZone, onClose }: Props) {
  const { api } = useBridge();
  const custody = useQuery(() => api.custody.list({ caseId, artifactId: artifact.id, limit: 200 }), [caseId, artifact.id]);
  const notes = useQuery(() => api.notes.list({ caseId, artifactId: artifact.id }), [caseId, artifact.id]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [writing, setWriting] = useState(false);
  const openImage = useOpenImage();

  useCaseRefresh(caseId, ['custody'], custody.reload);
  useCaseRefresh(caseId, ['notes'], notes.reload);

  const verify = async (): Promise<void> => {
    setError(null);
    try {
      await unwrap(api.evidence.verify({ caseId, artifactIds: [artifact.id] }));
    } catch (err) {
      setError(toDisplayError(err));
    }
  };

  const h = artifact.hashes;
  const isFile = artifact.kind === 'file';
  return (
    <aside className="detail-panel" aria-labelledby="artifact-detail-title">
      <div className="detail-head">
        <h2 id="artifact-detail-title" title={artifact.name}>
          {artifact.name}
        </h2>
        <button type="button" className="icon-button" aria-label="Close artifact details" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="detail-badges">
        <StateBadge state={artifact.state} />
        <VerificationBadge artifact={artifact} timeZone={timeZone} />
        {isFile && (
          <button type="button" onClick={() => void verify()} disabled={artifact.state !== 'complete'}>
            Verify this artifact
          </button>
        )}
        {openImage && isFile && artifact.state === 'complete' && (
          <button type="button" onClick={() => openImage(artifact.id)}>
            Open image
          </button>
        )}
      </div>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {artifact.description && <p className="description">
          <IdText text={artifact.description} />
        </p>}

      {isFile ? (
        <>
          <h3>Hashes</h3>
          <dl className="hashes">
            <HashLine label="MD5" hash={h?.md5} id={`md5-${artifact.id}`} />
            <HashLine label="SHA-1" hash={h?.sha1} id={`sha1-${artifact.id}`} />
            <HashLine label="SHA-256" hash={h?.sha256} id={`sha256-${artifact.id}`} />
          </dl>
          {artifact.segments && <SegmentList segments={artifact.segments} ewf={/\.[es]01$/i.test(artifact.name)} />}
        </>
      ) : (
        <CloudRefDetails artifact={artifact} timeZone={timeZone} />
      )}

      <h3>Details</h3>
      <dl className="kv">
        {isFile && (
          <>
            <dt>Size</dt>
            <dd>
              {artifact.size === null ? (
                <span className="muted">not known until hashing finishes</span>
              ) : (
                <>
                  <span className="mono">{formatBytesExact(artifact.size)}</span> ({formatBytes(artifact.size)})
                </>
              )}
            </dd>
            <dt>Storage</dt>
            <dd>
              {artifact.storage === 'copied' ? 'Copied into the case (read-only)' : 'Registered in place'}
              {artifact.segments && `, ${artifact.segments.length} segment files (listed above)`}
            </dd>
          </>
        )}
        <dt>Source path</dt>
        <dd>
          <code className="path">{artifact.sourcePath}</code>
        </dd>
        {isFile && (
          <>
            <dt>Stored path</dt>
            <dd>
              <code className="path">{artifact.storedPath}</code>
            </dd>
          </>
        )}
        <dt>Added</dt>
        <dd>
          {formatTimeWithZone(artifact.addedAt, timeZone)} by {artifact.addedBy}
        </dd>
        {isFile && (
          <>
            <dt>Hashed</dt>
            <dd>{formatTimeWithZone(artifact.hashedAt, timeZone)}</dd>
          </>
        )}
        {artifact.lastVerification && (
          <>
            <dt>Last verified</dt>
            <dd>
              {artifact.lastVerification.result} — {formatTimeWithZone(artifact.lastVerification.at, timeZone)} by{' '}
              {artifact.lastVerification.by}
            </dd>
          </>
        )}
      </dl>

      <h3>Custody history</h3>
      <ErrorMessage error={custody.error} />
      {custody.data && custody.data.events.length === 0 && <p className="muted">No events yet.</p>}
      {custody.data && custody.data.events.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time ({timeZone})</th>
              <th scope="col">Action</th>
              <th scope="col">Examiner</th>
            </tr>
          </thead>
          <tbody>
            {custody.data.events.map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq}</td>
                <td className="mono" title={e.at}>
                  {formatTime(e.at, timeZone)}
                </td>
                <td>{e.action}</td>
                <td>{e.examiner}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="section-head">
        <h3>Notes</h3>
        <button type="button" onClick={() => setWriting(true)}>
          Add note about this artifact…
        </button>
      </div>
      <ErrorMessage error={notes.error} />
      {notes.data && notes.data.length === 0 && <p className="muted">No notes about this artifact.</p>}
      {notes.data?.map((n) => (
        <details key={n.id} className="note-inline">
          <summary>
            {n.title} <span className="muted">(rev {n.revision}, {n.author})</span>
          </summary>
          <MarkdownView markdown={n.body} />
        </details>
      ))}
      {writing && (
        <NoteEditorDialog caseId={caseId} artifactId={artifact.id} onClose={() => setWriting(false)} onSaved={() => notes.reload()} />
      )}
    </aside>
  );
}
