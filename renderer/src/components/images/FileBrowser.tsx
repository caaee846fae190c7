/** A directory listing of one file system with breadcrumbs; a selected file opens its detail beside it. */
import { useState } from 'react';
import type { ImageEntry } from '../../../../shared/contract-images.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { useBridge } from '../../lib/bridge-context.js';
import { formatBytes, formatTime } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { FileDetail } from './FileDetail.js';
import { formatMode } from './hex.js';

interface Props {
  summary: CaseSummary;
  artifactId: string;
  partition: number | null;
  rootInode: number | null;
}

interface Crumb {
  name: string;
  inode: number | undefined;
}

const PAGE = 1000;

/** Browses by inode; the path is kept from the breadcrumbs so an export records where the file was found. */
export function FileBrowser({ summary, artifactId, partition, rootInode }: Props) {
  const { api } = useBridge();
  const caseId = summary.id;
  const zone = summary.timeZone;
  const [trail, setTrail] = useState<Crumb[]>([{ name: '/', inode: rootInode ?? undefined }]);
  const [selected, setSelected] = useState<ImageEntry | null>(null);
  const dir = trail[trail.length - 1]!;
  // Large directories (a mail spool, node_modules) come a page at a time.
  const [offset, setOffset] = useState(0);
  const listing = useQuery(
    () => api.images.list({ caseId, artifactId, partition, inode: dir.inode, offset, limit: PAGE }),
    [caseId, artifactId, partition, dir.inode, offset],
  );
  const local = listing.data?.timeBasis === 'local';
  // FAT times are the writer's wall clock with no zone: show them as stored, not shifted to the case's zone.
  const shownZone = local ? 'UTC' : zone;
  const zoneLabel = local ? 'as stored, writer’s local time' : zone;
  const dirPath = '/' + trail.slice(1).map((c) => c.name).join('/');
  const pathOf = (name: string): string => (dirPath === '/' ? `/${name}` : `${dirPath}/${name}`);

  const enter = (e: ImageEntry): void => {
    if (e.type === 'dir' && !e.deleted) {
      if (e.name === '.') return;
      if (e.name === '..') setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t));
      else setTrail((t) => [...t, { name: e.name, inode: e.inode }]);
      setOffset(0);
      setSelected(null);
    } else {
      setSelected(e);
    }
  };
  const entries = (listing.data?.entries ?? []).filter((e) => e.name !== '.' && e.name !== '..');

  return (
    <div className={selected ? 'image-browser with-detail' : 'image-browser'}>
      <div className="image-listing">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          {trail.map((c, i) => (
            <span key={i}>
              {i > 1 && <span className="crumb-sep">/</span>}
              <button
                type="button"
                className="link-button"
                aria-current={i === trail.length - 1 ? 'location' : undefined}
                onClick={() => {
                  setTrail((t) => t.slice(0, i + 1));
                  setOffset(0);
                  setSelected(null);
                }}
              >
                {c.name}
              </button>
            </span>
          ))}
          {listing.data && (
            <span className="muted toolbar-note">
              {listing.data.total} entr{listing.data.total === 1 ? 'y' : 'ies'}
              {listing.data.total > PAGE && `, ${listing.data.offset + 1}–${listing.data.offset + listing.data.entries.length} shown`}
            </span>
          )}
          {listing.data && listing.data.total > PAGE && (
            <span className="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous {PAGE}
              </button>
              <button type="button" disabled={offset + PAGE >= listing.data.total} onClick={() => setOffset(offset + PAGE)}>
                Next {PAGE}
              </button>
            </span>
          )}
        </nav>
        <ErrorMessage error={listing.error} />
        <div className="table-scroll">
          <table className="data-table compact image-table" aria-label="Directory listing">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Inode</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Mode</th>
                <th scope="col">UID/GID</th>
                <th scope="col">Modified ({zoneLabel})</th>
                <th scope="col">Accessed ({zoneLabel})</th>
                <th scope="col">Changed ({zoneLabel})</th>
                <th scope="col">Born ({zoneLabel})</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr
                  key={`${e.name}-${e.inode}-${e.deleted ? 'd' : ''}`}
                  className={[e.deleted ? 'deleted' : '', selected?.inode === e.inode && selected.name === e.name ? 'selected' : ''].join(' ')}
                  aria-selected={selected?.inode === e.inode && selected.name === e.name}
                >
                  <td>
                    <button type="button" className="link-button entry-name" onClick={() => enter(e)} title={e.error ?? undefined}>
                      {e.name}
                      {e.type === 'dir' ? '/' : ''}
                    </button>
                    {e.deleted && <span className="badge badge-bad deleted-badge">deleted</span>}
                    {e.symlinkTarget !== null && <span className="muted mono"> → {e.symlinkTarget}</span>}
                  </td>
                  <td className="num mono">{e.inode}</td>
                  <td>{e.type}</td>
                  <td className="num">{e.type === 'dir' ? '—' : formatBytes(e.size)}</td>
                  <td className="mono">{formatMode(e.mode, e.type)}</td>
                  <td className="mono">{e.uid === null ? '—' : `${e.uid}/${e.gid ?? '—'}`}</td>
                  <td className="mono">{formatTime(e.mtime, shownZone)}</td>
                  <td className="mono">{formatTime(e.atime, shownZone)}</td>
                  <td className="mono">{formatTime(e.ctime, shownZone)}</td>
                  <td className="mono">{formatTime(e.crtime, shownZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {selected && (
        <FileDetail
          key={`${selected.inode}-${selected.name}`}
          summary={summary}
          artifactId={artifactId}
          partition={partition}
          entry={selected}
          path={pathOf(selected.name)}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
