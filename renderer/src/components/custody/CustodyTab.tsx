/** The custody log: paged events, chain verification and exports (CSV, JSON, PDF). */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { Artifact, CaseSummary, ChainVerification, ExportFormat, ExportResult } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useCaseRefresh } from '../../lib/case-events.js';
import { formatBytes } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { CopyButton } from '../HashText.js';
import { ChainResult } from './ChainResult.js';
import { CustodyTable } from './CustodyTable.js';

const PAGE = 200;

/** The tab. */
export function CustodyTab({ summary, artifacts }: { summary: CaseSummary; artifacts: Artifact[] }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const [offset, setOffset] = useState(0);
  const page = useQuery(() => api.custody.list({ caseId, offset, limit: PAGE }), [caseId, offset]);
  const [chain, setChain] = useState<ChainVerification | null>(null);
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useCaseRefresh(caseId, ['custody'], page.reload);

  const run = async (label: string, fn: () => Promise<void>): Promise<void> => {
    setBusy(label);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(toDisplayError(err));
    } finally {
      setBusy(null);
    }
  };
  const verifyChain = () => run('verify', async () => setChain(await unwrap(api.custody.verifyChain({ caseId }))));
  const exportAs = (format: ExportFormat) =>
    run(format, async () => setExported(await unwrap(api.reports.exportCustody({ caseId, format }))));

  const total = page.data?.total ?? 0;
  const events = page.data?.events ?? [];
  return (
    <div className="custody-tab">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void verifyChain()} disabled={busy !== null}>
          {busy === 'verify' ? 'Verifying…' : 'Verify chain'}
        </button>
        <span className="toolbar-sep" aria-hidden="true" />
        <span className="toolbar-label">Export custody log:</span>
        {(['csv', 'json', 'pdf'] as const).map((f) => (
          <button key={f} type="button" onClick={() => void exportAs(f)} disabled={busy !== null} aria-label={`Export custody log as ${f.toUpperCase()}`}>
            {busy === f ? 'Exporting…' : f.toUpperCase()}
          </button>
        ))}
      </div>
      <ErrorMessage error={error ?? page.error} onDismiss={error ? () => setError(null) : undefined} />
      {chain && <ChainResult result={chain} onDismiss={() => setChain(null)} />}
      {exported && (
        <div className="result-box result-ok export-result" role="status">
          <button type="button" className="icon-button" aria-label="Dismiss export result" onClick={() => setExported(null)}>
            ×
          </button>
          <p>
            <strong>{exported.format.toUpperCase()} written</strong> ({formatBytes(exported.size)}), covering events up to #
            {exported.headSeq}:
          </p>
          <dl className="kv">
            <dt>File</dt>
            <dd>
              <code className="path export-path">{exported.absolutePath}</code>
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code id="export-sha256" className="hash hash-full export-sha256">
                {exported.sha256}
              </code>
              <CopyButton text={exported.sha256} label="export SHA-256" targetId="export-sha256" />
            </dd>
          </dl>
        </div>
      )}
      <div className="pager" aria-live="polite">
        <span>
          {total === 0 ? 'No events' : `Events ${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}`}
        </span>
        <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))} disabled={offset === 0}>
          ← Previous {PAGE}
        </button>
        <button type="button" onClick={() => setOffset(offset + PAGE)} disabled={offset + PAGE >= total}>
          Next {PAGE} →
        </button>
      </div>
      <CustodyTable events={events} artifacts={artifacts} timeZone={summary.timeZone} />
    </div>
  );
}
