/** The Image tab: container header, partitions and file systems, then a browser for the chosen file system. */
import { useState } from 'react';
import type { ImageOverview } from '../../../../shared/contract-images.js';
import type { Artifact, CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatBytes, formatBytesExact } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { ContainerVerifyResult } from './ContainerVerifyResult.js';
import { FileBrowser } from './FileBrowser.js';
import { RawHexView } from './RawHexView.js';

interface Props {
  summary: CaseSummary;
  artifact: Artifact | null;
  artifactId: string;
  onClose: () => void;
}

/** One opened image; `artifactId` names the complete artifact being reviewed. */
export function ImageView({ summary, artifact, artifactId, onClose }: Props) {
  const { api } = useBridge();
  const caseId = summary.id;
  const overview = useQuery(() => api.images.open({ caseId, artifactId }), [caseId, artifactId]);
  const [fsIndex, setFsIndex] = useState(0);
  const [verifyJob, setVerifyJob] = useState<string | null>(null);
  const verify = useSubmit(
    async () => {
      const { jobId } = await unwrap(api.images.verify({ caseId, artifactId }));
      setVerifyJob(jobId);
    },
    { releaseOnSuccess: true },
  );
  const [bodyfileNote, setBodyfileNote] = useState<string | null>(null);
  const [rawOpen, setRawOpen] = useState(false);
  const o = overview.data;
  const readable = o?.fileSystems.filter((f) => f.kind !== 'unknown') ?? [];
  const chosen = readable[fsIndex] ?? readable[0] ?? null;
  // A body file covers one whole file system; its times also go into the case timeline.
  const bodyfile = useSubmit(
    async () => {
      if (!chosen) return;
      await unwrap(api.images.bodyfile({ caseId, artifactId, partition: chosen.partition, addToTimeline: true }));
      setBodyfileNote('Body file started: it becomes an artifact, and its times join the Timeline when the job ends (see the Jobs drawer).');
    },
    { releaseOnSuccess: true },
  );

  return (
    <div className="image-view">
      <div className="toolbar">
        <h2 className="image-title">Image: {artifact?.name ?? artifactId}</h2>
        {o?.kind === 'ewf' && (
          <button type="button" onClick={() => void verify.submit()} disabled={verify.busy}>
            Verify container
          </button>
        )}
        {chosen && (
          <button type="button" onClick={() => void bodyfile.submit()} disabled={bodyfile.busy} title="TSK body file of the chosen file system, added as an artifact and merged into the timeline">
            Body file → timeline
          </button>
        )}
        {o && (
          <button type="button" onClick={() => setRawOpen(true)} disabled={rawOpen}>
            Raw hex…
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close image
        </button>
      </div>
      <ErrorMessage error={overview.error ?? verify.error} onDismiss={verify.error ? () => verify.setError(null) : undefined} />
      <ErrorMessage error={bodyfile.error} onDismiss={() => bodyfile.setError(null)} />
      {verifyJob && <ContainerVerifyResult key={verifyJob} caseId={caseId} jobId={verifyJob} />}
      {bodyfileNote && <p role="status">{bodyfileNote}</p>}
      {!o && !overview.error && <p className="muted">Opening the image read-only…</p>}
      {o && <Overview o={o} />}
      {o && rawOpen && <RawHexView caseId={caseId} artifactId={artifactId} overview={o} onClose={() => setRawOpen(false)} />}
      {o && readable.length > 1 && (
        <label className="field-inline">
          File system{' '}
          <select value={fsIndex} onChange={(e) => setFsIndex(Number(e.target.value))}>
            {readable.map((f, i) => (
              <option key={i} value={i}>
                {f.partition === null ? 'whole image' : `partition ${f.partition}`} — {f.detail} {f.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {o && !chosen && <p className="muted">No readable file system (ext2/3/4, XFS, NTFS or FAT) in this image.</p>}
      {chosen && (
        <FileBrowser
          key={`${chosen.partition ?? 'whole'}`}
          summary={summary}
          artifactId={artifactId}
          partition={chosen.partition}
          rootInode={chosen.rootInode}
        />
      )}
    </div>
  );
}

/** Hash names as examiners write them, not as the reader's keys spell them. */
const ACRONYMS: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

/** "storedMd5" → "Stored MD5": metadata keys come from the reader in camelCase. */
function metaLabel(key: string): string {
  const words = key
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .split(' ')
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Container, E01 metadata, partitions and file systems. */
function Overview({ o }: { o: ImageOverview }) {
  const meta = Object.entries(o.metadata);
  const sector = o.volumes.sectorSize;
  return (
    <section className="image-overview" aria-label="Image overview">
      <dl className="kv">
        <dt>Container</dt>
        <dd>{o.kind === 'ewf' ? 'EWF (E01)' : o.kind === 'split-raw' ? 'Split raw' : 'Raw'}</dd>
        <dt>Size</dt>
        <dd>
          <span className="mono">{formatBytesExact(o.size)}</span> ({formatBytes(o.size)})
        </dd>
        <dt>Partition scheme</dt>
        <dd>
          {o.volumes.scheme.toUpperCase()} · {sector}-byte sectors
        </dd>
        {meta.map(([k, v]) => (
          <span key={k} className="kv-pair">
            <dt>{metaLabel(k)}</dt>
            <dd className="mono">{Array.isArray(v) ? v.join(', ') : String(v)}</dd>
          </span>
        ))}
      </dl>
      {o.volumes.warnings.map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}
      {o.volumes.partitions.length > 0 && (
        <table className="data-table compact" aria-label="Partitions">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Start (sector)</th>
              <th scope="col">Size</th>
              <th scope="col">Type</th>
              <th scope="col">Label</th>
              <th scope="col">File system</th>
            </tr>
          </thead>
          <tbody>
            {o.volumes.partitions.map((p) => {
              const fs = o.fileSystems.find((f) => f.partition === p.index);
              return (
                <tr key={p.index}>
                  <td className="num">{p.index}</td>
                  <td className="num mono">{Math.floor(p.start / sector)}</td>
                  <td className="num">{formatBytes(p.size)}</td>
                  <td>{p.type}</td>
                  <td>{p.label ?? '—'}</td>
                  <td>{fs ? (fs.kind === 'unknown' ? `unknown${fs.warnings[0] ? ` (${fs.warnings[0]})` : ''}` : `${fs.detail} “${fs.label}”`) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
