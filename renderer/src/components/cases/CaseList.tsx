/** The start screen: recent cases, New case, Open case folder, and an empty state that says what to do. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { AppInfo, CaseSummary, RecentCase } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useAppEvents, useBridge } from '../../lib/bridge-context.js';
import { formatTime } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { NewCaseDialog } from './NewCaseDialog.js';
import { OpenCaseDialog } from './OpenCaseDialog.js';

interface CaseListProps {
  info: AppInfo | undefined;
  onOpened: (summary: CaseSummary) => void;
  notice: ErrorInfo | null;
}

function statusText(c: RecentCase): string {
  if (!c.reachable) return 'Folder not found';
  return c.open ? 'Open' : 'Closed';
}

/** The case list screen. */
export function CaseList({ info, onOpened, notice }: CaseListProps) {
  const { api } = useBridge();
  const cases = useQuery(() => api.cases.list({}), []);
  const [dialog, setDialog] = useState<'new' | 'open' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busyPath, setBusyPath] = useState<string | null>(null);
  useAppEvents((event) => {
    if (event.kind === 'case.changed' && event.what === 'case') cases.reload();
  });

  const open = async (path: string): Promise<void> => {
    setBusyPath(path);
    setError(null);
    try {
      onOpened(await unwrap(api.cases.open({ path })));
    } catch (err) {
      setError(toDisplayError(err));
      cases.reload();
    } finally {
      setBusyPath(null);
    }
  };

  const list = cases.data ?? [];
  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Cases</h1>
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setDialog('new')}>
            New case…
          </button>
          <button type="button" onClick={() => setDialog('open')}>
            Open case folder…
          </button>
        </div>
      </div>
      <ErrorMessage error={notice} />
      <ErrorMessage error={error ?? cases.error} onDismiss={error ? () => setError(null) : undefined} />
      {cases.data && list.length === 0 && (
        <section className="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">No cases on this workstation yet</h2>
          <p>
            A case is a folder holding its database, the evidence you copy into it and its exports. Start with{' '}
            <strong>New case</strong>: give it the case number and a title, then add evidence files. Caseward hashes each
            file (MD5, SHA-1, SHA-256) and records every action in the custody log.
          </p>
          <p>
            Received a case folder from a colleague? Use <strong>Open case folder</strong> and point it at the folder; its
            custody chain can be verified here.
          </p>
          {info && (
            <p className="hint">
              New cases go under <code className="path">{info.defaultCasesDir}</code> unless you choose another folder.
            </p>
          )}
        </section>
      )}
      {list.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">Recent cases</caption>
          <thead>
            <tr>
              <th scope="col" className="col-number">Number</th>
              <th scope="col">Title</th>
              <th scope="col">Folder</th>
              <th scope="col" className="col-status">Status</th>
              <th scope="col" className="col-time">Last opened (UTC)</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <td className="mono">{c.number}</td>
                <td>{c.title}</td>
                <td>
                  <code className="path" title={c.path}>
                    {c.path}
                  </code>
                </td>
                <td>
                  <span className={c.reachable ? (c.open ? 'badge badge-info' : 'badge') : 'badge badge-warn'}>{statusText(c)}</span>
                </td>
                <td className="mono">{formatTime(c.lastOpenedAt, 'UTC')}</td>
                <td>
                  <button
                    type="button"
                    disabled={!c.reachable || busyPath !== null}
                    onClick={() => void open(c.path)}
                    aria-label={`Open case ${c.number} ${c.title}`}
                    title={c.reachable ? undefined : 'The folder is not where it was: reconnect the drive, or use Open case folder.'}
                  >
                    {busyPath === c.path ? 'Opening…' : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog === 'new' && <NewCaseDialog info={info} onClose={() => setDialog(null)} onCreated={onOpened} />}
      {dialog === 'open' && <OpenCaseDialog onClose={() => setDialog(null)} onOpened={onOpened} />}
    </main>
  );
}
