/** Every log and digest file of an integrity report, one row each, virtualised (a trail holds thousands). */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { DigestIntegrityStatus, LogIntegrityStatus } from '../../../../shared/contract-logs-validate.js';
import { DIGEST_MEANING, DIGEST_STATUS, keyName, LOG_MEANING, LOG_STATUS, statusTone } from './integrity-words.js';

/** One file of the report as the table shows it. */
export interface FileRow {
  kind: 'log' | 'digest';
  s3Key: string;
  hour: string | null;
  status: LogIntegrityStatus | DigestIntegrityStatus;
  reason: string | null;
  notes: string[];
}

const ROW_HEIGHT = 30;

function statusText(r: FileRow): string {
  return r.kind === 'log' ? LOG_STATUS[r.status as LogIntegrityStatus] : DIGEST_STATUS[r.status as DigestIntegrityStatus];
}

function why(r: FileRow): string {
  const base = r.reason ?? (r.kind === 'log' ? LOG_MEANING[r.status as LogIntegrityStatus] : DIGEST_MEANING[r.status as DigestIntegrityStatus]);
  return r.notes.length ? `${base} (${r.notes.join('; ')})` : base;
}

/** The scroll box is focusable so the keyboard can scroll it; rows are text, not controls. */
export function IntegrityFileTable({ rows }: { rows: FileRow[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  if (rows.length === 0) return <p className="muted small">No files to show.</p>;
  return (
    <div className="table-scroll iv-files-scroll" ref={scrollRef} tabIndex={0} aria-label="Files and their integrity status">
      <table className="data-table compact iv-files" aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            <th scope="col" className="iv-col-kind">Kind</th>
            <th scope="col" className="iv-col-file">File</th>
            <th scope="col" className="iv-col-hour">Hour (UTC)</th>
            <th scope="col" className="iv-col-status">Status</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={5} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const r = rows[item.index]!;
            return (
              <tr key={`${r.kind}:${r.s3Key}`} aria-rowindex={item.index + 2} className="row" data-status={r.status}>
                <td>{r.kind === 'log' ? 'Log' : 'Digest'}</td>
                <td className="mono" title={r.s3Key}>
                  {keyName(r.s3Key)}
                </td>
                <td className="mono">{r.hour ? r.hour.slice(0, 13).replace('T', ' ') + ':00' : '—'}</td>
                <td>
                  <span className={statusTone(r.status)}>{statusText(r)}</span>
                </td>
                <td title={why(r)}>{why(r)}</td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={5} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
