/** Export the filtered timeline (timeline.export) as CSV or Timesketch JSONL; shows the written file and its SHA-256. */
import { useState } from 'react';
import type { TimelineExportFormat, TimelineExportResult } from '../../../../shared/contract-timeline-export.js';
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatBytesExact } from '../../lib/format.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { FormFooter } from '../FormFooter.js';
import { HashLine } from '../HashText.js';
import { countFilters } from './timeline-filters.js';

interface Props {
  caseId: string;
  filters: TimelineFilters;
  /** Events matching the filters, as the table counted them (null while unknown). */
  total: number | null;
  onClose: () => void;
}

const FORMATS: { value: TimelineExportFormat; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'One row per event with the filterable fields; opens in a spreadsheet.' },
  { value: 'jsonl-timesketch', label: 'Timesketch JSONL', hint: "One JSON object per line in Timesketch's import format, with the raw record." },
];

/** The form, then the result in the same dialog. */
export function ExportTimelineDialog({ caseId, filters, total, onClose }: Props) {
  const { api } = useBridge();
  const [format, setFormat] = useState<TimelineExportFormat>('csv');
  const [result, setResult] = useState<TimelineExportResult | null>(null);
  const { submit, busy, error } = useSubmit(
    async () => {
      setResult(await unwrap(api.timeline.export({ caseId, filters, format })));
    },
    { releaseOnSuccess: true },
  );
  const n = countFilters(filters);

  return (
    <Dialog title="Export timeline" onClose={onClose}>
      {result ? (
        <div className="export-result" role="status">
          <p className="result-box result-ok">
            Exported {result.rows.toLocaleString('en-US')} event{result.rows === 1 ? '' : 's'}. The file is read-only and recorded in
            custody (timeline.exported).
          </p>
          <dl className="kv">
            <dt>File</dt>
            <dd>
              <code className="path">{result.path}</code>
            </dd>
            <dt>Full path</dt>
            <dd>
              <code className="path">{result.absolutePath}</code>
            </dd>
            <dt>Size</dt>
            <dd>{formatBytesExact(result.size)}</dd>
          </dl>
          <dl className="hashes">
            <HashLine label="SHA-256" hash={result.sha256} id="tl-export-sha256" />
          </dl>
          <div className="form-actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p className="small">
            Writes the {total === null ? '' : `${total.toLocaleString('en-US')} `}events of the current view
            {n ? ` (${n} filter${n === 1 ? '' : 's'} applied)` : ' (no filters: every event)'}, in time order, into the case's{' '}
            <code>exports/</code> folder.
          </p>
          <fieldset className="choice-group">
            <legend>Format</legend>
            {FORMATS.map((f) => (
              <label key={f.value} className="choice">
                <input type="radio" name="tl-export-format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} />
                <span>
                  {f.label} <span className="muted small">{f.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FormFooter error={error} busy={busy} label="Export" busyLabel="Exporting…" onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
