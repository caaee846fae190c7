/** The top bar: product, current case, live-update status and the examiner menu. */
import { useEffect, useRef, useState } from 'react';
import type { AppInfo, CaseSummary, ExaminerProfile } from '../../../shared/types.js';
import type { ConnectionState } from '../bridge/browser-bridge.js';

interface HeaderProps {
  info: AppInfo | undefined;
  profile: ExaminerProfile;
  current: CaseSummary | null;
  connection: ConnectionState | null;
  onHome: () => void;
  onEditProfile: () => void;
}

/** The header bar. */
export function Header({ info, profile, current, connection, onHome, onEditProfile }: HeaderProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    const onClick = (e: MouseEvent): void => {
      if (!menuRef.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [menuOpen]);

  return (
    <header className="app-header">
      <nav className="breadcrumbs" aria-label="Location">
        <button type="button" className="brand" onClick={onHome}>
          Caseward
        </button>
        {current && (
          <>
            <span className="crumb-sep" aria-hidden="true">
              /
            </span>
            <span className="crumb-case">
              Case {current.number} · {current.title}
            </span>
          </>
        )}
      </nav>
      <div className="header-right">
        {(connection === 'retrying' || connection === 'failed') && (
          <span className="connection" role="status">
            {connection === 'retrying'
              ? 'Connection to the host lost; reconnecting… (progress shown may be stale)'
              : 'Live updates stopped: reload the page, or open the URL the host printed'}
          </span>
        )}
        <div className="menu" ref={menuRef}>
          <button
            type="button"
            className="examiner-button"
            aria-haspopup="true"
            aria-expanded={menuOpen}
            aria-controls="examiner-menu"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {profile.name} ▾
          </button>
          {menuOpen && (
            <div id="examiner-menu" className="menu-popup">
              <dl className="kv compact">
                <dt>Examiner</dt>
                <dd>{profile.name}</dd>
                <dt>Organisation</dt>
                <dd>{profile.organisation}</dd>
                {profile.badgeId && (
                  <>
                    <dt>Badge / ID</dt>
                    <dd>{profile.badgeId}</dd>
                  </>
                )}
                <dt>Workstation</dt>
                <dd>{info?.workstation ?? '—'}</dd>
                <dt>Version</dt>
                <dd>
                  {info?.version ?? '—'} ({info?.door ?? '—'})
                </dd>
              </dl>
              <button
                type="button"
                autoFocus
                onClick={() => {
                  setMenuOpen(false);
                  onEditProfile();
                }}
              >
                Edit examiner profile…
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}
