/** The Timeline log screens' pure parts: trail files from artifacts, the validate request, report words, flow filters, highlight groups. */
import { describe, expect, it } from 'vitest';
import type { LogsValidationReport } from '../../shared/contract-logs-validate.js';
import type { TimelineHighlight } from '../../shared/contract-highlights.js';
import type { Artifact } from '../../shared/types.js';
import { emptyFlowDraft, flowDraftToFilters } from '../../renderer/src/components/flows/flow-filters.js';
import { groupHits } from '../../renderer/src/components/timeline/highlight-groups.js';
import {
  acquiredValidateInput, buildValidateInput, classifyTrailFile, cleanSignature, findTrailFiles, guessBucket, newestPerChain, parsePublicKeys,
} from '../../renderer/src/components/timeline/integrity-input.js';
import { countWords, headline, hourVerdict, LOG_STATUS } from '../../renderer/src/components/timeline/integrity-words.js';

const LOG = '111122223333_CloudTrail_us-east-1_20240301T1020Z_h0l0xxxxxxxxxxxx.json.gz';
const DIGEST = (hh: string) => `111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20240301T${hh}0031Z.json.gz`;

function artifact(id: string, sourcePath: string, over: Partial<Artifact> = {}): Artifact {
  const name = sourcePath.split(/[\\/]/).pop()!;
  return {
    id, kind: 'file', state: 'complete', storage: 'copy', name, description: '', sourcePath, storedPath: `evidence/${name}`, size: 10,
    hashes: { md5: 'a', sha1: 'b', sha256: 'c' }, addedBy: 'x', addedAt: '2024-01-01T00:00:00.000Z', hashedAt: null, lastVerification: null, ...over,
  } as Artifact;
}

describe('trail files among artifacts', () => {
  it('takes key and bucket from an aws s3 sync layout, Windows paths too', () => {
    const f = classifyTrailFile(artifact('a', `C:\\cases\\my-bucket\\AWSLogs\\111122223333\\CloudTrail\\us-east-1\\2024\\03\\01\\${LOG}`))!;
    expect(f).toMatchObject({ kind: 'log', key: `AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/${LOG}`, bucketGuess: 'my-bucket' });
  });
  it('rebuilds the standard key from the file name alone, with an organisation id', () => {
    expect(classifyTrailFile(artifact('a', `/tmp/${LOG}`), 'o-abc')!.key).toBe(`AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2024/03/01/${LOG}`);
    const d = classifyTrailFile(artifact('d', `/tmp/${DIGEST('11')}`))!;
    expect(d).toMatchObject({ kind: 'digest', key: `AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/${DIGEST('11')}`, time: '2024-03-01T11:00:31Z', bucketGuess: null });
  });
  it('ignores other files and artifacts not yet hashed', () => {
    expect(classifyTrailFile(artifact('x', '/tmp/attack-events.json'))).toBeNull();
    const files = findTrailFiles([artifact('a', `/b/AWSLogs/${LOG}`, { state: 'pending', hashes: null }), artifact('d', `/b/AWSLogs/${DIGEST('10')}`)]);
    expect(files.logs).toHaveLength(0);
    expect(files.digests.map((d) => d.artifactId)).toEqual(['d']);
  });
  it('names the newest digest of each chain and guesses the bucket', () => {
    const files = findTrailFiles([
      artifact('d2', `/x/bkt/AWSLogs/${DIGEST('12')}`), artifact('d1', `/x/bkt/AWSLogs/${DIGEST('11')}`),
      artifact('e1', `/x/bkt/AWSLogs/${DIGEST('11').replace('management-events', 'other')}`),
    ]);
    expect(files.digests.map((d) => d.artifactId)).toEqual(['d1', 'e1', 'd2']);
    expect([...newestPerChain(files.digests)].sort()).toEqual(['d2', 'e1']);
    expect(guessBucket(files.digests)).toBe('bkt');
  });
});

