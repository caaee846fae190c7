/**
 * Reading the files of an ingest into batches of ready-made rows. The same generator runs on a
 * worker thread (parse-worker.ts) or, where no worker script is available, in the job's own
 * thread; either way the thread that owns the database only inserts.
 */
import { toErrorInfo, type ErrorInfo } from '../../../../shared/errors.js';
import { readCloudTrailFile, type CloudTrailReadSummary } from '../cloudtrail/index.js';
import { toEventRow, type EventRow } from './event-store.js';

/** What the parser delivers, file after file in order. */
export type ParseMessage =
  /** A full batch; `records` counts the file's records up to and including this batch. */
  | { type: 'batch'; file: number; rows: EventRow[]; records: number; bytesRead: number }
  /** The file's last rows (fewer than a batch), its final summary, and the error that ended it, if any. */
  | { type: 'end'; file: number; rows: EventRow[]; summary: CloudTrailReadSummary; error: ErrorInfo | null };

/** Reads `paths` one after another; a file that fails ends with its error and the next one starts. */
export async function* parseFiles(paths: string[], batchRows: number, signal: AbortSignal): AsyncGenerator<ParseMessage> {
  for (const [file, filePath] of paths.entries()) {
    const reader = readCloudTrailFile(filePath, { signal });
    let rows: EventRow[] = [];
    let error: ErrorInfo | null = null;
    try {
      for await (const item of reader) {
        rows.push(toEventRow(item));
        if (rows.length >= batchRows) {
          const full = rows;
          rows = [];
          yield { type: 'batch', file, rows: full, records: reader.summary.records, bytesRead: reader.summary.bytesRead };
        }
      }
    } catch (err) {
      error = toErrorInfo(err);
    }
    // A copy: the reader's summary object is live, and a message must not change after it is sent.
    const summary = { ...reader.summary, skippedByCode: { ...reader.summary.skippedByCode }, skips: [...reader.summary.skips] };
    yield { type: 'end', file, rows, summary, error };
    if (signal.aborted) return;
  }
}
