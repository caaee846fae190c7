/** Choose log file artifacts and queue `logs.ingest` (then the text index job) for them. */
import { useState } from 'react';
import type { Artifact } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ArtifactChecklist, readableArtifacts, toggledSet } from '../ArtifactChecklist.js';
import { Dialog } from '../Dialog.js';
import { FormFooter } from '../FormFooter.js';

const LOG_NAME = /\.json(\.gz)?$|\.jsonl(\.gz)?$/i;
const DIGEST_NAME = /_CloudTrail-Digest_/;

interface Props {
  caseId: string;
  artifacts: Artifact[];
  /** The artifact selected in the table, ticked first. */
  preselectedId: string | null;
  onClose: () => void;
}

/** Only complete (hashed) artifacts can be read; the rest are listed as not ready. */
export function IngestCloudTrailDialog({ caseId, artifacts, preselectedId, onClose }: Props) {
  const { api } = useBridge();
  const ready = readableArtifacts(artifacts);
  const [chosen, setChosen] = useState<Set<string>>(() => {
    const pre = ready.find((a) => a.id === preselectedId);
    // Digest files are .json.gz too, but they are not events.
    return new Set(pre ? [pre.id] : ready.filter((a) => LOG_NAME.test(a.name) && !DIGEST_NAME.test(a.name)).map((a) => a.id));
  });
  const toggle = (id: string): void => setChosen((prev) => toggledSet(prev, id));

  const { submit, busy, error } = useSubmit(async () => {
    await unwrap(api.logs.ingest({ caseId, artifactIds: ready.filter((a) => chosen.has(a.id)).map((a) => a.id) }));
    onClose();
  });

  return (
    <Dialog title="Ingest as CloudTrail" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          Reads the chosen log files (<code>.json.gz</code>, <code>.json</code>, JSON arrays, JSONL) into the case's timeline. The files
          are not changed; each file's result is recorded in custody. A text index job follows.
        </p>
        {ready.length === 0 ? (
          <p className="warning">No hashed artifacts yet. Add the log files as evidence first and wait for their hashing jobs.</p>
        ) : (
          <ArtifactChecklist noun="Log files" artifacts={ready} chosen={chosen} onToggle={toggle} />
        )}
        <FormFooter
          error={error}
          busy={busy}
          label={`Ingest ${chosen.size} file${chosen.size === 1 ? '' : 's'}`}
          busyLabel="Queuing…"
          disabled={chosen.size === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
