/**
 * logs.validate through the contract: a signed CloudTrail trail is added to a case as evidence,
 * validated from the case's own copies, and the result lands in custody as one logs.validated event.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';
import { startHarness, type Harness } from '../support/app-harness.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

async function addEvidence(h: Harness, caseId: string, file: string): Promise<string> {
  const r = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
  expect((await h.waitJob(caseId, r.jobId)).state).toBe('succeeded');
  return r.artifactId;
}

/** Adds every file of the trail as evidence and returns the logs.validate input for it. */
async function addTrail(h: Harness, caseId: string, t: Trail) {
  const logs = [];
  for (const l of t.logs) logs.push({ artifactId: await addEvidence(h, caseId, l.path), s3Bucket: l.s3Bucket, s3Key: l.s3Key });
  const digests = [];
  for (const d of t.digests) {
    digests.push({ artifactId: await addEvidence(h, caseId, d.path), s3Bucket: d.s3Bucket, s3Key: d.s3Key, signatureHex: d.signatureHex, signatureAlgorithm: d.signatureAlgorithm });
  }
  const publicKeys = t.publicKeys.map((k) => ({ fingerprint: k.fingerprint, value: k.value, validityStart: String(k.validityStart), validityEnd: String(k.validityEnd) }));
  return { caseId, logs, digests, publicKeys, range: { from: t.range.start, to: t.range.end } };
}

async function lastValidated(h: Harness, caseId: string) {
  const { events } = await h.call('custody.list', { caseId, limit: 1000 });
  const found = events.filter((e) => e.action === 'logs.validated');
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('logs.validate on a signed trail held as evidence', () => {
  let h: Harness;
  let caseId: string;
  beforeEach(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR-VALIDATE', title: 'Validate' })).id;
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('a clean 3-hour chain validates and custody records the counts', async () => {
    const t = await buildTrail({ dir: path.join(h.root, 'trail'), privateKey, hours: 3 });
    const input = await addTrail(h, caseId, t);
    const r = await h.call('logs.validate', input);
    expect(r.ok).toBe(true);
    expect(r.counts.digests).toEqual({ valid: 3, invalid: 0, missing: 0 });
    expect(r.counts.logs).toEqual({ valid: 6, invalid: 0, missing: 0, 'not-covered': 0, 'not-verified': 0 });
    expect(r.logs.map((l) => l.artifactId).sort()).toEqual(input.logs.map((l) => l.artifactId).sort());
    expect(r.digests.map((d) => d.artifactId).sort()).toEqual(input.digests.map((d) => d.artifactId).sort());
    // The files read are the case's copies, not the source trail.
    expect(r.logs.every((l) => l.path!.startsWith(path.join(h.casesDir, 'IR-VALIDATE')))).toBe(true);

    const e = await lastValidated(h, caseId);
    expect(e.seq).toBe(r.custodySeq);
    expect(e.details).toMatchObject({
      ok: true, gaps: 0, keyFingerprints: [t.fingerprint], filesTotal: 9, filesTruncated: false,
      logs: { valid: 6, invalid: 0, missing: 0, 'not-covered': 0 }, digests: { valid: 3, invalid: 0, missing: 0 },
    });
    const files = e.details.files as { kind: string; artifactId: string; status: string }[];
    expect(files).toHaveLength(9);
    expect(files.every((f) => f.status === 'valid' && f.artifactId)).toBe(true);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('a log file changed before it was added is reported invalid, and custody says not ok', async () => {
    const t = await buildTrail({ dir: path.join(h.root, 'trail'), privateKey, hours: 3 });
    const changed = t.logs[2]!;
    fs.writeFileSync(changed.path, gzipSync(Buffer.from(JSON.stringify({ Records: [] }))));
    const input = await addTrail(h, caseId, t);
    const r = await h.call('logs.validate', input);
    expect(r.ok).toBe(false);
    expect(r.counts.logs).toMatchObject({ valid: 5, invalid: 1 });
    const bad = r.logs.find((l) => l.status === 'invalid')!;
    expect(bad.s3Key).toBe(changed.s3Key);
    expect(bad.artifactId).toBe(input.logs[2]!.artifactId);

    const e = await lastValidated(h, caseId);
    expect(e.details).toMatchObject({ ok: false, logs: { valid: 5, invalid: 1 } });
    const files = e.details.files as { artifactId: string; status: string }[];
    expect(files.find((f) => f.status === 'invalid')!.artifactId).toBe(input.logs[2]!.artifactId);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('refuses an artifact that is not in the case, or given twice, and records nothing', async () => {
    const t = await buildTrail({ dir: path.join(h.root, 'trail'), privateKey, hours: 1 });
    const input = await addTrail(h, caseId, t);
    const unknown = await h.fail('logs.validate', { ...input, logs: [{ ...input.logs[0]!, artifactId: 'no-such-artifact' }] });
    expect(unknown.code).toBeTruthy();
    const twice = await h.fail('logs.validate', { ...input, logs: [input.logs[0]!, input.logs[0]!] });
    expect(twice).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('more than once') });
    const { events } = await h.call('custody.list', { caseId, limit: 1000 });
    expect(events.some((e) => e.action === 'logs.validated')).toBe(false);
  });
});
