/**
 * Hex view of raw bytes: the whole image or one partition, at any offset (an examiner checks a boot
 * sector, a partition table, slack between partitions). Read through images.readRaw, read-only.
 */
import { useState, type FormEvent } from 'react';
import type { ImageOverview } from '../../../../shared/contract-images.js';
import { useBridge } from '../../lib/bridge-context.js';
import { formatBytesExact } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { decodeBase64, hexLines } from './hex.js';

const PAGE = 4096;

interface Props {
  caseId: string;
  artifactId: string;
  overview: ImageOverview;
  onClose: () => void;
}

/** "0x1be", "446", "s:2048" (sector) → a byte offset; null when unreadable. */
export function parseOffset(text: string, sectorSize: number): number | null {
  const t = text.trim().toLowerCase();
  let n: number;
  if (/^0x[0-9a-f]+$/.test(t)) n = Number.parseInt(t.slice(2), 16);
  else if (/^s:\d+$/.test(t)) n = Number(t.slice(2)) * sectorSize;
  else if (/^\d+$/.test(t)) n = Number(t);
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}

/** The raw hex panel with its own target (whole image or partition) and offset. */
export function RawHexView({ caseId, artifactId, overview, onClose }: Props) {
  const { api } = useBridge();
  const sector = overview.volumes.sectorSize;
  const [partition, setPartition] = useState<number | null>(null);
  const [offset, setOffset] = useState(0);
  const [typed, setTyped] = useState('0');
  const [bad, setBad] = useState<string | null>(null);
  const size = partition === null ? overview.size : (overview.volumes.partitions.find((p) => p.index === partition)?.size ?? 0);
  const page = useQuery(() => api.images.readRaw({ caseId, artifactId, partition, offset, length: PAGE }), [caseId, artifactId, partition, offset]);
  const bytes = page.data ? decodeBase64(page.data.base64) : null;
  const lastPage = Math.max(0, Math.floor((Math.max(size, 1) - 1) / PAGE) * PAGE);

  const go = (e: FormEvent): void => {
    e.preventDefault();
    const n = parseOffset(typed, sector);
    if (n === null || n >= Math.max(size, 1)) {
      setBad(`Give an offset below ${formatBytesExact(size)}: decimal bytes, 0x… hexadecimal, or s:N for sector N (${sector}-byte sectors).`);
      return;
    }
    setBad(null);
    // Pages start on 16-byte rows so offsets line up with other hex tools.
    setOffset(n - (n % 16));
  };

  return (
    <section className="raw-hex" aria-label="Raw hex view">
      <div className="toolbar hex-nav">
        <strong>Raw bytes</strong>
        <label className="field-inline">
          Read from{' '}
          <select
            value={partition === null ? 'whole' : String(partition)}
            onChange={(e) => {
              setPartition(e.target.value === 'whole' ? null : Number(e.target.value));
              setOffset(0);
              setTyped('0');
            }}
          >
            <option value="whole">whole image</option>
            {overview.volumes.partitions.map((p) => (
              <option key={p.index} value={p.index}>
                partition {p.index} ({p.type})
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={go} className="field-inline">
          <label>
            Offset{' '}
            <input value={typed} onChange={(e) => setTyped(e.target.value)} size={14} aria-describedby="raw-offset-help" />
          </label>
          <button type="submit">Go</button>
        </form>
        <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))} disabled={offset === 0}>
          Previous
        </button>
        <button type="button" onClick={() => setOffset(Math.min(lastPage, offset + PAGE))} disabled={offset >= lastPage}>
          Next
        </button>
        <button type="button" onClick={onClose}>
          Close raw view
        </button>
      </div>
      <p id="raw-offset-help" className="muted">
        Offsets in bytes (446), hexadecimal (0x1be) or sectors (s:2048). Showing{' '}
        <span className="mono">
          0x{offset.toString(16)}–0x{(offset + (bytes?.length ?? 0)).toString(16)}
        </span>{' '}
        of {formatBytesExact(size)}, read-only.
      </p>
      {bad && <p className="warning">{bad}</p>}
      <ErrorMessage error={page.error} />
      {bytes && (
        <pre className="hex-view" aria-label="Raw hex">
          {hexLines(bytes, offset)
            .map((l) => `${l.offset}  ${l.hex.padEnd(47)}  ${l.ascii}`)
            .join('\n')}
        </pre>
      )}
    </section>
  );
}
