/** New case: number, title, client, description, display time zone and an optional folder. */
import { useMemo, useState } from 'react';
import type { AppInfo, CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { timeZoneChoices } from '../../lib/format.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextArea, TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';

interface Props {
  info: AppInfo | undefined;
  onClose: () => void;
  onCreated: (summary: CaseSummary) => void;
}

/** The dialog; creating the case also opens it. */
export function NewCaseDialog({ info, onClose, onCreated }: Props) {
  const bridge = useBridge();
  const zones = useMemo(timeZoneChoices, []);
  const [number, setNumber] = useState('');
  const [title, setTitle] = useState('');
  const [client, setClient] = useState('');
  const [description, setDescription] = useState('');
  const [timeZone, setTimeZone] = useState('UTC');
  const [folder, setFolder] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const summary = await unwrap(
      bridge.api.cases.create({
        number,
        title,
        client,
        description,
        timeZone,
        ...(folder.trim() ? { path: folder.trim() } : {}),
      }),
    );
    onCreated(summary);
  });

  const pick = async (): Promise<void> => {
    const chosen = await bridge.pickFolder?.();
    if (chosen) setFolder(chosen);
  };

  const defaultFolder = info ? `${info.defaultCasesDir}/${number.trim() || '<case number>'}` : 'the workstation cases folder';
  return (
    <Dialog title="New case" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <TextField label="Case number" value={number} onChange={(e) => setNumber(e.target.value)} required autoFocus />
          <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} required />
          <TextField label="Client" value={client} onChange={(e) => setClient(e.target.value)} />
          <div className="field">
            <label htmlFor="new-case-zone">Display time zone</label>
            <select id="new-case-zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} aria-describedby="new-case-zone-hint">
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            <p id="new-case-zone-hint" className="hint">
              Times are always stored in UTC; this zone is only how screens and reports show them.
            </p>
          </div>
        </div>
        <TextArea label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
        <TextField
          label="Case folder (optional)"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder={defaultFolder}
          hint={<>Leave empty to create it at <code className="path">{defaultFolder}</code>.</>}
          after={
            bridge.pickFolder && (
              <button type="button" onClick={() => void pick()}>
                Browse…
              </button>
            )
          }
        />
        <FormFooter error={error} busy={busy} label="Create case" busyLabel="Creating…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
