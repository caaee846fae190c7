/** One file in an image: its inode metadata, a paged hex view or text preview, hashing and export as evidence. */
import { useState } from 'react';
import type { ImageEntry } from '../../../../shared/contract-images.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatBytesExact, formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { HashLine } from '../HashText.js';
import { decodeBase64, formatMode, hexLines, looksLikeText } from './hex.js';

/** One hex page: small enough to render as text rows, large enough to see a header. */
const PAGE = 4096;

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
  const [offset, setOffset] = useState(0);
  const [view, setView] = useState<'hex' | 'text'>('hex');
  const readable = entry.type === 'file' && !entry.error;
  const page = useQuery(() => api.images.readFile({ ...ref, offset, length: PAGE }), [caseId, artifactId, partition, entry.inode, offset], readable);
  const [hashes, setHashes] = useState<{ md5: string; sha1: string; sha256: string } | null>(null);
  const [exported, setExported] = useState(false);
  const hash = useSubmit(async () => setHashes(await unwrap(api.images.hashFile(ref))), { releaseOnSuccess: true });
  const exporter = useSubmit(
    async () => {
      await unwrap(api.images.export({ ...ref, path, recursive: false }));
      setExported(true);
    },
    { releaseOnSuccess: true },
  );

  const s = stat.data;
  const total = page.data?.totalSize ?? s?.size ?? 0;
  const bytes = page.data ? decodeBase64(page.data.base64) : null;
  const text = bytes && looksLikeText(bytes);
  const lastPage = Math.max(0, Math.floor((Math.max(total, 1) - 1) / PAGE) * PAGE);

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
          <dt>Modified</dt>
          <dd>{formatTimeWithZone(s.mtime, zone)}</dd>
          <dt>Accessed</dt>
          <dd>{formatTimeWithZone(s.atime, zone)}</dd>
          <dt>Changed</dt>
          <dd>{formatTimeWithZone(s.ctime, zone)}</dd>
          <dt>Born</dt>
          <dd>{formatTimeWithZone(s.crtime, zone)}</dd>
        </dl>
      )}
      {readable && (
        <>
          <div className="toolbar">
            <button type="button" onClick={() => void hash.submit()} disabled={hash.busy}>
              Hash file
            </button>
            <button type="button" className="primary" onClick={() => void exporter.submit()} disabled={exporter.busy || exported}>
              Export as evidence
            </button>
          </div>
          {exported && <p role="status">Export started; the file appears in Artifacts when its job finishes.</p>}
          {hashes && (
            <dl className="hashes">
              <HashLine label="MD5" hash={hashes.md5} id={`img-md5-${entry.inode}`} />
              <HashLine label="SHA-1" hash={hashes.sha1} id={`img-sha1-${entry.inode}`} />
              <HashLine label="SHA-256" hash={hashes.sha256} id={`img-sha256-${entry.inode}`} />
            </dl>
          )}
          <div className="toolbar hex-nav">
            <div className="image-segmented" role="group" aria-label="Content view">
              <button type="button" aria-pressed={view === 'hex'} onClick={() => setView('hex')}>
                Hex
              </button>
              <button type="button" aria-pressed={view === 'text'} onClick={() => setView('text')} disabled={!text}>
                Text
              </button>
            </div>
            <button type="button" onClick={() => setOffset(0)} disabled={offset === 0}>
              First
            </button>
            <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))} disabled={offset === 0}>
              Previous
            </button>
            <button type="button" onClick={() => setOffset(Math.min(lastPage, offset + PAGE))} disabled={offset >= lastPage}>
              Next
            </button>
            <span className="muted mono">
              {total === 0 ? 'empty file' : `0x${offset.toString(16)}–0x${(offset + (bytes?.length ?? 0)).toString(16)} of ${formatBytesExact(total)}`}
            </span>
          </div>
          <ErrorMessage error={page.error} />
          {bytes && view === 'hex' && (
            <pre className="hex-view" aria-label="Hex view">
              {hexLines(bytes, offset)
                .map((l) => `${l.offset}  ${l.hex.padEnd(47)}  ${l.ascii}`)
                .join('\n')}
            </pre>
          )}
          {bytes && view === 'text' && text && (
            <pre className="text-preview" aria-label="Text preview">
              {new TextDecoder('utf-8').decode(bytes)}
            </pre>
          )}
        </>
      )}
    </aside>
  );
}
