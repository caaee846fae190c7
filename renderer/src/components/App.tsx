/** Top level: loads workstation info and the profile, then shows first run, the case list or a case. */
import { useEffect, useState } from 'react';
import type { CaseSummary, ExaminerProfile } from '../../../shared/types.js';
import type { BrowserBridge, ConnectionState } from '../bridge/browser-bridge.js';
import { toDisplayError, unwrap, useBridge } from '../lib/bridge-context.js';
import { useQuery } from '../lib/use-query.js';
import { CaseList } from './cases/CaseList.js';
import { CaseView } from './CaseView.js';
import { Dialog } from './Dialog.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Header } from './Header.js';
import { FirstRun, ProfileForm } from './ProfileForm.js';
import type { ErrorInfo } from '../../../shared/errors.js';

const CURRENT_CASE_KEY = 'caseward.currentCasePath';

function rememberCase(path: string | null): void {
  try {
    if (path) sessionStorage.setItem(CURRENT_CASE_KEY, path);
    else sessionStorage.removeItem(CURRENT_CASE_KEY);
  } catch {
    // Only a convenience for reloads.
  }
}

/** The application shell. */
export function App() {
  const bridge = useBridge();
  const { api } = bridge;
  const info = useQuery(() => api.app.info({}), []);
  const profileQuery = useQuery(() => api.settings.getProfile({}), []);
  const [profile, setProfile] = useState<ExaminerProfile | null | undefined>(undefined);
  const [current, setCurrent] = useState<CaseSummary | null>(null);
  const [editingProfile, setEditingProfile] = useState(false);
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [restoreError, setRestoreError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    if (profileQuery.data !== undefined) setProfile(profileQuery.data);
  }, [profileQuery.data]);

  useEffect(() => {
    const maybe = bridge as Partial<BrowserBridge>;
    return maybe.onConnectionChange?.(setConnection);
  }, [bridge]);

  // A reloaded tab returns to the case it showed (the case stays open in main across reloads).
  useEffect(() => {
    if (!profile) return;
    let stored: string | null;
    try {
      stored = sessionStorage.getItem(CURRENT_CASE_KEY);
    } catch {
      stored = null;
    }
    if (!stored) return;
    unwrap(api.cases.open({ path: stored }))
      .then(setCurrent)
      .catch((err: unknown) => {
        rememberCase(null);
        setRestoreError(toDisplayError(err));
      });
  }, [api, profile]);

  const openCase = (summary: CaseSummary): void => {
    rememberCase(summary.path);
    setCurrent(summary);
  };
  const leaveCase = (): void => {
    rememberCase(null);
    setCurrent(null);
  };

  if (profileQuery.error || info.error) {
    return (
      <main className="first-run">
        <div className="card narrow">
          <h1>Caseward cannot start</h1>
          <ErrorMessage error={profileQuery.error ?? info.error} />
          <button type="button" onClick={() => window.location.reload()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (profile === undefined) {
    return (
      <main className="first-run" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  if (profile === null) return <FirstRun onSaved={setProfile} />;

  return (
    <div className="app">
      <Header
        info={info.data}
        profile={profile}
        current={current}
        connection={connection}
        onHome={leaveCase}
        onEditProfile={() => setEditingProfile(true)}
      />
      {current ? (
        <CaseView key={current.id} initial={current} onLeave={leaveCase} />
      ) : (
        <CaseList info={info.data} onOpened={openCase} notice={restoreError} />
      )}
      {editingProfile && (
        <Dialog title="Examiner profile" onClose={() => setEditingProfile(false)}>
          <p className="hint">Changes apply to actions from now on; earlier custody events keep the name they were recorded with.</p>
          <ProfileForm
            initial={profile}
            onSaved={(p) => {
              setProfile(p);
              setEditingProfile(false);
            }}
            onCancel={() => setEditingProfile(false)}
          />
        </Dialog>
      )}
    </div>
  );
}
