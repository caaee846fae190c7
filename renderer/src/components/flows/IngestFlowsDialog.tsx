/** Choose VPC flow log artifacts and queue flows.ingest for them. */
import { useState } from 'react';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ArtifactChecklist, readableArtifacts, toggledSet } from '../ArtifactChecklist.js';
import { Dialog } from '../Dialog.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { FormFooter } from '../FormFooter.js';

// Flow logs delivered to S3 are .log.gz; CloudWatch exports are often .log or .txt.
const FLOW_NAME = /\.(log|txt)(\.gz)?$/i;

/** Only complete (hashed) artifacts can be read; likely flow logs are ticked first. */
export function IngestFlowsDialog({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { api } = useBridge();
  const artifacts = useQuery(() => api.evidence.list({ caseId }), [caseId]);
  const ready = readableArtifacts(artifacts.data ?? []);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const picked = chosen ?? new Set(ready.filter((a) => FLOW_NAME.test(a.name)).map((a) => a.id));
  const { submit, busy, error } = useSubmit(async () => {
    await unwrap(api.flows.ingest({ caseId, artifactIds: ready.filter((a) => picked.has(a.id)).map((a) => a.id) }));
    onClose();
  });

  return (
    <Dialog title="Ingest VPC flow logs" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          Reads the chosen flow log files (default or custom format with a header line; plain or gzip) into the case. The files are not
          changed; each file's result, with any lines skipped and why, is recorded in custody.
        </p>
        <ErrorMessage error={artifacts.error} />
        {artifacts.data && ready.length === 0 ? (
          <p className="warning">No hashed artifacts yet. Add the flow log files as evidence first and wait for their hashing jobs.</p>
        ) : (
          <ArtifactChecklist noun="Flow log files" artifacts={ready} chosen={picked} onToggle={(id) => setChosen(toggledSet(picked, id))} />
        )}
        <FormFooter
          error={error}
          busy={busy}
          label={`Ingest ${picked.size} file${picked.size === 1 ? '' : 's'}`}
          busyLabel="Queuing…"
          disabled={picked.size === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
