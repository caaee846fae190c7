/** A paged hex view / text preview of a file's content or of one of its alternate data streams. */
import { useState } from 'react';
import { useBridge } from '../../lib/bridge-context.js';
import { formatBytesExact } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { decodeBase64, hexLines } from './hex.js';
import { decodeText } from './text-encoding.js';

/** One hex page: small enough to render as text rows, large enough to see a header. */
const PAGE = 4096;

interface Props {
  caseId: string;
  artifactId: string;
  partition: number | null;
  inode: number;
  /** An alternate data stream's name; the file's main content when absent. */
  stream?: string;
  /** Size known before the first page arrives (from stat). */
  sizeHint: number;
}

/** Pages through the content 4 KiB at a time; keyed by the caller on inode and stream so a switch starts at 0. */
export function ContentPager({ caseId, artifactId, partition, inode, stream, sizeHint }: Props) {
  const { api } = useBridge();
  const [offset, setOffset] = useState(0);
  const [view, setView] = useState<'hex' | 'text'>('hex');
  const page = useQuery(
    () => api.images.readFile({ caseId, artifactId, partition, inode, offset, length: PAGE, ...(stream === undefined ? {} : { stream }) }),
    [caseId, artifactId, partition, inode, stream, offset],
  );
  const total = page.data?.totalSize ?? sizeHint;
  const bytes = page.data ? decodeBase64(page.data.base64) : null;
  // A BOM counts only at the start of the content; later pages are judged by their bytes.
  const text = bytes ? decodeText(bytes, offset === 0) : null;
  const lastPage = Math.max(0, Math.floor((Math.max(total, 1) - 1) / PAGE) * PAGE);

  return (
    <>
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
          {total === 0 ? 'empty' : `0x${offset.toString(16)}–0x${(offset + (bytes?.length ?? 0)).toString(16)} of ${formatBytesExact(total)}`}
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
        <>
          <p className="muted" aria-label="Text encoding">
            Encoding: {text.label}
          </p>
          <pre className="text-preview" aria-label="Text preview">
            {text.text}
          </pre>
        </>
      )}
    </>
  );
}
