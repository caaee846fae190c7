/** Open an existing case folder by path (or the native picker in Electron). */
import { useState } from 'react';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';

/** The dialog. */
export function OpenCaseDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (s: CaseSummary) => void }) {
  const bridge = useBridge();
  const [path, setPath] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    onOpened(await unwrap(bridge.api.cases.open({ path: path.trim() })));
  });
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
        <FormFooter error={error} busy={busy} label="Open case" busyLabel="Opening…" disabled={!path.trim()} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
