/** The segments of a segmented artifact (E01 set, split raw), each with its size and hashes as custody recorded them. */
import type { EvidenceSegment } from '../../../../shared/types.js';
import { formatBytes } from '../../lib/format.js';
import { ShortHash } from '../HashText.js';

/** A table of segments in order; the artifact's own hashes above it cover their bytes concatenated. */
export function SegmentList({ segments, ewf }: { segments: EvidenceSegment[]; ewf: boolean }) {
  return (
    <>
      <h3>Segments ({segments.length})</h3>
      <p className="muted">
        {ewf
          ? "The hashes above are of the segment files' bytes in order (the set as stored), not of the disk image inside; Open image → “Verify container” checks the image hash the E01 stores."
          : 'The hashes above are of the segments’ bytes in order: the disk image’s own hashes.'}
      </p>
      <table className="data-table compact" aria-label="Segments">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Segment</th>
            <th scope="col" className="num">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">MD5</th>
          </tr>
        </thead>
        <tbody>
          {segments.map((s, i) => (
            <tr key={s.name}>
              <td className="num">{i + 1}</td>
              <td className="mono">{s.name}</td>
              <td className="num" title={`${s.size} bytes`}>
                {formatBytes(s.size)}
              </td>
              <td>
                <ShortHash hash={s.sha256} />
              </td>
              <td>
                <ShortHash hash={s.md5} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
