import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTrail, type TrailValidationReport, type ValidateTrailInput } from '../../main/core/logs/cloudtrail/index.js';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';

const AWSCLI = path.resolve('../shared/testdata/awscli-cloudtrail-validation/test_resource');
const haveAwscliKeys = fs.existsSync(path.join(AWSCLI, 'sample_private_key.pem'));
if (!haveAwscliKeys) console.warn(`Skipping the AWS CLI key pair tests: ${AWSCLI} is absent (../shared/testdata not mounted).`);

const generated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
let root: string;
let n = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ct-integrity-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function trail(opts: Partial<Parameters<typeof buildTrail>[0]> = {}): Promise<Trail> {
  return buildTrail({ dir: path.join(root, `t${n++}`), privateKey: generated, hours: 3, ...opts });
}

function input(t: Trail, extra: Partial<ValidateTrailInput> = {}): ValidateTrailInput {
  return { logs: t.logs, digests: t.digests, publicKeys: t.publicKeys, range: t.range, ...extra };
}

function statuses(r: TrailValidationReport): { digests: string[]; logs: string[] } {
  return { digests: r.digests.map((d) => d.status), logs: r.logs.map((l) => l.status) };
}

function expectClean(r: TrailValidationReport, digests: number, logs: number): void {
  expect(r.counts.digests).toEqual({ valid: digests, invalid: 0, missing: 0 });
  expect(r.counts.logs).toEqual({ valid: logs, invalid: 0, missing: 0, 'not-covered': 0, 'not-verified': 0 });
  expect(r.gaps).toEqual([]);
  expect(r.ok).toBe(true);
  expect(r.hours.every((h) => h.ok)).toBe(true);
}

