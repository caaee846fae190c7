/** Writing a note: title, markdown body with live preview. Editing saves a new revision, never overwrites. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { Note } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { MarkdownView } from './MarkdownView.js';

interface EditorProps {
  caseId: string;
  /** Present when revising; its revision is the base the examiner edited. */
  note?: Note;
  artifactId?: string;
  /** The newest revision known now; when it passes the base, saving will be refused, so say so early. */
  latestRevision?: number;
  onSaved: (note: Note) => void;
  onCancel: () => void;
}

/** A refused revision leaves the examiner's text in the form; the message says so and what to do next. */
function explainConflict(info: ErrorInfo): ErrorInfo {
  return info.code === 'CONFLICT'
    ? { ...info, message: `${info.message.replace(/[.\s]*$/, '.')} Your text is still here: copy what you need, open the history to read the newer revision, then edit again.` }
    : info;
}

/** The editor form. */
export function NoteEditor({ caseId, note, artifactId, latestRevision, onSaved, onCancel }: EditorProps) {
  const { api } = useBridge();
  const [title, setTitle] = useState(note?.title ?? '');
  const [body, setBody] = useState(note?.body ?? '');
  const { submit, busy, error } = useSubmit(
    async () => {
      const saved = note
        ? await unwrap(api.notes.revise({ caseId, noteId: note.id, baseRevision: note.revision, title, body }))
        : await unwrap(api.notes.create({ caseId, title, body, ...(artifactId ? { artifactId } : {}) }));
      onSaved(saved);
    },
    { mapError: explainConflict },
  );

  return (
    <form className="form note-editor" onSubmit={(e) => void submit(e)}>
      {note && (
        <p className="hint">
          Editing revision {note.revision}. Saving creates revision {note.revision + 1}; earlier revisions stay in the history.
        </p>
      )}
      {note && latestRevision !== undefined && latestRevision > note.revision && (
        <p className="warning" role="status">
          Revision {latestRevision} was saved by someone else while you were editing revision {note.revision}. Saving will be
          refused: copy your text, open the history to read the newer revision, then edit again.
        </p>
      )}
      <TextField label="Note title" value={title} onChange={(e) => setTitle(e.target.value)} required autoFocus />
      <div className="editor-split">
        <div className="field">
          <label htmlFor="note-body">Body (Markdown)</label>
          <textarea id="note-body" className="note-body" value={body} onChange={(e) => setBody(e.target.value)} rows={10} />
        </div>
        <div className="field">
          <span className="label" id="note-preview-label">
            Preview
          </span>
          <div className="preview-box" role="region" aria-labelledby="note-preview-label">
            <MarkdownView markdown={body} />
          </div>
        </div>
      </div>
      <FormFooter error={error} busy={busy} label={note ? 'Save new revision' : 'Save note'} busyLabel="Saving…" onCancel={onCancel} />
    </form>
  );
}

/** The editor in a dialog, for notes written from an artifact's panel. */
export function NoteEditorDialog(props: { caseId: string; artifactId?: string; onClose: () => void; onSaved: (n: Note) => void }) {
  return (
    <Dialog title="New note" onClose={props.onClose} wide>
      <NoteEditor
        caseId={props.caseId}
        artifactId={props.artifactId}
        onSaved={(n) => {
          props.onSaved(n);
          props.onClose();
        }}
        onCancel={props.onClose}
      />
    </Dialog>
  );
}
