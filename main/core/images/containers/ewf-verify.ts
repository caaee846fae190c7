import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';
import { EwfChunkError, type EwfReader } from './ewf-reader.js';

const BATCH = 128; // chunks per read: 4 MiB with the usual 32 KiB chunks

/** A chunk that could not be read back as stored. */
export interface CorruptChunk {
  chunk: number;
  mediaOffset: number;
  length: number;
  message: string;
}

/** The outcome of checking an EWF image against its stored hashes, as ewfverify reports it. */
export interface EwfVerifyResult {
  computedMd5: string;
  computedSha1: string;
  storedMd5?: string;
  storedSha1?: string;
  md5Matches: boolean | null; // null when the image stores no MD5
  sha1Matches: boolean | null;
  corruptChunks: CorruptChunk[];
  ok: boolean; // every stored hash matches and no chunk is corrupt
  bytesRead: number;
}

/** Options for verifyEwf: cancellation and a progress callback (bytes done / total). */
export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Hashes every byte of the media and compares with the stored MD5/SHA-1; corrupt chunks hash as zeros, like ewfverify. */
export async function verifyEwf(reader: EwfReader, options: VerifyOptions = {}): Promise<EwfVerifyResult> {
  const { chunkSize, chunkCount, mediaSize, storedMd5, storedSha1 } = reader.metadata;
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const corruptChunks: CorruptChunk[] = [];
  let done = 0;
  let lastTick = 0;
  const feed = (data: Buffer) => {
    md5.update(data);
    sha1.update(data);
    done += data.length;
    if (options.onProgress && (done - lastTick >= 16 * 1024 * 1024 || done === mediaSize)) {
      lastTick = done;
      options.onProgress(done, mediaSize);
    }
  };
  for (let i = 0; i < chunkCount; i += BATCH) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', `Verification of ${reader.description} was cancelled`);
    const n = Math.min(BATCH, chunkCount - i);
    try {
      // The fast path reads a batch at once; only a batch with a bad chunk is re-read chunk by chunk.
      feed(await reader.read(i * chunkSize, n * chunkSize));
      continue;
    } catch (err) {
      if (!(err instanceof EwfChunkError)) throw err;
    }
    for (let k = i; k < i + n; k += 1) {
      const expected = Math.min(chunkSize, mediaSize - k * chunkSize);
      try {
        feed(await reader.readChunk(k));
      } catch (err) {
        if (!(err instanceof EwfChunkError)) throw err;
        corruptChunks.push({ chunk: k, mediaOffset: err.mediaOffset, length: expected, message: err.message });
        feed(Buffer.alloc(expected));
      }
    }
  }
  const computedMd5 = md5.digest('hex');
  const computedSha1 = sha1.digest('hex');
  const md5Matches = storedMd5 ? storedMd5 === computedMd5 : null;
  const sha1Matches = storedSha1 ? storedSha1 === computedSha1 : null;
  return {
    computedMd5,
    computedSha1,
    ...(storedMd5 ? { storedMd5 } : {}),
    ...(storedSha1 ? { storedSha1 } : {}),
    md5Matches,
    sha1Matches,
    corruptChunks,
    ok: corruptChunks.length === 0 && md5Matches !== false && sha1Matches !== false && (md5Matches ?? sha1Matches) !== null,
    bytesRead: done,
  };
}
