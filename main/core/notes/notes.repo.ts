/** Notes and their immutable revisions; each revision is also recorded in custody by its hash. */
import { randomUUID } from 'node:crypto';
import type { Note, NoteRevision } from '../../../shared/types.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseDb } from '../cases/case-db.js';
import { appendEvent, nowUtc, type Actor } from '../custody/custody.repo.js';
import { noteRevisionHash } from './note-hash.js';

interface NoteJoinRow {
  id: string;
  artifact_id: string | null;
  created_at: string;
  revision: number;
  title: string;
  body: string;
  author: string;
  at: string;
}

const LATEST = `
  SELECT n.id, n.artifact_id, n.created_at, r.revision, r.title, r.body, r.author, r.at
  FROM notes n JOIN note_revisions r ON r.note_id = n.id
  WHERE r.revision = (SELECT max(revision) FROM note_revisions WHERE note_id = n.id)`;

function toNote(r: NoteJoinRow): Note {
  return { id: r.id, artifactId: r.artifact_id, title: r.title, body: r.body, revision: r.revision, author: r.author, createdAt: r.created_at, updatedAt: r.at };
}

/** Latest revision of each note; with an artifact id, only that artifact's notes. */
export function listNotes(db: CaseDb, artifactId?: string): Note[] {
  const rows = artifactId
    ? (db.prepare(`${LATEST} AND n.artifact_id = ? ORDER BY r.at DESC`).all(artifactId) as NoteJoinRow[])
    : (db.prepare(`${LATEST} ORDER BY r.at DESC`).all() as NoteJoinRow[]);
  return rows.map(toNote);
}

export function getNote(db: CaseDb, noteId: string): Note {
  const row = db.prepare(`${LATEST} AND n.id = ?`).get(noteId) as NoteJoinRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No note ${noteId} in this case`);
  return toNote(row);
}

function writeRevision(db: CaseDb, actor: Actor, noteId: string, artifactId: string | null, revision: number, title: string, body: string): void {
  const sha256 = noteRevisionHash(title, body);
  db.prepare('INSERT INTO note_revisions (note_id, revision, title, body, author, at, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    noteId, revision, title, body, actor.examiner, nowUtc(), sha256,
  );
  appendEvent(db, actor, { action: 'note.written', artifactId, details: { noteId, revision, title, sha256, bytes: Buffer.byteLength(body) } });
}

export function createNote(db: CaseDb, actor: Actor, input: { artifactId?: string; title: string; body: string }): Note {
  const id = randomUUID();
  db.transaction(() => {
    if (input.artifactId && !db.prepare('SELECT 1 FROM artifacts WHERE id = ?').get(input.artifactId)) {
      throw new AppError('NOT_FOUND', `No artifact ${input.artifactId} in this case`);
    }
    db.prepare('INSERT INTO notes (id, artifact_id, created_at, created_by) VALUES (?, ?, ?, ?)').run(id, input.artifactId ?? null, nowUtc(), actor.examiner);
    writeRevision(db, actor, id, input.artifactId ?? null, 1, input.title, input.body);
  }).immediate();
  return getNote(db, id);
}

/** Adds a revision; refuses if someone saved a newer revision since the examiner began editing. */
export function reviseNote(db: CaseDb, actor: Actor, input: { noteId: string; baseRevision: number; title: string; body: string }): Note {
  db.transaction(() => {
    const current = getNote(db, input.noteId);
    if (current.revision !== input.baseRevision) {
      throw new AppError('CONFLICT', `This note was revised (now revision ${current.revision}) since you opened revision ${input.baseRevision}; reload it and apply your change again`);
    }
    if (current.title === input.title && current.body === input.body) return;
    writeRevision(db, actor, input.noteId, current.artifactId, current.revision + 1, input.title, input.body);
  }).immediate();
  return getNote(db, input.noteId);
}

export function noteHistory(db: CaseDb, noteId: string): NoteRevision[] {
  const rows = db.prepare('SELECT * FROM note_revisions WHERE note_id = ? ORDER BY revision DESC').all(noteId) as {
    note_id: string; revision: number; title: string; body: string; author: string; at: string; sha256: string;
  }[];
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No note ${noteId} in this case`);
  return rows.map((r) => ({ noteId: r.note_id, revision: r.revision, title: r.title, body: r.body, author: r.author, at: r.at, sha256: r.sha256 }));
}
