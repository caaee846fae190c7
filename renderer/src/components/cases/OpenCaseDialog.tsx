/** Open an existing case folder by path (or the native picker in Electron). */
import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { Dialog } from '../Dialog.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { TextField } from '../Field.js';

/** The dialog. */
export function OpenCaseDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (s: CaseSummary) => void }) {
  const bridge = useBridge();
  const [path, setPath] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onOpened(await unwrap(bridge.api.cases.open({ path: path.trim() })));
    } catch (err) {
      setError(toDisplayError(err));
      setBusy(false);
    }
  };
  const pick = async (): Promise<void> => {
    const chosen = await bridge.pickFolder?.();
    if (chosen) setPath(chosen);
  };

  return (
    <Dialog title="Open case folder" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label="Case folder"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          required
          autoFocus
          className="mono"
          hint="The folder that contains case.sqlite. A case copied from another workstation opens and verifies here."
          after={
            bridge.pickFolder && (
              <button type="button" onClick={() => void pick()}>
                Browse…
              </button>
            )
          }
        />
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !path.trim()}>
            {busy ? 'Opening…' : 'Open case'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
