/** Every revision of a note, oldest first, each readable in full with its author, time and hash. */
import { useState } from 'react';
import type { Note } from '../../../../shared/types.js';
import { useBridge } from '../../lib/bridge-context.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { InlineHash } from '../HashText.js';
import { MarkdownView } from './MarkdownView.js';

/** The history view. */
export function NoteHistory({ caseId, note, timeZone, onBack }: { caseId: string; note: Note; timeZone: string; onBack: () => void }) {
  const { api } = useBridge();
  const history = useQuery(() => api.notes.history({ caseId, noteId: note.id }), [caseId, note.id, note.revision]);
  const [shown, setShown] = useState<number>(note.revision);
  const revisions = history.data ?? [];
  const current = revisions.find((r) => r.revision === shown) ?? revisions[revisions.length - 1];

  return (
    <div className="note-history">
      <div className="section-head">
        <h2>History of “{note.title}”</h2>
        <button type="button" onClick={onBack}>
          Back to note
        </button>
      </div>
      <ErrorMessage error={history.error} />
      <div className="history-split">
        <ol className="revision-list" aria-label="Revisions">
          {revisions.map((r) => (
            <li key={r.revision}>
              <button type="button" aria-current={r.revision === current?.revision} onClick={() => setShown(r.revision)}>
                <strong>Revision {r.revision}</strong>
                <span>{r.author}</span>
                <span className="mono small">{formatTimeWithZone(r.at, timeZone)}</span>
              </button>
            </li>
          ))}
        </ol>
        {current && (
          <article className="revision-view" aria-label={`Revision ${current.revision}`}>
            <h3>
              {current.title} <span className="muted">(revision {current.revision})</span>
            </h3>
            <p className="muted small">
              {current.author} · {formatTimeWithZone(current.at, timeZone)} · SHA-256{' '}
              <InlineHash label={`revision ${current.revision} SHA-256`} hash={current.sha256} id={`note-revision-${current.revision}-sha256`} />
            </p>
            <MarkdownView markdown={current.body} />
          </article>
        )}
      </div>
    </div>
  );
}
