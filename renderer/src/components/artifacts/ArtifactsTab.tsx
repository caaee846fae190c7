/** The artifacts tab: Add evidence, Verify all, the table, and the selected artifact's details. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { Artifact, CaseSummary } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';
import type { QueryState } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { IngestCloudTrailDialog } from '../timeline/IngestCloudTrailDialog.js';
import { AddEvidenceDialog } from './AddEvidenceDialog.js';
import { ArtifactDetail } from './ArtifactDetail.js';
import { ArtifactTable } from './ArtifactTable.js';

/** The tab; the artifact list is owned by CaseView so the custody log can name artifacts too. */
export function ArtifactsTab({ summary, artifacts }: { summary: CaseSummary; artifacts: QueryState<Artifact[]> }) {
  const { api } = useBridge();
  const [adding, setAdding] = useState(false);
  const [ingesting, setIngesting] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const list = artifacts.data ?? [];
  const selected = list.find((a) => a.id === selectedId) ?? null;
  const verifiable = list.filter((a) => a.kind === 'file' && a.state === 'complete').length;

  const verifyAll = async (): Promise<void> => {
    setError(null);
    try {
      await unwrap(api.evidence.verify({ caseId: summary.id }));
    } catch (err) {
      setError(toDisplayError(err));
    }
  };

  return (
    <div className="artifacts-tab">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add evidence…
        </button>
        <button type="button" onClick={() => setIngesting(true)} disabled={verifiable === 0}>
          Ingest as CloudTrail…
        </button>
        <button type="button" onClick={() => void verifyAll()} disabled={verifiable === 0}>
          Verify all
        </button>
        <span className="muted toolbar-note">
          {list.length} artifact{list.length === 1 ? '' : 's'}
          {list.length > 0 && ' · select a row for hashes and history'}
        </span>
      </div>
      <ErrorMessage error={error ?? artifacts.error} onDismiss={error ? () => setError(null) : undefined} />
      {artifacts.data && list.length === 0 ? (
        <div className="empty-state">
          <h2>No evidence yet</h2>
          <p>
            Use <strong>Add evidence</strong> to copy a file into the case or register it where it is. Caseward computes MD5,
            SHA-1 and SHA-256 in one pass and records the acquisition in the custody log.
          </p>
        </div>
      ) : (
        <div className={selected ? 'split with-detail' : 'split'}>
          <ArtifactTable artifacts={list} selectedId={selectedId} onSelect={setSelectedId} timeZone={summary.timeZone} />
          {selected && (
            <ArtifactDetail caseId={summary.id} artifact={selected} timeZone={summary.timeZone} onClose={() => setSelectedId(null)} />
          )}
        </div>
      )}
      {ingesting && (
        <IngestCloudTrailDialog caseId={summary.id} artifacts={list} preselectedId={selectedId} onClose={() => setIngesting(false)} />
      )}
      {adding && <AddEvidenceDialog caseId={summary.id} onClose={() => setAdding(false)} onStarted={setSelectedId} />}
    </div>
  );
}
