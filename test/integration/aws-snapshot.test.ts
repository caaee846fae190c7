/** aws.snapshot against the AWS fake: CreateSnapshots with the case tags, then a job that waits for completion. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsSnapshotRef } from '../../shared/contract-aws-preserve.js';
import { FIXTURE, type AwsFake } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let connectionId: string;
const region = 'us-east-1';
const instanceId = FIXTURE.webInstanceId;

beforeAll(async () => {
  ({ fake, h, caseId, connectionId } = await startAwsCase({ fake: { snapshotCompletionMs: 1200 }, case: { number: 'IR-9', title: 'AWS snapshots' }, regions: [region] }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

const events = async () => (await h.call('custody.list', { caseId })).events;

describe('aws.snapshot', () => {
  it('needs confirm and sends nothing without it; a DryRun denial creates nothing', async () => {
    const before = fake.calls.length;
    const err = await h.fail('aws.snapshot', { caseId, connectionId, region, instanceId } as never);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect(err.message).toMatch(/EBS snapshots/);
    expect(fake.calls.length).toBe(before);

    fake.state.policy.deny('ec2:CreateSnapshots');
    try {
      const denied = await h.fail('aws.snapshot', { caseId, connectionId, region, instanceId, confirm: true });
      expect(denied.code).toBe('FORBIDDEN');
      expect(denied.message).toMatch(/ec2:CreateSnapshots/);
      expect(fake.state.callsFor('CreateSnapshots').every((c) => c.dryRun)).toBe(true);
      expect(fake.state.snapshots.size).toBe(2);
    } finally {
      fake.state.policy.reset();
    }
  });

  it('snapshots every volume crash-consistently, tags them with the case, and completes after the progress', async () => {
    const seen: number[] = [];
    const off = h.app.onEvent((e) => {
      if (e.kind === 'job.progress' && e.progress.itemsTotal === 100) seen.push(e.progress.itemsDone);
    });
    const { jobId, snapshotIds } = await h.call('aws.snapshot', { caseId, connectionId, region, instanceId, confirm: true });
    expect(snapshotIds).toHaveLength(2);
    const create = fake.state.callsFor('CreateSnapshots').filter((c) => !c.dryRun).at(-1)!;
    expect(create.params['InstanceSpecification.InstanceId']).toBe(instanceId);
    for (const id of snapshotIds) {
      const s = fake.state.snapshots.get(id)!;
      expect(s.tags).toEqual(expect.arrayContaining([{ key: 'CasewardCase', value: 'IR-9' }, { key: 'CasewardEvidence', value: 'true' }]));
    }
    const created = (await events()).find((e) => e.action === 'aws.snapshots-created')!;
    expect(created.details).toMatchObject({ requestId: create.requestId, instanceId, jobId });

    const job = await h.waitJob(caseId, jobId);
    off();
    expect(job.state).toBe('succeeded');
    // Progress is the mean percentage AWS reported: it passed through values between 0 and 100.
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    expect(job.progress).toMatchObject({ itemsDone: 100, itemsTotal: 100 });
    // It polled until the fake's progress reached 100, more than once.
    expect(fake.state.callsFor('DescribeSnapshots').filter((c) => c.params['SnapshotId.1'] === snapshotIds[0]).length).toBeGreaterThan(1);
    const refs = (job.result as { snapshots: AwsSnapshotRef[] }).snapshots;
    expect(refs.map((r) => r.snapshotId)).toEqual(snapshotIds);
    expect(refs.every((r) => r.state === 'completed' && r.completionTime && r.ownerId && r.region === region)).toBe(true);
    const done = (await events()).filter((e) => e.action === 'aws.snapshot-completed');
    expect(done.map((e) => e.details.snapshotId)).toEqual(snapshotIds);
    const root = done.find((e) => e.details.volumeId === FIXTURE.webRootVolumeId)!;
    expect(root.details).toMatchObject({ encrypted: true, region, sizeGiB: fake.state.volumes.get(FIXTURE.webRootVolumeId)!.sizeGiB });
    expect(root.details.kmsKeyId).toBeTruthy();
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('snapshots only the chosen volume (the boot volume excluded)', async () => {
    const { jobId, snapshotIds } = await h.call('aws.snapshot', { caseId, connectionId, region, instanceId, volumeIds: [FIXTURE.webDataVolumeId], confirm: true });
    expect(snapshotIds).toHaveLength(1);
    expect(fake.state.snapshots.get(snapshotIds[0]!)!.volumeId).toBe(FIXTURE.webDataVolumeId);
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
    const bad = await h.fail('aws.snapshot', { caseId, connectionId, region, instanceId, volumeIds: [FIXTURE.dbRootVolumeId], confirm: true });
    expect(bad.code).toBe('INVALID_INPUT');
  });

  it('cancelling the job leaves the snapshots in AWS and says so', async () => {
    fake.state.snapshotCompletionMs = null;
    try {
      const { jobId, snapshotIds } = await h.call('aws.snapshot', { caseId, connectionId, region, instanceId, confirm: true });
      for (;;) {
        const j = (await h.call('jobs.list', { caseId })).find((x) => x.id === jobId)!;
        if (j.state === 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await h.call('jobs.cancel', { caseId, jobId });
      expect((await h.waitJob(caseId, jobId)).state).toBe('cancelled');
      for (const id of snapshotIds) expect(fake.state.snapshots.get(id)!.state).toBe('pending');
      expect(fake.calls.some((c) => c.action === 'DeleteSnapshot')).toBe(false);
      const left = (await events()).filter((e) => e.action === 'aws.snapshots-left').at(-1)!;
      expect(left.details).toMatchObject({ jobId, outcome: 'cancelled', snapshotIds });
      expect(left.details.note).toMatch(/stay in AWS/);
    } finally {
      fake.state.snapshotCompletionMs = 1200;
    }
  });
});
