/**
 * The job's side of parsing: a feed of ParseMessages from a worker thread when the bundled worker
 * script is present, else from the same generator run inline (tests under vitest run TypeScript
 * sources, which a worker thread cannot load without a bundle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/errors.js';
import { parseFiles, type ParseMessage } from './parse-files.js';
import type { ParserData, ToParser } from './parse-worker.js';

/** File name of the bundled parse-worker.ts, next to the bundle that loads this module. */
export const INGEST_WORKER_FILE = 'ingest-parse-worker.cjs';

let scriptOverride: string | null | undefined;

/** Points the ingest at a bundled parse worker (tests, the bench); null forces inline parsing; undefined restores the default. */
export function setIngestWorkerScript(scriptPath: string | null | undefined): void {
  scriptOverride = scriptPath;
}

/** The parse worker script to use, or null to parse inline. */
export function ingestWorkerScript(): string | null {
  if (scriptOverride !== undefined) return scriptOverride;
  const metaUrl = (import.meta as { url?: string } | undefined)?.url;
  // esbuild's CJS bundles empty import.meta; they have __dirname, and the worker is built next to them.
  const script = metaUrl ? fileURLToPath(new URL(`./${INGEST_WORKER_FILE}`, metaUrl)) : path.join(__dirname, INGEST_WORKER_FILE);
  // Packaged Electron: workers cannot start from inside the asar archive.
  const unpacked = script.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
  return fs.existsSync(unpacked) ? unpacked : null;
}

/** Messages for every file in order; `ack` after storing a message's rows; `close` always. */
export interface ParseFeed {
  readonly threaded: boolean;
  next(): Promise<ParseMessage>;
  ack(): void;
  close(): Promise<void>;
}

/** Starts parsing `paths`; cancelling `signal` ends the file being read with a CANCELLED error. */
export function openParseFeed(paths: string[], batchRows: number, signal: AbortSignal): ParseFeed {
  const script = ingestWorkerScript();
  return script ? workerFeed(script, paths, batchRows, signal) : inlineFeed(paths, batchRows, signal);
}

function inlineFeed(paths: string[], batchRows: number, signal: AbortSignal): ParseFeed {
  const gen = parseFiles(paths, batchRows, signal);
  return {
    threaded: false,
    async next() {
      const r = await gen.next();
      if (r.done) throw new AppError('INTERNAL', 'The ingest asked for more than the files hold');
      return r.value;
    },
    ack() {},
    async close() {
      await gen.return(undefined);
    },
  };
}

function workerFeed(script: string, paths: string[], batchRows: number, signal: AbortSignal): ParseFeed {
  const data: ParserData = { paths, batchRows };
  const worker = new Worker(script, { workerData: data });
  const queue: ParseMessage[] = [];
  let failure: Error | null = null;
  let waiting: { resolve: (m: ParseMessage) => void; reject: (e: Error) => void } | null = null;
  const settle = () => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length > 0) w.resolve(queue.shift()!);
    else if (failure) w.reject(failure);
    else return;
    waiting = null;
  };
  const fail = (why: string) => {
    failure ??= new AppError('INTERNAL', `The CloudTrail parse worker ${why}`);
    settle();
  };
  worker.on('message', (m: ParseMessage) => {
    queue.push(m);
    settle();
  });
  worker.on('error', (err) => fail(`failed: ${err.message}`));
  worker.on('exit', (code) => fail(`stopped early (exit code ${code})`));
  const post = (m: ToParser) => worker.postMessage(m);
  const onAbort = () => post({ type: 'stop' });
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  return {
    threaded: true,
    next() {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      });
    },
    ack() {
      post({ type: 'ack' });
    },
    async close() {
      signal.removeEventListener('abort', onAbort);
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
