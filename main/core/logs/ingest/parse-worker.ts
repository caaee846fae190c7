/**
 * Worker thread entry of the ingest: runs parseFiles and posts its messages to the job, at most
 * MAX_AHEAD unacknowledged at a time so memory stays bounded when the database is the slower side.
 * Bundled on its own into ingest-parse-worker.cjs (see ingest-worker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseFiles } from './parse-files.js';

/** What the job sends: `ack` after it has stored a message's rows, `stop` to cancel. */
export type ToParser = { type: 'ack' } | { type: 'stop' };
export interface ParserData {
  paths: string[];
  batchRows: number;
}

const MAX_AHEAD = 4;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('parse-worker must run as a worker thread');
  const { paths, batchRows } = workerData as ParserData;
  const abort = new AbortController();
  let ahead = 0;
  let wake: (() => void) | null = null;
  port.on('message', (msg: ToParser) => {
    if (msg.type === 'stop') abort.abort();
    else ahead--;
    wake?.();
  });
  for await (const msg of parseFiles(paths, batchRows, abort.signal)) {
    port.postMessage(msg);
    ahead++;
    while (ahead >= MAX_AHEAD && !abort.signal.aborted) await new Promise<void>((r) => (wake = r));
    wake = null;
  }
  port.close();
}

void main();
