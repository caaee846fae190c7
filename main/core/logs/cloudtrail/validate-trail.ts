import { AppError } from '../../../../shared/errors.js';
import { walkChains } from './chain.js';
import { loadDigest } from './digest-file.js';
import type {
  ChainGap, DigestResult, DigestStatus, HourSummary, LogResult, LogStatus, TrailValidationReport, ValidateTrailInput,
} from './integrity-types.js';
import { checkLogs } from './log-check.js';
import { hourOf } from './s3-keys.js';
import { buildKeyRing } from './signature.js';

const HOUR = 3_600_000;

const logCounts = (): Record<LogStatus, number> => ({ valid: 0, invalid: 0, missing: 0, 'not-covered': 0, 'not-verified': 0 });
const digestCounts = (): Record<DigestStatus, number> => ({ valid: 0, invalid: 0, missing: 0 });

/** Per UTC hour: logs by delivery hour, digests by start hour, and any hour a gap touches. */
function hourly(digests: DigestResult[], logs: LogResult[], gaps: ChainGap[]): HourSummary[] {
  const hours = new Map<string, HourSummary>();
  const at = (hour: string): HourSummary => {
    let h = hours.get(hour);
    if (!h) hours.set(hour, (h = { hour, logs: logCounts(), digests: digestCounts(), gap: false, ok: true }));
    return h;
  };
  for (const l of logs) if (l.hour) at(l.hour).logs[l.status]++;
  // A digest is counted in the hour it starts: that is when the logs it lists were delivered.
  for (const d of digests) if (d.digestStartTime) at(hourOf(d.digestStartTime)).digests[d.status]++;
  for (const g of gaps) {
    const from = Date.parse(hourOf(g.from));
    const to = Date.parse(g.to);
    // Cap the walk: a gap of years must not allocate one row per hour of it.
    for (let t = from, n = 0; t < to && n < 24 * 366; t += HOUR, n++) at(new Date(t).toISOString()).gap = true;
  }
  for (const h of hours.values()) {
    h.ok = !h.gap && h.logs.valid === Object.values(h.logs).reduce((a, b) => a + b, 0) && h.digests.invalid + h.digests.missing === 0;
  }
  return [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour));
}

/**
 * Validates CloudTrail log files on disk against their digest files, offline, by the rules of
 * `aws cloudtrail validate-logs` (see docs/cloudtrail-integrity.md): each digest's SHA256withRSA
 * signature with the public key its fingerprint names, the chain of digests, and each log file's
 * SHA-256 over its uncompressed content. Reports every file, every gap, and a summary per hour.
 */
export async function validateTrail(input: ValidateTrailInput): Promise<TrailValidationReport> {
  const { signal } = input;
  if (signal?.aborted) throw new AppError('CANCELLED', 'Integrity validation was cancelled.');
  if (input.range && (Number.isNaN(Date.parse(input.range.start)) || Number.isNaN(Date.parse(input.range.end)))) {
    throw new AppError('INVALID_INPUT', `The validation range ${input.range.start} – ${input.range.end} is not a pair of UTC times.`);
  }
  const ring = buildKeyRing(input.publicKeys);
  const loaded = [];
  for (const d of input.digests) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Integrity validation was cancelled.');
    loaded.push(await loadDigest(d));
  }
  const chain = walkChains(loaded, ring, input.range);
  const logs = await checkLogs(loaded, new Set(chain.valid), input.logs, signal, input.onProgress);
  const counts = { digests: digestCounts(), logs: logCounts(), gaps: chain.gaps.length };
  for (const d of chain.results) counts.digests[d.status]++;
  for (const l of logs) counts.logs[l.status]++;
  const allLogsValid = counts.logs.valid === logs.length;
  const allDigestsValid = counts.digests.valid === chain.results.length && chain.results.length > 0;
  return {
    ok: allLogsValid && allDigestsValid && chain.gaps.length === 0,
    validatedAt: new Date().toISOString(),
    counts,
    digests: chain.results,
    logs,
    gaps: chain.gaps,
    hours: hourly(chain.results, logs, chain.gaps),
    keyProblems: ring.problems,
  };
}
