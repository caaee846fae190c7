/**
 * Hashing: MD5, SHA-1 and SHA-256 of a file in one read pass, optionally copying it at the same time.
 * Large files go through a SharedArrayBuffer ring to two worker threads (ring-pass.ts); small ones are
 * hashed in-thread (inline-pass.ts). Packaging: hash-worker.cjs must sit next to the bundle (worker-pool.ts).
 */
export { copyAndHash, hashFile } from './hash-file.js';
export type { HashOptions, HashResult } from './pass-types.js';
export { RING_SLOT_COUNT, RING_SLOT_SIZE, SMALL_FILE_LIMIT } from './ring-layout.js';
export { hashWorkerScript, setHashWorkerScript, shutdownHashWorkers } from './worker-pool.js';
