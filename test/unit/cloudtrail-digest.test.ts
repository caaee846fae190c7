import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isBackfillKey, keyFingerprint, loadDigest, parseDigest, parseDigestKey, parseLogKey, stringToSign,
} from '../../main/core/logs/cloudtrail/index.js';
import { buildKeyRing } from '../../main/core/logs/cloudtrail/signature.js';

const TESTDATA = path.resolve('../shared/testdata');
const REAL_DIR = path.join(TESTDATA, 'cloudtrail-digest-real-unsigned');
const REAL = path.join(REAL_DIR, '327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json');
const AWSCLI = path.join(TESTDATA, 'awscli-cloudtrail-validation');
const haveReal = fs.existsSync(REAL);
const haveAwscli = fs.existsSync(path.join(AWSCLI, 'examples', 'list-public-keys.rst'));
if (!haveReal) console.warn(`Skipping the real digest tests: ${REAL} is absent (../shared/testdata not mounted).`);
if (!haveAwscli) console.warn(`Skipping the AWS key fingerprint tests: ${AWSCLI} is absent.`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ct-digest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a real CloudTrail digest (unsigned)', () => {
  it.skipIf(!haveReal)('parses: fields, previous digest, and the five log files it lists', () => {
    const bytes = fs.readFileSync(REAL);
    const parsed = parseDigest(bytes);
    if (!('data' in parsed)) throw new Error(parsed.problem);
    const d = parsed.data;
    expect(d).toMatchObject({
      awsAccountId: '327878933619',
      digestStartTime: '2023-10-15T22:04:04Z',
      digestEndTime: '2023-10-15T23:04:04Z',
      digestS3Bucket: 'llm-guard-trail',
      digestPublicKeyFingerprint: 'be2f0b997552f44942837300ba1aba9d',
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestHashValue: '8f953371d3e85eddb89b05ed6b9e680791055315c73e1025ab5dba7bb2aee189',
    });
    // The "\/" escapes are JSON, not part of the key.
    expect(d.digestS3Object).toBe(
      'AWSLogs/327878933619/CloudTrail-Digest/ap-northeast-1/2023/10/15/327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json.gz',
    );
    expect(d.previousDigestSignature).toMatch(/^[0-9a-f]{512}$/);
    expect(d.logFiles).toHaveLength(5);
    expect(d.logFiles.map((l) => l.hashValue)).toContain('4309c6161e37538de72ec6f679e86b7e45aebed71fa7e76af70c3019fef44e19');
    expect(d.logFiles.every((l) => l.s3Bucket === 'llm-guard-trail' && l.hashAlgorithm === 'SHA-256' && parseLogKey(l.s3Object) !== null)).toBe(true);
    expect(parseLogKey(d.logFiles[0]!.s3Object)).toEqual({
      prefix: '', orgId: null, accountId: '327878933619', insight: false, region: 'ap-northeast-1', deliveredAt: '2023-10-15T22:05:00.000Z',
    });
    const k = parseDigestKey(d.digestS3Object)!;
    expect(k).toMatchObject({ accountId: '327878933619', region: 'ap-northeast-1', trailName: 'llm-guard-trail', homeRegion: 'us-west-2', endTime: '2023-10-15T23:04:04.000Z', backfill: false });
    expect(parseDigestKey(d.previousDigestS3Object!)!.endTime).toBe('2023-10-15T22:04:04.000Z');
  });

  it.skipIf(!haveReal)('is hashed over its exact bytes, gzip or not, never over re-serialised JSON', async () => {
    const bytes = fs.readFileSync(REAL);
    const manifest = fs.readFileSync(path.join(REAL_DIR, 'MANIFEST.txt'), 'utf8');
    const documented = /^([0-9a-f]{64})\s+327878933619_CloudTrail-Digest/m.exec(manifest)![1]!;
    const local = { s3Bucket: 'llm-guard-trail', s3Key: 'k', signatureHex: null, signatureAlgorithm: null };
    const plain = await loadDigest({ ...local, path: REAL });
    expect(plain.sha256).toBe(documented);
    const gz = path.join(tmp, 'real.json.gz');
    fs.writeFileSync(gz, gzipSync(bytes));
    expect((await loadDigest({ ...local, path: gz })).sha256).toBe(documented);
    const reserialised = createHash('sha256').update(JSON.stringify(JSON.parse(bytes.toString()))).digest('hex');
    expect(reserialised).not.toBe(documented);
    // The string CloudTrail signed for it, from the rules in NOTES.txt.
    const data = (parseDigest(bytes) as { data: Parameters<typeof stringToSign>[0] }).data;
    const lines = stringToSign(data, documented).split('\n');
    expect(lines).toEqual([
      '2023-10-15T23:04:04Z',
      `llm-guard-trail/${data.digestS3Object}`,
      documented,
      data.previousDigestSignature,
    ]);
    expect(stringToSign({ ...data, previousDigestSignature: null }, documented).endsWith('\nnull')).toBe(true);
  });
});

