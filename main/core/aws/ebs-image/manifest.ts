/**
 * The per-block manifest of a snapshot download: a small SQLite file next to the image recording
 * every block that was written and verified (index, SHA-256), in which run it was fetched and in
 * which run it was last re-verified. A resumed download reads it to skip blocks already done; the
 * examiner (and the artifact) can read it to see which blocks were fetched, reused or re-fetched.
 *
 * Why SQLite rather than an append-only file: crash safety comes from transactions instead of
 * hand-written torn-record handling; a resume looks blocks up by index without loading millions of
 * rows into memory; reused blocks are updated in place; and anyone can query it with sqlite3.
 *
 * Records are batched (one transaction per BATCH blocks or per second) because a lost tail only
 * costs re-fetching those blocks, and no fsync order against the image is needed: a resume re-reads
 * every recorded block from the image and re-checks its SHA-256 before trusting it.
 */
import Database from 'better-sqlite3';
import { AppError } from '../../../../shared/errors.js';

const FORMAT = 1;
const BATCH = 512;
const BATCH_MS = 1000;

/** What a manifest belongs to; a resume against a different snapshot or geometry is refused. */
export interface ManifestMeta {
  snapshotId: string;
  blockSize: number;
  volumeSizeBytes: number;
}

/** Counts over the manifest, for the artifact and the tests. */
export interface ManifestSummary {
  run: number;
  blocksRecorded: number;
  fetchedThisRun: number;
  reusedThisRun: number;
  blocksWithChecksumFailures: number;
}

type Pending = { kind: 'fetched'; index: number; sha256: Buffer; failures: number } | { kind: 'reused'; index: number };

/** An open manifest for one run of one download. */
export class BlockManifest {
  readonly run: number;
  private readonly db: Database.Database;
  private readonly lookupStmt: Database.Statement<[number], { sha256: Buffer }>;
  private readonly writeBatch: (items: Pending[]) => void;
  private pending: Pending[] = [];
  private lastFlush = Date.now();

  private constructor(db: Database.Database, run: number) {
    this.db = db;
    this.run = run;
    this.lookupStmt = db.prepare('SELECT sha256 FROM blocks WHERE block_index = ?');
    const fetched = db.prepare(
      `INSERT INTO blocks (block_index, sha256, fetched_run, verified_run, checksum_failures) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (block_index) DO UPDATE SET sha256 = excluded.sha256, fetched_run = excluded.fetched_run,
         verified_run = excluded.verified_run, checksum_failures = checksum_failures + excluded.checksum_failures`,
    );
    const reused = db.prepare('UPDATE blocks SET verified_run = ? WHERE block_index = ?');
    this.writeBatch = db.transaction((items: Pending[]) => {
      for (const p of items) {
        if (p.kind === 'fetched') fetched.run(p.index, p.sha256, run, run, p.failures);
        else reused.run(run, p.index);
      }
    });
  }

  /**
   * Opens (or creates) the manifest and starts a new run. `fresh` drops every block record (the image
   * is being created anew, so nothing in it can be reused). Throws CONFLICT if it belongs elsewhere.
   */
  static open(file: string, meta: ManifestMeta, fresh: boolean): BlockManifest {
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (err) {
      throw new AppError('UNREADABLE', `Could not open the download manifest ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL loses at most the last transactions on power loss; those blocks are simply fetched again.
      db.pragma('synchronous = NORMAL');
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
          outcome TEXT, stats TEXT) STRICT;
        CREATE TABLE IF NOT EXISTS blocks (block_index INTEGER PRIMARY KEY, sha256 BLOB NOT NULL,
          fetched_run INTEGER NOT NULL, verified_run INTEGER NOT NULL, checksum_failures INTEGER NOT NULL) STRICT;
      `);
      const expected: Record<string, string> = {
        format: String(FORMAT),
        snapshotId: meta.snapshotId,
        blockSize: String(meta.blockSize),
        volumeSizeBytes: String(meta.volumeSizeBytes),
      };
      const stored = Object.fromEntries(
        db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta').all().map((r) => [r.key, r.value]),
      );
      const run = db.transaction(() => {
        if (Object.keys(stored).length > 0) {
          for (const [key, value] of Object.entries(expected)) {
            if (stored[key] !== value) {
              throw new AppError(
                'CONFLICT',
                `The download manifest ${file} belongs to another download (${key} is ${stored[key] ?? 'missing'}, expected ${value}); it was left untouched.`,
              );
            }
          }
        } else {
          const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
          for (const [key, value] of Object.entries(expected)) put.run(key, value);
        }
        if (fresh) db.exec('DELETE FROM blocks');
        const info = db.prepare('INSERT INTO runs (started_at) VALUES (?)').run(new Date().toISOString());
        return Number(info.lastInsertRowid);
      }).immediate();
      return new BlockManifest(db, run);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The SHA-256 recorded for a block by an earlier run, if any (pending records of this run are not consulted). */
  lookup(index: number): Buffer | undefined {
    return this.lookupStmt.get(index)?.sha256;
  }

  /** Records a block fetched, verified and written in this run. */
  recordFetched(index: number, sha256: Buffer, checksumFailures: number): void {
    this.queue({ kind: 'fetched', index, sha256, failures: checksumFailures });
  }

  /** Records a block re-read from the image and found intact in this run. */
  recordReused(index: number): void {
    this.queue({ kind: 'reused', index });
  }

  /** Writes the batched records now. */
  flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.writeBatch(items);
    this.lastFlush = Date.now();
  }

  /** Ends this run: flushes, and records how it ended with its figures. */
  finish(outcome: 'completed' | 'cancelled' | 'failed', stats: Record<string, unknown>): void {
    this.flush();
    this.db
      .prepare('UPDATE runs SET ended_at = ?, outcome = ?, stats = ? WHERE run = ?')
      .run(new Date().toISOString(), outcome, JSON.stringify(stats), this.run);
  }

  /** Counts for this run and over all blocks recorded. */
  summary(): ManifestSummary {
    this.flush();
    const row = this.db
      .prepare<[number, number, number], Omit<ManifestSummary, 'run'>>(
        `SELECT count(*) AS blocksRecorded,
           coalesce(sum(fetched_run = ?), 0) AS fetchedThisRun,
           coalesce(sum(verified_run = ? AND fetched_run < ?), 0) AS reusedThisRun,
           coalesce(sum(checksum_failures > 0), 0) AS blocksWithChecksumFailures
         FROM blocks`,
      )
      .get(this.run, this.run, this.run)!;
    return { run: this.run, ...row };
  }

  /** Flushes and closes the file. */
  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  private queue(p: Pending): void {
    this.pending.push(p);
    if (this.pending.length >= BATCH || Date.now() - this.lastFlush >= BATCH_MS) this.flush();
  }
}
