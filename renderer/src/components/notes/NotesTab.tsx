/** Notes: the list on the left; the selected note, its editor or its history on the right. */
import { useState } from 'react';
import type { Artifact, CaseSummary, Note } from '../../../../shared/types.js';
import { useBridge } from '../../lib/bridge-context.js';
import { useCaseRefresh } from '../../lib/case-events.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { MarkdownView } from './MarkdownView.js';
import { NoteEditor } from './NoteEditor.js';
import { NoteHistory } from './NoteHistory.js';

// The edit mode pins the revision the examiner started from: a refetch must never swap the text under them.
type Mode = { kind: 'view' } | { kind: 'new' } | { kind: 'edit'; base: Note } | { kind: 'history' };

/** The notes tab. */
export function NotesTab({ summary, artifacts }: { summary: CaseSummary; artifacts: Artifact[] }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const notes = useQuery(() => api.notes.list({ caseId }), [caseId]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'view' });

  useCaseRefresh(caseId, ['notes'], notes.reload);

  const list = notes.data ?? [];
  const selected = list.find((n) => n.id === selectedId) ?? null;
  const artifactName = (id: string | null): string | null => (id ? (artifacts.find((a) => a.id === id)?.name ?? id) : null);
  const saved = (n: Note): void => {
    setSelectedId(n.id);
    setMode({ kind: 'view' });
    notes.reload();
  };

  return (
    <div className="notes-tab">
      <nav className="notes-list" aria-label="Notes">
        <button type="button" className="primary" onClick={() => setMode({ kind: 'new' })}>
          New note…
        </button>
        <ErrorMessage error={notes.error} />
        {notes.data && list.length === 0 && <p className="muted">No notes yet. Notes are kept with every revision.</p>}
        <ul>
          {list.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                aria-current={n.id === selectedId}
                onClick={() => {
                  setSelectedId(n.id);
                  setMode({ kind: 'view' });
                }}
              >
                <strong>{n.title}</strong>
                <span className="small muted">
                  rev {n.revision} · {n.author}
                  {n.artifactId ? ` · ${artifactName(n.artifactId)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="note-pane" aria-label="Note">
        {mode.kind === 'new' && <NoteEditor caseId={caseId} onSaved={saved} onCancel={() => setMode({ kind: 'view' })} />}
        {mode.kind === 'edit' && (
          <NoteEditor
            caseId={caseId}
            note={mode.base}
            latestRevision={selected?.revision}
            onSaved={saved}
            onCancel={() => setMode({ kind: 'view' })}
          />
        )}
        {mode.kind === 'history' && selected && (
          <NoteHistory caseId={caseId} note={selected} timeZone={summary.timeZone} onBack={() => setMode({ kind: 'view' })} />
        )}
        {mode.kind === 'view' && selected && (
          <article>
            <div className="section-head">
              <h2>{selected.title}</h2>
              <div className="toolbar">
                <button type="button" onClick={() => setMode({ kind: 'edit', base: selected })}>
                  Edit
                </button>
                <button type="button" onClick={() => setMode({ kind: 'history' })}>
                  History ({selected.revision})
                </button>
              </div>
            </div>
            <p className="muted small">
              Revision {selected.revision} by {selected.author}, {formatTimeWithZone(selected.updatedAt, summary.timeZone)}
              {selected.artifactId && <> · about {artifactName(selected.artifactId)}</>}
            </p>
            <MarkdownView markdown={selected.body} label="Note body" />
          </article>
        )}
        {mode.kind === 'view' && !selected && list.length > 0 && <p className="muted">Select a note to read it.</p>}
      </section>
    </div>
  );
}
