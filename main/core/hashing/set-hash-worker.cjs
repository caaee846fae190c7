'use strict';
/*
 * Hash worker for evidence sets (segmented images), see main/core/evidence/set-hash-pass.ts.
 *
 * Same ring and control array as hash-worker.cjs (ring-layout.ts), started by the same WorkerPair,
 * but each worker computes MD5, SHA-1 and SHA-256 together: worker 0 per segment, worker 1 over the
 * whole set. A slot whose length is SEGMENT_END (-1) carries no bytes and marks the end of a segment
 * (worker 0 keeps that segment's digests and starts afresh); SEGMENT_DROP (-2) marks a segment that
 * could not be read to its end (worker 0 forgets it). Worker 1 ignores both markers.
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
const SEGMENT_END = -1;
const SEGMENT_DROP = -2;

const { ctrlBuffer, dataBuffer, slotSize, slotCount, index } = workerData;
const ctrl = new Int32Array(ctrlBuffer);
const data = Buffer.from(dataBuffer);
const perSegment = index === 0;

function triple() {
  return [createHash('md5'), createHash('sha1'), createHash('sha256')];
}

function digestsOf(hashes, prefix, into) {
  into[`${prefix}md5`] = hashes[0].digest('hex');
  into[`${prefix}sha1`] = hashes[1].digest('hex');
  into[`${prefix}sha256`] = hashes[2].digest('hex');
}

/** Hashes published chunks until the reader ends or aborts; returns the digests or null if aborted. */
function consume() {
  const digests = {};
  let hashes = triple();
  let segments = 0;
  let next = 0;
  for (;;) {
    // Read SIGNAL before the state, so a change made after this point wakes the wait below.
    const signal = Atomics.load(ctrl, CTRL_SIGNAL);
    const state = Atomics.load(ctrl, CTRL_STATE);
    if (state === STATE_ABORTED) return null;
    const produced = Atomics.load(ctrl, CTRL_PRODUCED);
    if (next < produced) {
      const slot = next % slotCount;
      const length = Atomics.load(ctrl, CTRL_LENGTHS + slot);
      if (length >= 0) {
        const chunk = data.subarray(slot * slotSize, slot * slotSize + length);
        for (const hash of hashes) hash.update(chunk);
      } else if (perSegment && length === SEGMENT_END) {
        digestsOf(hashes, `${segments}.`, digests);
        segments += 1;
        hashes = triple();
      } else if (perSegment && length === SEGMENT_DROP) {
        hashes = triple();
      }
      next += 1;
      Atomics.store(ctrl, CTRL_CONSUMED + index, next);
      Atomics.add(ctrl, CTRL_FREED, 1);
      Atomics.notify(ctrl, CTRL_FREED);
      continue;
    }
    if (state === STATE_ENDED) {
      if (!perSegment) digestsOf(hashes, '', digests);
      return digests;
    }
    Atomics.wait(ctrl, CTRL_SIGNAL, signal);
  }
}

parentPort.on('message', (msg) => {
  if (!msg || msg.type !== 'job') return;
  try {
    const digests = consume();
    if (!digests) parentPort.postMessage({ type: 'aborted', id: msg.id });
    else parentPort.postMessage({ type: 'done', id: msg.id, digests });
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    parentPort.postMessage({ type: 'failed', id: msg.id, message });
  }
});
