/** The examiner profile: who every custody event will name. Required before any case action. */
import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { ExaminerProfile } from '../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../lib/bridge-context.js';
import { ErrorMessage } from './ErrorMessage.js';
import { TextField } from './Field.js';

interface ProfileFormProps {
  initial: ExaminerProfile | null;
  onSaved: (profile: ExaminerProfile) => void;
  onCancel?: () => void;
}

/** The form itself, used on first run and in the edit dialog. */
export function ProfileForm({ initial, onSaved, onCancel }: ProfileFormProps) {
  const { api } = useBridge();
  const [name, setName] = useState(initial?.name ?? '');
  const [organisation, setOrganisation] = useState(initial?.organisation ?? '');
  const [badgeId, setBadgeId] = useState(initial?.badgeId ?? '');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await unwrap(
        api.settings.setProfile({ name, organisation, ...(badgeId.trim() ? { badgeId } : {}) }),
      );
      onSaved(saved);
    } catch (err) {
      setError(toDisplayError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <TextField label="Full name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" autoFocus />
      <TextField
        label="Organisation"
        value={organisation}
        onChange={(e) => setOrganisation(e.target.value)}
        required
        autoComplete="organization"
      />
      <TextField
        label="Badge or staff ID (optional)"
        value={badgeId}
        onChange={(e) => setBadgeId(e.target.value)}
        hint="Printed next to your name on custody forms, if your lab uses one."
      />
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The first-run screen: nothing else is reachable until the profile exists. */
export function FirstRun({ onSaved }: { onSaved: (profile: ExaminerProfile) => void }) {
  return (
    <main className="first-run">
      <div className="card narrow">
        <h1>Welcome to Caseward</h1>
        <p>
          Every action on evidence is recorded in the case's custody log with the examiner's name, organisation and
          this workstation's name. Tell Caseward who you are before you create or open a case.
        </p>
        <ProfileForm initial={null} onSaved={onSaved} />
      </div>
    </main>
  );
}
