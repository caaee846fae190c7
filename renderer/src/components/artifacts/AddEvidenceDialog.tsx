/** Add evidence: a file path (or picker), copy vs register in place, and a description. Starts a job. */
import { useState } from 'react';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextArea, TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';

interface Props {
  caseId: string;
  onClose: () => void;
  onStarted: (artifactId: string) => void;
}

/** The dialog closes as soon as the job is queued; progress shows in the jobs drawer. */
export function AddEvidenceDialog({ caseId, onClose, onStarted }: Props) {
  const bridge = useBridge();
  const [sourcePath, setSourcePath] = useState('');
  const [mode, setMode] = useState<'copy' | 'in-place'>('copy');
  const [description, setDescription] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const { artifactId } = await unwrap(bridge.api.evidence.add({ caseId, sourcePath: sourcePath.trim(), mode, description }));
    onStarted(artifactId);
    onClose();
  });
  const pick = async (): Promise<void> => {
    const chosen = await bridge.pickFile?.();
    if (chosen) setSourcePath(chosen);
  };

  return (
    <Dialog title="Add evidence" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label="Evidence file"
          value={sourcePath}
          onChange={(e) => setSourcePath(e.target.value)}
          required
          autoFocus
          className="mono"
          placeholder="/media/evidence/disk01.raw"
          hint="Full path on this workstation. Caseward only reads the source; it is never modified. For a segmented image give the first segment (.E01, .001, .aa): every segment next to it becomes part of one artifact."
          after={
            bridge.pickFile && (
              <button type="button" onClick={() => void pick()}>
                Browse…
              </button>
            )
          }
        />
        <fieldset className="choice-group">
          <legend>How to keep it</legend>
          <label className="choice">
            <input type="radio" name="mode" value="copy" checked={mode === 'copy'} onChange={() => setMode('copy')} />
            <span>
              <strong>Copy into the case</strong>
              <span className="hint">
                Copied into the case's evidence folder and hashed while copying; the copy is made read-only and travels with
                the case.
              </span>
            </span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="mode"
              value="in-place"
              checked={mode === 'in-place'}
              onChange={() => setMode('in-place')}
            />
            <span>
              <strong>Register in place</strong>
              <span className="hint">
                Left where it is (e.g. a large image on an evidence drive) and hashed there; the case records its path, so
                keep that drive with the case.
              </span>
            </span>
          </label>
        </fieldset>
        <TextArea
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={3}
          hint="What it is and where it came from, as you would write it on an exhibit label."
        />
        <FormFooter
          error={error}
          busy={busy}
          label={mode === 'copy' ? 'Copy and hash' : 'Register and hash'}
          busyLabel="Starting…"
          disabled={!sourcePath.trim()}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
