'use strict';
/*
 * Hash worker for Caseward's one-pass MD5 / SHA-1 / SHA-256 engine (see ring-pass.ts).
 *
 * Plain CommonJS on purpose: `new Worker()` cannot load a .ts file under vitest, and the esbuild
 * bundles copy this file next to dist/main/*.cjs unchanged. The control-array indices below must
 * match ring-layout.ts.
 *
 * The reading thread fills slots of a SharedArrayBuffer ring and bumps PRODUCED; this worker hashes
 * each chunk in order, then publishes how many it has finished (CONSUMED + its index) so the reader
 * may reuse the slot once every consumer is past it. Blocking in Atomics.wait is fine here: a worker
 * has nothing else to do, and the main thread never blocks.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');

const CTRL_SIGNAL = 0;
const CTRL_STATE = 1;
const CTRL_PRODUCED = 2;
const CTRL_FREED = 3;
const CTRL_CONSUMED = 4;
const CTRL_LENGTHS = 8;
const STATE_ENDED = 2;
const STATE_ABORTED = 3;
// Slot lengths that carry no bytes (evidence sets, main/core/evidence/set-hash-pass.ts): the end of a
// segment, or a segment that could not be read to its end.
const SEGMENT_END = -1;
const SEGMENT_DROP = -2;

const { ctrlBuffer, dataBuffer, slotSize, slotCount, index } = workerData;
const ctrl = new Int32Array(ctrlBuffer);
const data = Buffer.from(dataBuffer);

/**
 * Hashes published chunks until the reader ends or aborts the job; returns 'ended' or 'aborted'.
 * A slot with a negative length is a segment marker, passed to onMarker instead of hashed.
 */
function consume(onChunk, onMarker) {
  let next = 0;
  for (;;) {
    // Read SIGNAL before looking at the state, so a change made after this point wakes the wait below.
    const signal = Atomics.load(ctrl, CTRL_SIGNAL);
    const state = Atomics.load(ctrl, CTRL_STATE);
    if (state === STATE_ABORTED) return 'aborted';
    // PRODUCED is read after STATE: once the state says ENDED, this count is final.
    const produced = Atomics.load(ctrl, CTRL_PRODUCED);
    if (next < produced) {
      const slot = next % slotCount;
      const length = Atomics.load(ctrl, CTRL_LENGTHS + slot);
      if (length >= 0) onChunk(data.subarray(slot * slotSize, slot * slotSize + length));
      else onMarker(length);
      next += 1;
      Atomics.store(ctrl, CTRL_CONSUMED + index, next);
      Atomics.add(ctrl, CTRL_FREED, 1);
      Atomics.notify(ctrl, CTRL_FREED);
      continue;
    }
    if (state === STATE_ENDED) return 'ended';
    Atomics.wait(ctrl, CTRL_SIGNAL, signal);
  }
}

/**
 * One job: msg.algorithms over every byte, digests keyed by algorithm name. With msg.perSegment the
 * digests restart at each segment: a kept segment's are keyed `<n>.<algorithm>` (n counts kept
 * segments), a dropped segment's are forgotten, and nothing is reported for the whole. Without it,
 * segment markers are ignored.
 */
function runJob(msg) {
  const fresh = () => msg.algorithms.map((name) => createHash(name));
  const digests = {};
  const record = (hashes, prefix) => {
    msg.algorithms.forEach((name, i) => {
      digests[prefix + name] = hashes[i].digest('hex');
    });
  };
  let hashes = fresh();
  let kept = 0;
  const onChunk = (chunk) => {
    for (const hash of hashes) hash.update(chunk);
  };
  const onMarker = (length) => {
    if (!msg.perSegment) return;
    if (length === SEGMENT_END) record(hashes, `${kept++}.`);
    if (length === SEGMENT_END || length === SEGMENT_DROP) hashes = fresh();
  };
  if (consume(onChunk, onMarker) === 'aborted') return null;
  if (!msg.perSegment) record(hashes, '');
  return digests;
}

parentPort.on('message', (msg) => {
  if (!msg || msg.type !== 'job') return;
  try {
    const digests = runJob(msg);
    if (!digests) parentPort.postMessage({ type: 'aborted', id: msg.id });
    else parentPort.postMessage({ type: 'done', id: msg.id, digests });
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    parentPort.postMessage({ type: 'failed', id: msg.id, message });
  }
});
