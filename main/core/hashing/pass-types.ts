import type { FileHandle } from 'node:fs/promises';
import type { Hashes } from '../../../shared/types.js';

/** Size and digests of one file, digests in lower-case hex. */
export interface HashResult extends Hashes {
  size: number;
}

/** Options every hashing call takes. */
export interface HashOptions {
  /** Cancels the pass; the call then rejects with CANCELLED. */
  signal?: AbortSignal;
  /**
   * Called after each chunk is read (bytes read so far; hashing trails by at most the ring, 32 MiB),
   * unthrottled: the caller decides how often to pass it on. Throwing from it aborts the pass.
   */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** The file a copy is written to, opened by the caller (who also cleans it up on failure). */
export interface DestFile {
  path: string;
  handle: FileHandle;
}