describe('the logs.validate request', () => {
  const keys = JSON.stringify({ PublicKeyList: [{ Value: 'TUlJQg==', Fingerprint: 'ab12', ValidityStartTime: '2024-02-29T10:00:31+00:00', ValidityEndTime: 1711879231 }] });
  it('reads list-public-keys output, CLI times and epoch seconds', () => {
    expect(parsePublicKeys(keys)).toEqual([{ fingerprint: 'ab12', value: 'TUlJQg==', validityStart: '2024-02-29T10:00:31+00:00', validityEnd: '2024-03-31T10:00:31.000Z' }]);
    expect(() => parsePublicKeys('')).toThrow(/list-public-keys/);
    expect(() => parsePublicKeys('{')).toThrow(/not valid JSON/);
    expect(() => parsePublicKeys('{"PublicKeyList":[{"Value":"x"}]}')).toThrow(/Value and Fingerprint/);
  });
  it('keeps signatures as lower-case hex, empty as not kept, refuses the rest', () => {
    expect(cleanSignature(' AB cd\n')).toBe('abcd');
    expect(cleanSignature('  ')).toBeNull();
    expect(() => cleanSignature('xyz')).toThrow(/hexadecimal/);
  });
  it('puts bucket, prefix and signatures on every file', () => {
    const files = findTrailFiles([artifact('l', `/x/bkt/AWSLogs/${LOG}`), artifact('d', `/x/bkt/AWSLogs/${DIGEST('11')}`)]);
    const input = buildValidateInput(files, { bucket: ' bkt ', prefix: '/trail/', signatures: { d: 'AA' }, publicKeys: keys });
    expect(input.logs).toEqual([{ artifactId: 'l', s3Bucket: 'bkt', s3Key: `trail/AWSLogs/${LOG}` }]);
    expect(input.digests).toEqual([{ artifactId: 'd', s3Bucket: 'bkt', s3Key: `trail/AWSLogs/${DIGEST('11')}`, signatureHex: 'aa', signatureAlgorithm: 'SHA256withRSA' }]);
    expect(() => buildValidateInput(files, { bucket: '', prefix: '', signatures: {}, publicKeys: keys })).toThrow(/bucket/);
    const backfill = findTrailFiles([artifact('b', `/x/bkt/AWSLogs/${DIGEST('11').replace('.json.gz', '_backfill.json.gz')}`)]);
    expect(backfill.digests[0]).toMatchObject({ backfill: true, chain: '111122223333/us-east-1/management-events/us-east-1/backfill' });
    const withTs = buildValidateInput(backfill, { bucket: 'bkt', prefix: '', signatures: {}, backfillTimestamps: { b: ' 2024-03-02T11:00:31Z ' }, publicKeys: keys });
    expect(withTs.digests[0]).toMatchObject({ signatureHex: null, signatureAlgorithm: null, backfillGenerationTimestamp: '2024-03-02T11:00:31Z' });
    expect(() => buildValidateInput({ logs: files.logs, digests: [] }, { bucket: 'b', prefix: '', signatures: {}, publicKeys: keys })).toThrow(/No CloudTrail digest/);
  });
});

describe('report words', () => {
  const zero = { valid: 0, invalid: 0, missing: 0, 'not-covered': 0, 'not-verified': 0 };
  const report = (logs: Partial<typeof zero>, gaps = 0): LogsValidationReport => ({
    ok: Object.values(logs).every((n) => !n) && gaps === 0, validatedAt: '', custodySeq: 1, digests: [], logs: [], gaps: [], hours: [], keyProblems: [],
    counts: { logs: { ...zero, valid: 5, ...logs }, digests: { valid: 3, invalid: 0, missing: 0 }, gaps },
  });
  it('says what is wrong in a sentence', () => {
    expect(headline(report({}))).toMatch(/^All 5 log files and 3 digest files are intact/);
    expect(headline(report({ invalid: 1 }))).toBe('Problems found: 1 log file invalid.');
    expect(headline(report({ missing: 2, 'not-covered': 1 }, 1))).toBe('Problems found: 2 log files missing; 1 gap in the digest chain; 1 log file not covered by any digest.');
  });
  it('counts and hours in words', () => {
    expect(countWords({ ...zero, valid: 2, invalid: 1 }, LOG_STATUS)).toBe('2 valid, 1 invalid');
    expect(countWords(zero, LOG_STATUS)).toBe('none');
    expect(hourVerdict({ hour: 'h', ok: false, gap: true, logs: { ...zero, missing: 1 }, digests: { valid: 1, invalid: 0, missing: 0 } })).toBe('Problem: missing file, chain gap');
  });
});

