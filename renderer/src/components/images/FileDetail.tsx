/** One file in an image: its inode metadata and alternate data streams; content viewing, hashing and export as evidence. */
import { useState } from 'react';
import type { ImageEntry } from '../../../../shared/contract-images.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatBytesExact, formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { HashLine } from '../HashText.js';
import { ContentPager } from './ContentPager.js';
import { formatMode } from './hex.js';

interface Props {
  summary: CaseSummary;
  artifactId: string;
  partition: number | null;
  entry: ImageEntry;
  path: string;
  onClose: () => void;
}

/** The panel beside the listing. */
export function FileDetail({ summary, artifactId, partition, entry, path, onClose }: Props) {
  const { api } = useBridge();
  const caseId = summary.id;
  const zone = summary.timeZone;
  const ref = { caseId, artifactId, partition, inode: entry.inode };
  const stat = useQuery(() => api.images.stat(ref), [caseId, artifactId, partition, entry.inode]);
  const readable = entry.type === 'file' && !entry.error;
  // Which content the viewer, hashing and export act on: the main data (null) or a named stream.
  const [stream, setStream] = useState<string | null>(null);
  const contentKey = `${entry.inode}:${stream ?? ''}`;
  const showContent = readable || stream !== null;
  const streamArg = stream === null ? {} : { stream };
  const [hashes, setHashes] = useState<{ key: string; md5: string; sha1: string; sha256: string } | null>(null);
  const [exported, setExported] = useState<ReadonlySet<string>>(new Set());
  const hash = useSubmit(async () => setHashes({ key: contentKey, ...(await unwrap(api.images.hashFile({ ...ref, ...streamArg }))) }), {
    releaseOnSuccess: true,
  });
  const exporter = useSubmit(
    async () => {
      await unwrap(api.images.export({ ...ref, ...streamArg, path, recursive: false }));
      setExported((prev) => new Set(prev).add(contentKey));
    },
    { releaseOnSuccess: true },
  );

  const s = stat.data;

  return (
    <aside className="detail-panel image-file" aria-labelledby="image-file-title">
      <div className="detail-head">
        <h2 id="image-file-title" title={path}>
          {entry.name}
        </h2>
        <button type="button" className="icon-button" aria-label="Close file details" onClick={onClose}>
          ×
        </button>
      </div>
      <code className="path">{path}</code>
      <ErrorMessage error={stat.error ?? hash.error ?? exporter.error} />
      {entry.deleted && <p className="warning">Deleted entry{entry.error ? `: ${entry.error}` : ''}.</p>}
      {s?.bestEffort && (
        <p className="warning">The content shown is a best-effort recovery from free clusters, as The Sleuth Kit does; it may not be what the file held.</p>
      )}
      {s && (
        <dl className="kv">
          <dt>Inode</dt>
          <dd className="mono">{s.inode}</dd>
          <dt>Type</dt>
          <dd>{s.type}</dd>
          <dt>Size</dt>
          <dd className="mono">{formatBytesExact(s.size)}</dd>
          <dt>Mode</dt>
          <dd className="mono">
            {formatMode(s.mode, s.type)} ({(s.mode & 0o7777).toString(8).padStart(4, '0')})
          </dd>
          <dt>UID / GID</dt>
          <dd className="mono">
            {s.uid} / {s.gid}
          </dd>
          {s.symlinkTarget !== null && (
            <>
              <dt>Symlink target</dt>
              <dd className="mono">{s.symlinkTarget} (not followed)</dd>
            </>
          )}
          {s.attributes.length > 0 && (
            <>
              <dt>Attributes</dt>
              <dd>{s.attributes.join(', ')}</dd>
            </>
          )}
          {s.timeBasis === 'local' && (
            <>
              <dt>Times</dt>
              <dd className="warning">
                FAT stores the local time of the machine that wrote the file, with no zone. Shown as written (marked UTC), not converted.
              </dd>
            </>
          )}
          <dt>Modified</dt>
          <dd>{formatTimeWithZone(s.mtime, s.timeBasis === 'local' ? 'UTC' : zone)}</dd>
          <dt>Accessed</dt>
          <dd>{formatTimeWithZone(s.atime, s.timeBasis === 'local' ? 'UTC' : zone)}</dd>
          <dt>Changed</dt>
          <dd>{formatTimeWithZone(s.ctime, s.timeBasis === 'local' ? 'UTC' : zone)}</dd>
          <dt>Born</dt>
          <dd>{formatTimeWithZone(s.crtime, s.timeBasis === 'local' ? 'UTC' : zone)}</dd>
        </dl>
      )}
      {s && s.streams.length > 0 && (
        <>
        <h3>Alternate data streams</h3>
        <table className="data-table compact" aria-label="Alternate data streams">
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {s.streams.map((st) => (
              <tr key={st.name} aria-selected={stream === st.name}>
                <td className="mono">{st.name}</td>
                <td className="num mono">{formatBytesExact(st.size)}</td>
                <td>
                  <button type="button" onClick={() => setStream(st.name)} disabled={stream === st.name} aria-label={`View stream ${st.name}`}>
                    View
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </>
      )}
      {showContent && (
        <section aria-label={stream === null ? 'File content' : `Stream ${stream}`}>
          {stream !== null && (
            <p className="toolbar">
              <span>
                Stream <code>{`${entry.name}:${stream}`}</code>
              </span>
              {readable && (
                <button type="button" onClick={() => setStream(null)}>
                  Show main content
                </button>
              )}
            </p>
          )}
          <div className="toolbar">
            <button type="button" onClick={() => void hash.submit()} disabled={hash.busy}>
              {stream === null ? 'Hash file' : 'Hash stream'}
            </button>
            <button type="button" className="primary" onClick={() => void exporter.submit()} disabled={exporter.busy || exported.has(contentKey)}>
              {stream === null ? 'Export as evidence' : 'Export stream as evidence'}
            </button>
          </div>
          {exported.has(contentKey) && <p role="status">Export started; the {stream === null ? 'file' : 'stream'} appears in Artifacts when its job finishes.</p>}
          {hashes && hashes.key === contentKey && (
            <dl className="hashes">
              <HashLine label="MD5" hash={hashes.md5} id={`img-md5-${entry.inode}`} />
              <HashLine label="SHA-1" hash={hashes.sha1} id={`img-sha1-${entry.inode}`} />
              <HashLine label="SHA-256" hash={hashes.sha256} id={`img-sha256-${entry.inode}`} />
            </dl>
          )}
          <ContentPager
            key={contentKey}
            caseId={caseId}
            artifactId={artifactId}
            partition={partition}
            inode={entry.inode}
            {...(stream === null ? {} : { stream })}
            sizeHint={stream === null ? (s?.size ?? 0) : (s?.streams.find((x) => x.name === stream)?.size ?? 0)}
          />
        </section>
      )}
    </aside>
  );
}
