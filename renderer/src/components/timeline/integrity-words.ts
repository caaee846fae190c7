/** The integrity report in words a court can follow: statuses, verdicts and the headline. Pure. */
import type { DigestIntegrityStatus, LogIntegrityStatus, LogsValidationReport } from '../../../../shared/contract-logs-validate.js';

/** A log file's status as a short phrase. */
export const LOG_STATUS: Record<LogIntegrityStatus, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  missing: 'Missing log file',
  'not-covered': 'Not covered by any digest',
  'not-verified': 'Not verified',
};

/** What each log status means, for the legend and the "why" column when the validator gave no reason. */
export const LOG_MEANING: Record<LogIntegrityStatus, string> = {
  valid: 'Its content hashes to the value a validly signed digest recorded for it.',
  invalid: 'Its content does not match what the digest recorded, or it cannot be read.',
  missing: 'A validly signed digest lists it, but the case does not hold it.',
  'not-covered': 'The case holds it, but no digest given lists it, so nothing vouches for it.',
  'not-verified': 'Only digests that failed validation list it, so it could not be checked.',
};

/** A digest file's status as a short phrase. */
export const DIGEST_STATUS: Record<DigestIntegrityStatus, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  missing: 'Missing digest file',
};

export const DIGEST_MEANING: Record<DigestIntegrityStatus, string> = {
  valid: 'Its RSA signature verifies with the CloudTrail public key it names and it links to the chain.',
  invalid: 'Its signature, content or chain link does not hold.',
  missing: 'The digest chain names it, but the case does not hold it.',
};

/** Badge class for a status: green for valid, red for invalid or missing, amber for the rest. */
export function statusTone(status: LogIntegrityStatus | DigestIntegrityStatus): string {
  if (status === 'valid') return 'badge badge-ok';
  if (status === 'invalid' || status === 'missing') return 'badge badge-bad';
  return 'badge badge-warn';
}

/** "3 valid, 1 invalid" for a count record; "none" when all are zero. */
export function countWords<K extends string>(counts: Record<K, number>, names: Record<K, string>): string {
  const parts = (Object.keys(names) as K[]).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${names[k].toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'none';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The first sentence of the report. */
export function headline(r: LogsValidationReport): string {
  const logs = Object.values(r.counts.logs).reduce((a, b) => a + b, 0);
  const digests = Object.values(r.counts.digests).reduce((a, b) => a + b, 0);
  if (r.ok) {
    return `All ${plural(logs, 'log file')} and ${plural(digests, 'digest file')} are intact: every signature verifies, every hash matches and the digest chain has no gap.`;
  }
  const problems: string[] = [];
  const { logs: l, digests: d } = r.counts;
  if (l.invalid) problems.push(`${plural(l.invalid, 'log file')} invalid`);
  if (d.invalid) problems.push(`${plural(d.invalid, 'digest file')} invalid`);
  if (l.missing) problems.push(`${plural(l.missing, 'log file')} missing`);
  if (d.missing) problems.push(`${plural(d.missing, 'digest file')} missing`);
  if (r.counts.gaps) problems.push(`${plural(r.counts.gaps, 'gap')} in the digest chain`);
  if (l['not-covered']) problems.push(`${plural(l['not-covered'], 'log file')} not covered by any digest`);
  if (l['not-verified']) problems.push(`${plural(l['not-verified'], 'log file')} not verified`);
  if (r.keyProblems.length) problems.push(`${plural(r.keyProblems.length, 'public key problem')}`);
  return `Problems found: ${problems.join('; ')}.`;
}

/** The verdict of one hour in words. */
export function hourVerdict(h: LogsValidationReport['hours'][number]): string {
  if (h.ok) return 'Intact';
  const bits: string[] = [];
  if (h.logs.invalid || h.digests.invalid) bits.push('invalid file');
  if (h.logs.missing || h.digests.missing) bits.push('missing file');
  if (h.gap) bits.push('chain gap');
  if (h.logs['not-covered']) bits.push('not covered');
  if (h.logs['not-verified']) bits.push('not verified');
  return bits.length ? `Problem: ${bits.join(', ')}` : 'Problem';
}

/** The file name at the end of an S3 key. */
export function keyName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
