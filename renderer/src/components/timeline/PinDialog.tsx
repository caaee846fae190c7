/** Pin an event into a note: a new note about the log file, or a new revision of an existing note. */
import { useState } from 'react';
import type { Note, TimelineEventDetail } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextArea, TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';

interface Props {
  caseId: string;
  event: TimelineEventDetail;
  onClose: () => void;
  onPinned: (note: Note) => void;
}

/** The dialog; the reference block itself is written by main, so every door pins alike. */
export function PinDialog({ caseId, event, onClose, onPinned }: Props) {
  const { api } = useBridge();
  const notes = useQuery(() => api.notes.list({ caseId }), [caseId]);
  const [kind, setKind] = useState<'new' | 'existing'>('new');
  const [title, setTitle] = useState(`CloudTrail ${event.eventName} ${event.eventTime.replace('.000Z', 'Z')}`);
  const [noteId, setNoteId] = useState('');
  const [comment, setComment] = useState('');
  const list = notes.data ?? [];
  const chosen = list.find((n) => n.id === noteId) ?? null;

  const { submit, busy, error } = useSubmit(async () => {
    const target = kind === 'new' ? { kind, title } : { kind, noteId: chosen?.id ?? '', baseRevision: chosen?.revision ?? 1 };
    const { note } = await unwrap(api.timeline.pin({ caseId, eventId: event.eventId, target, comment }));
    onPinned(note);
  });

  return (
    <Dialog title="Pin event to a note" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          The note gets a reference block with the event ID <code>{event.eventId}</code>, its time (UTC), and the log file{' '}
          <strong>{event.source.name}</strong> with its SHA-256. Custody records the pin.
        </p>
        <fieldset className="choice-group">
          <legend>Pin into</legend>
          <label className="choice">
            <input type="radio" name="pin-kind" checked={kind === 'new'} onChange={() => setKind('new')} />
            <span>A new note</span>
          </label>
          <label className="choice">
            <input type="radio" name="pin-kind" checked={kind === 'existing'} disabled={list.length === 0} onChange={() => setKind('existing')} />
            <span>
              An existing note (as a new revision){list.length === 0 && <span className="muted small">No notes yet.</span>}
            </span>
          </label>
        </fieldset>
        {kind === 'new' ? (
          <TextField label="Note title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        ) : (
          <div className="field">
            <label htmlFor="pin-note">Note</label>
            <select id="pin-note" value={noteId} onChange={(e) => setNoteId(e.target.value)} required>
              <option value="">Choose a note…</option>
              {list.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.title} (rev {n.revision})
                </option>
              ))}
            </select>
          </div>
        )}
        <TextArea label="Comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />
        <FormFooter
          error={error ?? notes.error}
          busy={busy}
          label="Pin"
          busyLabel="Pinning…"
          disabled={kind === 'existing' && !chosen}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
