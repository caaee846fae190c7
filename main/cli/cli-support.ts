/** Shared plumbing for CLI commands: calling the contract, opening a case, waiting for jobs. */
import type { CasewardApp } from '../app.js';
import type { Channel, InputOf, OutputOf } from '../../shared/contract.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { Job, Progress } from '../../shared/types.js';

/** Parsed option values of one command line (node:util parseArgs). */
export type CliValues = Record<string, string | boolean | string[] | undefined>;
/** A command's parseArgs option table. */
export type CliOptions = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** One CLI command: its options, and a run that resolves with the exit code. */
export interface CliCommand {
  options: CliOptions;
  run(positionals: string[], values: CliValues, io: CliIo): Promise<number>;
}

/** Options every command takes. */
export const commonOptions: CliOptions = { json: { type: 'boolean' }, 'user-data': { type: 'string' }, 'cases-dir': { type: 'string' } };

/** The common options plus one AWS connection: --profile, a single --region, --endpoint. */
export const awsConnectionOptions: CliOptions = { ...commonOptions, profile: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' } };

/** A string option's value; undefined when absent (or given as a flag). */
export function str(v: CliValues, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

/** The value, or an INVALID_INPUT failure that says what to give. */
export function need(value: string | undefined, what: string): string {
  if (!value) throw new CliFailure({ code: 'INVALID_INPUT', message: `Give ${what}` });
  return value;
}

/** Prints the value as JSON under --json, else the human text. */
export function print(io: CliIo, value: unknown, human: () => string): void {
  io.out(io.json ? JSON.stringify(value, null, 2) : human());
}

export interface CliIo {
  app: CasewardApp;
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

/** A contract error, printed as "CODE: message". */
export class CliFailure extends Error {
  constructor(readonly info: ErrorInfo) {
    super(`${info.code}: ${info.message}`);
  }
}

/** Calls one operation and returns its value, or throws its error. */
export async function call<C extends Channel>(io: CliIo, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await io.app.invoke(channel, input);
  if (!env.ok) throw new CliFailure(env.error);
  return env.value as OutputOf<C>;
}

/** Opens the case folder, runs fn with its id, and closes it again (recording both in custody). */
export async function withCase<T>(io: CliIo, folder: string | undefined, fn: (caseId: string) => Promise<T>): Promise<T> {
  if (!folder) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give the case folder as the first argument' });
  const c = await call(io, 'cases.open', { path: folder });
  try {
    return await fn(c.id);
  } finally {
    await io.app.invoke('cases.close', { caseId: c.id });
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted', 'discarded']);

function progressLine(p: Progress): string {
  const pct = p.bytesTotal ? ` ${((100 * p.bytesDone) / Math.max(1, p.bytesTotal)).toFixed(1)}%` : '';
  const rate = p.rate ? ` ${(p.rate / 1048576).toFixed(1)} MiB/s` : '';
  const eta = p.etaSeconds !== null ? ` ETA ${p.etaSeconds}s` : '';
  return `${p.phase}${pct}${rate}${eta} ${p.message}`.trim();
}

/** Waits for a job to end, printing progress to stderr; Ctrl-C cancels it. */
export async function waitForJob(io: CliIo, caseId: string, jobId: string): Promise<Job> {
  let resolveDone!: (job: Job) => void;
  const done = new Promise<Job>((r) => (resolveDone = r));
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const off = io.app.onEvent((e) => {
    if (e.kind === 'job.progress' && e.jobId === jobId && !io.json) {
      const now = Date.now();
      if (tty) process.stderr.write(`\r\x1b[K${progressLine(e.progress)}`);
      else if (now - lastPrint > 5000) io.err(progressLine(e.progress));
      lastPrint = now;
    }
    if (e.kind === 'job.changed' && e.job.id === jobId && TERMINAL.has(e.job.state)) resolveDone(e.job);
  });
  const onSigint = () => {
    io.err('\nCancelling…');
    void io.app.invoke('jobs.cancel', { caseId, jobId });
  };
  process.on('SIGINT', onSigint);
  try {
    // The job may have ended before we subscribed.
    const jobs = await call(io, 'jobs.list', { caseId });
    const now = jobs.find((j) => j.id === jobId);
    if (now && TERMINAL.has(now.state)) return now;
    return await done;
  } finally {
    off();
    process.off('SIGINT', onSigint);
    if (tty && !io.json) process.stderr.write('\r\x1b[K');
  }
}