describe('CloudTrail integrity: clean chains', () => {
  it.skipIf(!haveAwscliKeys)('the AWS CLI test key pair has the documented fingerprint and validates a 3-hour chain', async () => {
    const der = fs.readFileSync(path.join(AWSCLI, 'sample_public_key.der'));
    expect(createHash('md5').update(der).digest('hex')).toBe('3a35183f878722f06327a2c6f5948836');
    const privateKey = createPrivateKey(fs.readFileSync(path.join(AWSCLI, 'sample_private_key.pem')));
    const t = await trail({ privateKey });
    expect(t.fingerprint).toBe('3a35183f878722f06327a2c6f5948836');
    expect(t.publicKeys[0]!.value).toBe(der.toString('base64'));
    const r = await validateTrail(input(t));
    expectClean(r, 3, 6);
    expect(r.digests.every((d) => d.signatureSource === 'metadata' && d.publicKeyFingerprint === t.fingerprint)).toBe(true);
  });

  it('a chain signed with a key made here validates; hours are summarised', async () => {
    const t = await trail({ hours: 4, logsPerHour: 3 });
    const r = await validateTrail(input(t));
    expectClean(r, 4, 12);
    expect(r.hours.filter((h) => h.logs.valid > 0).map((h) => h.logs.valid)).toEqual([2, 3, 3, 3, 1]);
    // Each log's recorded hash is of its uncompressed bytes, recomputed here independently.
    const first = t.logs[0]!;
    const content = gunzipSync(fs.readFileSync(first.path));
    expect(r.logs.find((l) => l.s3Key === first.s3Key)!.computedSha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('without S3 metadata, older digests are checked with the signature the next digest records', async () => {
    const t = await trail();
    const digests = t.digests.map((d, i) => (i < 2 ? { ...d, signatureHex: null, signatureAlgorithm: null } : d));
    const r = await validateTrail(input(t, { digests }));
    expectClean(r, 3, 6);
    expect(r.digests.map((d) => d.signatureSource)).toEqual(['next-digest', 'next-digest', 'metadata']);
    const newestBare = t.digests.map((d, i) => (i === 2 ? { ...d, signatureHex: null } : d));
    const r2 = await validateTrail(input(t, { digests: newestBare }));
    expect(r2.digests[2]).toMatchObject({ status: 'invalid', reason: expect.stringContaining('no signature') });
    expect(r2.ok).toBe(false);
  });

  it('backfill digests form their own chain and need their generation timestamp', async () => {
    const hourly = await trail();
    const backfill = await buildTrail({ dir: path.join(root, `t${n++}`), privateKey: generated, hours: 2, backfill: true, logsPerHour: 1, start: new Date('2024-03-01T10:05:31Z') });
    const r = await validateTrail({ ...input(hourly), logs: [...hourly.logs, ...backfill.logs], digests: [...hourly.digests, ...backfill.digests] });
    expectClean(r, 5, 8);
    expect(r.digests.filter((d) => d.backfill).map((d) => d.stream)).toEqual([
      '111122223333/us-east-1/management-events/us-east-1 (backfill)', '111122223333/us-east-1/management-events/us-east-1 (backfill)',
    ]);
    const bare = backfill.digests.map((d) => ({ ...d, backfillGenerationTimestamp: null }));
    const r2 = await validateTrail({ ...input(backfill), digests: bare });
    expect(r2.digests.map((d) => d.reason)).toEqual([expect.stringContaining('backfill-generation-timestamp'), expect.stringContaining('backfill-generation-timestamp')]);
  });

  it('a chain that continues before the acquired range is not reported as missing its first link', async () => {
    const t = await trail({ continuesEarlier: true });
    const r = await validateTrail(input(t));
    expectClean(r, 3, 6);
    expect(r.digests[0]!.notes.join(' ')).toMatch(/before the digests provided/);
  });
});

describe('CloudTrail integrity: every tampering is reported, never valid', () => {
  it('one changed byte in a log file: that log is invalid, the rest valid', async () => {
    const t = await trail();
    const target = t.logs[3]!;
    const content = gunzipSync(fs.readFileSync(target.path));
    const i = content.indexOf('198.51.100.7');
    content[i + 10] = '9'.charCodeAt(0); // 198.51.100.7 -> 198.51.100.9
    fs.writeFileSync(target.path, gzipSync(content));
    const r = await validateTrail(input(t));
    expect(r.ok).toBe(false);
    expect(r.counts.logs).toMatchObject({ valid: 5, invalid: 1 });
    expect(r.counts.digests.valid).toBe(3);
    const bad = r.logs.find((l) => l.s3Key === target.s3Key)!;
    expect(bad.status).toBe('invalid');
    expect(bad.reason).toMatch(/hash value doesn't match/);
    expect(bad.expectedSha256).not.toBe(bad.computedSha256);
    expect(r.hours.find((h) => h.logs.invalid === 1)!.ok).toBe(false);
  });

  it('one changed byte in the compressed bytes of a log: invalid format or hash mismatch', async () => {
    const t = await trail();
    const target = t.logs[0]!;
    const gz = fs.readFileSync(target.path);
    gz[Math.floor(gz.length / 2)]! ^= 0x01;
    fs.writeFileSync(target.path, gz);
    const r = await validateTrail(input(t));
    const bad = r.logs.find((l) => l.s3Key === target.s3Key)!;
    expect(bad.status).toBe('invalid');
    expect(r.ok).toBe(false);
  });

  it('a deleted log file is missing', async () => {
    const t = await trail();
    const gone = t.logs[2]!;
    const r = await validateTrail(input(t, { logs: t.logs.filter((l) => l !== gone) }));
    expect(r.counts.logs).toMatchObject({ valid: 5, missing: 1 });
    expect(r.logs.find((l) => l.status === 'missing')).toMatchObject({ s3Key: gone.s3Key, path: null });
    fs.rmSync(gone.path);
    const r2 = await validateTrail(input(t));
    expect(r2.logs.find((l) => l.s3Key === gone.s3Key)).toMatchObject({ status: 'missing', reason: expect.stringContaining('not found on disk') });
    expect(r2.ok).toBe(false);
  });

  it('a deleted digest in the middle is missing, and its logs are covered by no digest', async () => {
    const t = await trail();
    const gone = t.digests[1]!;
    const r = await validateTrail(input(t, { digests: t.digests.filter((d) => d !== gone) }));
    expect(r.ok).toBe(false);
    expect(r.counts.digests).toEqual({ valid: 2, invalid: 0, missing: 1 });
    expect(r.digests.find((d) => d.status === 'missing')).toMatchObject({ s3Key: gone.s3Key, path: null });
    expect(r.logs.filter((l) => l.status === 'not-covered').map((l) => l.s3Key).sort()).toEqual([...gone.logKeys].sort());
  });

  it('a deleted first digest is missing when the acquired range says it belongs to it', async () => {
    const t = await trail({ hours: 3, continuesEarlier: false });
    const t2 = await trail({ hours: 4, continuesEarlier: true });
    const range = { start: new Date(Date.parse(t2.range.start) - 3_600_000).toISOString(), end: t2.range.end };
    const r = await validateTrail(input(t2, { digests: t2.digests.slice(1), range }));
    expect(r.counts.digests).toMatchObject({ valid: 3, missing: 1 });
    expect(r.digests.find((d) => d.status === 'missing')!.s3Key).toBe(t2.digests[0]!.s3Key);
    // A deleted starting digest leaves the next one pointing at nothing provided: missing too.
    const r2 = await validateTrail(input(t, { digests: t.digests.slice(1) }));
    expect(r2.counts.digests).toMatchObject({ valid: 2, missing: 1 });
    expect(r2.ok).toBe(false);
  });

  it('a digest whose signature was changed is invalid; the logs it lists are not verified', async () => {
    const t = await trail();
    const sig = t.digests[1]!.signatureHex!;
    const changed = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    const digests = t.digests.map((d, i) => (i === 1 ? { ...d, signatureHex: changed } : d));
    const r = await validateTrail(input(t, { digests }));
    expect(statuses(r).digests).toEqual(['valid', 'invalid', 'valid']);
    expect(r.digests[1]!.reason).toMatch(/signature|differs from the previousDigestSignature/);
    expect(r.logs.filter((l) => l.status === 'not-verified').map((l) => l.s3Key).sort()).toEqual([...t.digests[1]!.logKeys].sort());
    expect(r.ok).toBe(false);
  });

  it('a digest whose content was changed fails its signature', async () => {
    const t = await trail();
    const d = t.digests[0]!;
    const json = d.json.replace(/"hashValue":"[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'));
    fs.writeFileSync(d.path, gzipSync(Buffer.from(json)));
    const r = await validateTrail(input(t));
    expect(r.digests[0]).toMatchObject({ status: 'invalid' });
    expect(r.digests[0]!.reason).toMatch(/signature verification failed|previousDigestHashValue/);
    expect(r.ok).toBe(false);
  });

  it('a key with another fingerprint validates nothing', async () => {
    const t = await trail();
    const wrong = await buildTrail({ dir: path.join(root, `t${n++}`), privateKey: other, hours: 1 });
    const r = await validateTrail(input(t, { publicKeys: wrong.publicKeys }));
    expect(r.counts.digests).toEqual({ valid: 0, invalid: 3, missing: 0 });
    expect(r.digests.every((d) => /public key not found for fingerprint/.test(d.reason!))).toBe(true);
    expect(r.counts.logs['not-verified']).toBe(6);
    // The other key listed under our fingerprint is caught: keys are filed by the MD5 of their bytes.
    const liar = [{ ...wrong.publicKeys[0]!, fingerprint: t.fingerprint }];
    const r2 = await validateTrail(input(t, { publicKeys: liar }));
    expect(r2.counts.digests.valid).toBe(0);
    expect(r2.keyProblems[0]!.problem).toContain(wrong.fingerprint);
    expect(r2.digests[0]!.reason).toContain(`fingerprint is ${wrong.fingerprint}`);
  });

  it('a gap of an hour (logging off, a new chain starts) is reported', async () => {
    const t = await trail({ hours: 4, restartAt: 2 });
    const r = await validateTrail(input(t));
    expect(r.counts.digests).toEqual({ valid: 3, invalid: 0, missing: 0 });
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]).toMatchObject({ kind: 'restart', from: '2024-03-01T11:00:31.000Z', to: '2024-03-01T12:00:31.000Z' });
    expect(r.hours.filter((h) => h.gap).map((h) => h.hour)).toEqual(['2024-03-01T11:00:00.000Z', '2024-03-01T12:00:00.000Z']);
    expect(r.ok).toBe(false);
  });

  it('a digest moved from its delivered key, an uncovered log, and a range past the last digest', async () => {
    const t = await trail();
    const moved = t.digests.map((d, i) => (i === 2 ? { ...d, s3Key: d.s3Key.replace('management-events', 'other') } : d));
    const r = await validateTrail(input(t, { digests: moved }));
    expect(r.digests.find((d) => d.s3Key.includes('other'))).toMatchObject({ status: 'invalid', reason: expect.stringContaining('moved') });
    const extra = { ...t.logs[0]!, s3Key: t.logs[0]!.s3Key.replace('h0l0', 'zzzz') };
    const range = { start: t.range.start, end: new Date(Date.parse(t.range.end) + 7_200_000).toISOString() };
    const r2 = await validateTrail(input(t, { logs: [...t.logs, extra], range }));
    expect(r2.logs.find((l) => l.s3Key === extra.s3Key)).toMatchObject({ status: 'not-covered' });
    expect(r2.gaps.map((g) => g.kind)).toEqual(['after-last']);
    expect(r2.ok).toBe(false);
  });
});