describe('flow filters', () => {
  it('converts the form, protocol names and times in the zone', () => {
    const { filters, problems } = flowDraftToFilters(
      { ...emptyFlowDraft, from: '2024-03-01 11:30', address: ' 10.0.1.5 ', port: '443', protocol: 'tcp', action: 'REJECT', interfaceId: 'eni-1' }, 'Europe/Berlin',
    );
    expect(problems).toEqual({});
    expect(filters).toEqual({ from: '2024-03-01T10:30:00.000Z', address: '10.0.1.5', port: 443, protocol: 6, action: 'REJECT', interfaceId: 'eni-1' });
  });
  it('names the fields it cannot read', () => {
    const { problems } = flowDraftToFilters({ ...emptyFlowDraft, port: '70000', protocol: 'SCTPX', from: '2024-03-01', to: '2024-02-01' }, 'UTC');
    expect(Object.keys(problems).sort()).toEqual(['port', 'protocol', 'to']);
  });
});

describe('highlight groups', () => {
  const hit = (ruleId: string, severity: TimelineHighlight['severity'], eventId: string): TimelineHighlight => ({
    ruleId, title: ruleId, severity, mitre: [], eventId, eventTime: '2024-01-01T00:00:00Z', summary: '',
  });
  it('most severe first, then most hits', () => {
    const g = groupHits([hit('a', 'medium', '1'), hit('b', 'critical', '2'), hit('c', 'medium', '3'), hit('c', 'medium', '4')]);
    expect(g.map((x) => [x.ruleId, x.hits.length])).toEqual([['b', 1], ['c', 2], ['a', 1]]);
  });
});

describe('the acquired trail', () => {
  it('is passed on as logs.validate takes it, and refused without digests or keys', () => {
    const trail = {
      logs: [{ artifactId: 'l', s3Bucket: 'b', s3Key: 'k1' }],
      digests: [
        { artifactId: 'd', s3Bucket: 'b', s3Key: 'k2', signatureHex: 'aa', signatureAlgorithm: 'SHA256withRSA', backfillGenerationTimestamp: null },
        { artifactId: 'e', s3Bucket: 'b', s3Key: 'k3_backfill', signatureHex: null, signatureAlgorithm: null, backfillGenerationTimestamp: '2024-03-02T00:00:00Z' },
      ],
      publicKeys: [{ fingerprint: 'f', value: 'v', validityStart: null, validityEnd: null }],
      publicKeyArtifactIds: ['p'],
    };
    const input = acquiredValidateInput(trail);
    expect(input.digests).toEqual([
      { artifactId: 'd', s3Bucket: 'b', s3Key: 'k2', signatureHex: 'aa', signatureAlgorithm: 'SHA256withRSA' },
      { artifactId: 'e', s3Bucket: 'b', s3Key: 'k3_backfill', signatureHex: null, signatureAlgorithm: null, backfillGenerationTimestamp: '2024-03-02T00:00:00Z' },
    ]);
    expect(input.logs).toEqual(trail.logs);
    expect(() => acquiredValidateInput({ ...trail, publicKeys: [] })).toThrow(/public keys/);
    expect(() => acquiredValidateInput({ ...trail, digests: [] })).toThrow(/No CloudTrail digest/);
  });
});
