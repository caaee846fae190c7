/** The examiner profile: who every custody event will name. Required before any case action. */
import { useState } from 'react';
import type { ExaminerProfile } from '../../../shared/types.js';
import { unwrap, useBridge } from '../lib/bridge-context.js';
import { useSubmit } from '../lib/use-submit.js';
import { TextField } from './Field.js';
import { FormFooter } from './FormFooter.js';

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
  // The form stays on screen in the edit dialog after saving, so it becomes usable again.
  const { submit, busy, error } = useSubmit(
    async () => {
      const saved = await unwrap(api.settings.setProfile({ name, organisation, ...(badgeId.trim() ? { badgeId } : {}) }));
      onSaved(saved);
    },
    { releaseOnSuccess: true },
  );

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
      <FormFooter error={error} busy={busy} label="Save profile" busyLabel="Saving…" onCancel={onCancel} />
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
