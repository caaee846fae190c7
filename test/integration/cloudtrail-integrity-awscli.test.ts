/**
 * Cross-check with an independent implementation: the AWS CLI's own validate-logs code, run over
 * the same files with only S3 and CloudTrail calls answered locally (fixtures/cloudtrail/awscli_oracle.py).
 * For every scenario the two must agree on how many digests and log files are valid and invalid.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTrail, type LocalDigest, type LocalLog, type PublicKey } from '../../main/core/logs/cloudtrail/index.js';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';

const ORACLE = path.resolve('test/fixtures/cloudtrail/awscli_oracle.py');

function awscliAvailable(): string | null {
  const probe = spawnSync('python3', ['-c', 'import awscli.customizations.cloudtrail.validation'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not available (${probe.error.message})`;
  if (probe.status !== 0) return `the AWS CLI's Python package is not importable (${probe.stderr.trim().split('\n').at(-1)})`;
  return null;
}
const missing = awscliAvailable();
if (missing) console.warn(`Skipping the AWS CLI cross-check: ${missing}.`);

interface Oracle {
  validDigests: number;
  invalidDigests: number;
  validLogs: number;
  invalidLogs: number;
  errors: string[];
}

function oracle(t: Trail, logs: LocalLog[], digests: LocalDigest[], publicKeys: PublicKey[]): Oracle {
  const spec = {
    trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events',
    bucket: 'example-trail-bucket', start: t.range.start, end: t.range.end, logs, digests, publicKeys,
  };
  const out = execFileSync('python3', [ORACLE], { input: JSON.stringify(spec), encoding: 'utf8' });
  return JSON.parse(out) as Oracle;
}

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
let root: string;
let n = 0;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ct-awscli-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Scenario = (t: Trail) => Promise<{ logs: LocalLog[]; digests: LocalDigest[]; publicKeys: PublicKey[] }>;

const same: Scenario = async (t) => ({ logs: t.logs, digests: t.digests, publicKeys: t.publicKeys });

const scenarios: Array<[string, Scenario, { hours?: number; restartAt?: number }?]> = [
  ['a clean chain', same],
  ['one changed byte in a log', async (t) => {
    const f = t.logs[1]!.path;
    const c = gunzipSync(fs.readFileSync(f));
    c[c.indexOf('alice') + 1] = 'x'.charCodeAt(0);
    fs.writeFileSync(f, gzipSync(c));
    return same(t);
  }],
  ['a deleted log', async (t) => {
    fs.rmSync(t.logs[4]!.path);
    return { ...(await same(t)), logs: t.logs.filter((_, i) => i !== 4) };
  }],
  ['a deleted digest', async (t) => {
    fs.rmSync(t.digests[1]!.path);
    return { ...(await same(t)), digests: t.digests.filter((_, i) => i !== 1) };
  }],
  ['a changed digest signature', async (t) => {
    const digests = t.digests.map((d, i) => (i === 2 ? { ...d, signatureHex: `00${d.signatureHex!.slice(2)}` } : d));
    return { ...(await same(t)), digests };
  }],
  ['a key with another fingerprint', async (t) => {
    const other = await buildTrail({ dir: path.join(root, `o${n++}`), privateKey: otherKey, hours: 1 });
    return { ...(await same(t)), publicKeys: other.publicKeys };
  }],
  ['a gap of an hour', same, { hours: 4, restartAt: 2 }],
];

describe('CloudTrail integrity agrees with the AWS CLI validate-logs code', () => {
  for (const [name, make, opts] of scenarios) {
    it.skipIf(missing !== null)(name, async () => {
      const t = await buildTrail({ dir: path.join(root, `t${n++}`), privateKey: key, hours: opts?.hours ?? 3, ...opts });
      const { logs, digests, publicKeys } = await make(t);
      const theirs = oracle(t, logs, digests, publicKeys);
      const ours = await validateTrail({ logs, digests, publicKeys, range: t.range });
      const c = ours.counts;
      expect({
        validDigests: c.digests.valid,
        invalidDigests: c.digests.invalid + c.digests.missing,
        validLogs: c.logs.valid,
        invalidLogs: c.logs.invalid + c.logs.missing,
      }).toEqual({ validDigests: theirs.validDigests, invalidDigests: theirs.invalidDigests, validLogs: theirs.validLogs, invalidLogs: theirs.invalidLogs });
      const cliSawGap = theirs.errors.some((e) => e.includes('No log files were delivered by CloudTrail between'));
      expect(ours.gaps.some((g) => g.kind === 'restart')).toBe(cliSawGap);
      expect(ours.ok).toBe(name === 'a clean chain');
      expect(theirs.errors.length === 0).toBe(name === 'a clean chain');
    });
  }
});
