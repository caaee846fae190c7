/**
 * Layout of the shared ring that carries file bytes from the reading thread to the hash workers.
 * hash-worker.cjs repeats these indices (it is plain JavaScript); keep the two in step.
 */

/** Bytes in one ring slot: one fs.read fills one slot. */
export const RING_SLOT_SIZE = 4 * 1024 * 1024;
/** Slots in the ring; the memory the engine holds for file data is RING_SLOT_SIZE * RING_SLOT_COUNT. */
export const RING_SLOT_COUNT = 8;
/** Files smaller than this are hashed on the calling thread: starting workers would cost more than it saves. */
export const SMALL_FILE_LIMIT = 1024 * 1024;

// Int32 indices in the control array.
/** Bumped by the reader after every publish or state change; workers sleep on it. */
export const CTRL_SIGNAL = 0;
/** One of the STATE_* values below. */
export const CTRL_STATE = 1;
/** Number of chunks the reader has published since the job started. */
export const CTRL_PRODUCED = 2;
/** Bumped by every consumer after it finishes a chunk; the reader sleeps on it when the ring is full. */
export const CTRL_FREED = 3;
/** Chunks finished by worker 0 (MD5) and worker 1 (SHA-1 + SHA-256): CTRL_CONSUMED + worker index. */
export const CTRL_CONSUMED = 4;
/** Byte length of the chunk in slot s lives at CTRL_LENGTHS + s. */
export const CTRL_LENGTHS = 8;

export const STATE_IDLE = 0;
export const STATE_RUNNING = 1;
/** The reader published its last chunk: workers finish what is left and report their digests. */
export const STATE_ENDED = 2;
/** The pass failed or was cancelled: workers drop what is left and report 'aborted'. */
export const STATE_ABORTED = 3;

/** Which digests each worker computes; MD5 alone is about as slow as SHA-1 and SHA-256 together. */
export const WORKER_ALGORITHMS = [['md5'], ['sha1', 'sha256']] as const;
