/**
 * aws.captureContext against the fake: one hashed, read-only artifact per part, the console output
 * fetched first, contents equal to the fake's state, a denied IAM part recorded while the rest
 * completes, and the custody chain and evidence verification intact.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsContextParts, type AwsContextPartResult } from '../../shared/contract-aws-context.js';
import type { Artifact } from '../../shared/types.js';
import { FIXTURE, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';

const sha256sum = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];

let fake: AwsFake;
let h: Harness;
let caseId: string;
let casePath: string;
let connectionId: string;

beforeAll(async () => {
  ({ fake, h, caseId, casePath, connectionId } = await startAwsCase({ fake: { region: 'us-east-1' }, case: { number: 'AWS-7', title: 'AWS context' } }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

async function capture(parts?: (typeof awsContextParts)[number][]) {
  const from = fake.state.calls.length;
  const { jobId } = await h.call('aws.captureContext', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId, parts });
  const job = await h.waitJob(caseId, jobId);
  expect(job.state).toBe('succeeded');
  return { jobId, results: (job.result as { results: AwsContextPartResult[] }).results, calls: fake.state.calls.slice(from) };
}

describe('aws.captureContext', () => {
  it('captures every part as a read-only hashed artifact, console output first', async () => {
    const { jobId, results, calls } = await capture();
    expect(results.map((r) => [r.part, r.status])).toEqual(awsContextParts.map((p) => [p, 'captured']));
    expect(calls[0]!.action).toBe('GetConsoleOutput');
    expect(calls[0]!.params).toMatchObject({ Latest: 'true' });
    expect(calls[1]!.action).toBe('GetConsoleScreenshot');

    const artifacts = await h.call('evidence.list', { caseId });
    const byPart = new Map<string, Artifact>();
    for (const r of results) byPart.set(r.part, artifacts.find((a) => a.id === r.artifactId)!);
    const events = (await h.call('custody.list', { caseId, limit: 1000 })).events;
    for (const [part, a] of byPart) {
      const ext = part === 'screenshot' ? 'jpg' : part === 'console-output' || part === 'user-data' ? 'txt' : 'json';
      expect(a).toMatchObject({ state: 'complete', storage: 'copied', name: `${FIXTURE.webInstanceId}-${part}.${ext}`, sourcePath: `aws:ec2:us-east-1:${VICTIM_ACCOUNT_ID}:${FIXTURE.webInstanceId}/${part}` });
      expect(a.storedPath).toBe(path.join('evidence', a.id, a.name));
      const file = path.join(casePath, a.storedPath);
      expect(sha256sum(file)).toBe(a.hashes!.sha256);
      expect(fs.statSync(file).mode & 0o222).toBe(0);
      const added = events.find((e) => e.action === 'artifact.added' && e.artifactId === a.id)!;
      expect(added.details).toMatchObject({ name: a.name, storedPath: a.storedPath, sourcePath: a.sourcePath, size: a.size, sha256: a.hashes!.sha256, jobId, source: 'aws', region: 'us-east-1', account: VICTIM_ACCOUNT_ID, instanceId: FIXTURE.webInstanceId, part });
      expect(typeof added.details.apiAction).toBe('string');
      expect(added.details.capturedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }

    const dir = (part: string) => path.join(casePath, byPart.get(part)!.storedPath);
    const consoleEvent = events.find((e) => e.artifactId === byPart.get('console-output')!.id)!;
    expect(consoleEvent.details.requestId).toBe(calls[0]!.requestId);
    expect(consoleEvent.details.consoleTimestamp).toMatch(/^\d{4}-/);
    const held = Buffer.from(fake.state.instances.get(FIXTURE.webInstanceId)!.consoleOutput!, 'utf8');
    expect(fs.readFileSync(dir('console-output')).equals(held.subarray(Math.max(0, held.length - 65536)))).toBe(true);
    expect(fs.readFileSync(dir('screenshot')).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(fs.readFileSync(dir('user-data'), 'utf8')).toBe(FIXTURE.userData);
    const describe = JSON.parse(fs.readFileSync(dir('describe'), 'utf8')) as { describe: { InstanceId: string } };
    expect(describe.describe.InstanceId).toBe(FIXTURE.webInstanceId);
    const iam = JSON.parse(fs.readFileSync(dir('iam'), 'utf8')) as { iam: { roles: unknown[] } };
    expect(iam.iam.roles.length).toBeGreaterThan(0);
    // Stable key order: every object's keys are sorted.
    const text = fs.readFileSync(dir('volumes'), 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['instanceId', 'region', 'volumes']);

    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    const v = await h.call('evidence.verify', { caseId, artifactIds: results.map((r) => r.artifactId!) });
    expect((await h.waitJob(caseId, v.jobId)).result).toMatchObject({ checked: results.length, match: results.length });
  });

  it('records a denied IAM part as failed and completes the others', async () => {
    fake.state.policy.deny('iam:*');
    try {
      const { jobId, results } = await capture(['iam', 'volumes', 'console-output']);
      expect(results.map((r) => r.part)).toEqual(['console-output', 'volumes', 'iam']);
      expect(results.filter((r) => r.status === 'captured').map((r) => r.part)).toEqual(['console-output', 'volumes']);
      const iam = results.find((r) => r.part === 'iam')!;
      expect(iam).toMatchObject({ status: 'failed', artifactId: null });
      expect(iam.code).toBeTruthy();
      const failed = (await h.call('custody.list', { caseId, limit: 1000 })).events.filter((e) => e.action === 'aws.context-failed' && e.details.jobId === jobId);
      expect(failed).toHaveLength(1);
      expect(failed[0]!.details).toMatchObject({ part: 'iam', instanceId: FIXTURE.webInstanceId, code: iam.code, message: iam.message });
      expect((await h.call('evidence.list', { caseId })).filter((a) => a.state !== 'complete')).toHaveLength(0);
      expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    } finally {
      fake.state.policy.reset();
    }
  });

  it('refuses a region the connection does not cover', async () => {
    const e = await h.fail('aws.captureContext', { caseId, connectionId, region: 'eu-west-1', instanceId: FIXTURE.webInstanceId });
    expect(e.code).toBeTruthy();
  });
});