describe('digest files that are not usable', () => {
  it('reports a missing file, corrupt gzip, non-JSON and missing fields', async () => {
    const base = { s3Bucket: 'b', s3Key: 'k', signatureHex: null, signatureAlgorithm: null };
    expect(await loadDigest({ ...base, path: path.join(tmp, 'absent.json.gz') })).toMatchObject({ fileMissing: true, data: null });
    const gz = gzipSync(Buffer.from('{"a":1}'));
    fs.writeFileSync(path.join(tmp, 'trunc.gz'), gz.subarray(0, gz.length - 6));
    expect((await loadDigest({ ...base, path: path.join(tmp, 'trunc.gz') })).problem).toMatch(/truncated or corrupt gzip/);
    expect(parseDigest(Buffer.from('not json'))).toMatchObject({ problem: expect.stringMatching(/not JSON/) });
    expect(parseDigest(Buffer.from('{"digestS3Bucket":"b"}'))).toEqual({
      problem: 'invalid format: missing digestPublicKeyFingerprint, digestS3Object, previousDigestSignature, digestEndTime, digestStartTime',
    });
  });
});

describe('S3 key layouts', () => {
  it('parses organisation trails, prefixes, backfill digests and Insights logs', () => {
    const org = 'logs/prefix/AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/111122223333_CloudTrail-Digest_eu-west-1_org_trail.v2_us-east-1_20240301T110031Z_backfill.json.gz';
    expect(parseDigestKey(org)).toEqual({
      prefix: 'logs/prefix', orgId: 'o-abc123def4', accountId: '111122223333', region: 'eu-west-1',
      trailName: 'org_trail.v2', homeRegion: 'us-east-1', endTime: '2024-03-01T11:00:31.000Z', backfill: true,
    });
    expect(isBackfillKey(org)).toBe(true);
    const insight = 'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/03/01/111122223333_CloudTrail-Insight_us-east-1_20240301T1020Z_abcdefABCDEF0123.json.gz';
    expect(parseLogKey(insight)).toMatchObject({ insight: true, deliveredAt: '2024-03-01T10:20:00.000Z' });
    expect(parseLogKey('AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/x.log.gz')).toBeNull();
    expect(parseDigestKey('AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/x.json.gz')).toBeNull();
  });
});

describe('public key fingerprints', () => {
  it.skipIf(!haveAwscli)('are the MD5 of the PKCS#1 DER bytes (a real AWS key and the CLI test key)', () => {
    const rst = fs.readFileSync(path.join(AWSCLI, 'examples', 'list-public-keys.rst'), 'utf8');
    const value = /"Value": "([^"]+)"/.exec(rst)![1]!;
    const fingerprint = /"Fingerprint": "([0-9a-f]+)"/.exec(rst)![1];
    expect(fingerprint).toBe('7f3f401420072e50a65a141430817ab3');
    expect(keyFingerprint(Buffer.from(value, 'base64'))).toBe(fingerprint);
    const der = fs.readFileSync(path.join(AWSCLI, 'test_resource', 'sample_public_key.der'));
    expect(keyFingerprint(der)).toBe('3a35183f878722f06327a2c6f5948836');
    const ring = buildKeyRing([{ fingerprint: fingerprint!, value, validityStart: new Date(1453076702000), validityEnd: new Date(1455668702000) }]);
    expect(ring.problems).toEqual([]);
    expect([...ring.keys.keys()]).toEqual([fingerprint]);
  });

  it('files a key under its real fingerprint and reports a false claim or a broken key', () => {
    const der = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'pkcs1' });
    const real = keyFingerprint(der);
    const ring = buildKeyRing([
      { fingerprint: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', value: der.toString('base64'), validityStart: null, validityEnd: null },
      { fingerprint: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', value: Buffer.from('not a key').toString('base64'), validityStart: null, validityEnd: null },
    ]);
    expect([...ring.keys.keys()]).toEqual([real]);
    expect(ring.falseClaims.get('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(real);
    expect(ring.problems.map((p) => p.fingerprint)).toEqual(['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']);
    expect(ring.problems[1]!.problem).toMatch(/not a PKCS#1 RSA public key/);
  });
});
